import { contextBridge } from 'electron';

// Placeholder surface until the API contract lands (desktop-shell issue).
contextBridge.exposeInMainWorld('dossier', Object.freeze({ ready: true }));
