import { create } from 'zustand';
import type { Args, Progress, Result } from '../../../shared/contract';
import { api, connection } from '../api/transport';
import { codeOf, messageOf } from '../api/errors';
import { useLibrary } from './library';
import { useSelection } from './selection';

/**
 * Long jobs (import, export, the vault check) with their progress, their cancel and their
 * outcome. One of each at a time; the panel shows the latest of each until dismissed.
 */
export type AddResult = Result<'items.add'>['results'][number];
export type ExportArgs = Args<'export.create'>;
export type ExportResult = Result<'export.create'>;
export type BundleReport = Result<'export.verify'>;
export type IntegrityReport = Result<'vault.check'>;

export interface JobProgress {
  itemsDone: number;
  itemsTotal: number;
  bytesDone: number;
  bytesTotal: number;
  startedAt: number;
}

export interface ImportJob extends JobProgress {
  state: 'running' | 'done' | 'cancelled' | 'failed';
  results: AddResult[];
  error: string | null;
}

export interface ExportJob extends JobProgress {
  state: 'running' | 'verifying' | 'done' | 'cancelled' | 'failed';
  result: ExportResult | null;
  verification: BundleReport | null;
  /** Files checked so far while verifying the written bundle, of how many. */
  filesChecked: number;
  filesToCheck: number;
  error: string | null;
}

/** The whole-vault check: every file decrypted and compared with its import SHA-256. */
export interface CheckJob extends JobProgress {
  state: 'running' | 'done' | 'cancelled' | 'failed';
  report: IntegrityReport | null;
  error: string | null;
}

/** The person's answer to a chat export's date-order question (NEEDS_CHOICE). */
export interface ChatAnswer {
  dateOrder: 'dmy' | 'mdy';
  timeZone: string;
}

/** A chat export that stopped for the date-order question, to import again once answered. */
export interface ChatChoiceRequest {
  name: string;
  /** Why it stopped, in the API's words. */
  reason: string;
  /** A file to import (by path or bytes), or an item already in the vault to read. */
  source: { path: string } | { file: File } | { itemId: string };
}

/** An item being read as a conversation (items.readAsConversation), or why it could not be. */
export interface ReadJob {
  itemId: string;
  state: 'running' | 'failed';
  error: string | null;
}

export type FolderChoice = { path: string | null } | { unsupported: true } | { error: string };

interface JobsStore {
  importJob: ImportJob | null;
  exportJob: ExportJob | null;
  checkJob: CheckJob | null;
  /** True in the desktop app (native folder dialog, show in file manager); false in a browser. */
  onDesktop: boolean;
  /** Chat exports waiting for the person's date order and time zone, first asked first. */
  chatChoices: ChatChoiceRequest[];
  /**
   * The dates of a waiting export read both ways (items.chatChoice); null when the file is too
   * large to send only for examples; a plain message if it failed.
   */
  chatChoiceCheck(
    request: ChatChoiceRequest,
  ): Promise<Result<'items.chatChoice'> | null | { error: string }>;
  /** Imports (or reads) the first waiting export with the answer, or (null) leaves it out. */
  answerChatChoice(answer: ChatAnswer | null): Promise<void>;
  readJob: ReadJob | null;
  /**
   * Reads an item already in the vault as a conversation, then opens it; when its date order
   * needs the person, asks first (the date-order dialog) and reads it with the answer.
   */
  readAsConversation(itemId: string, name: string, answer?: ChatAnswer): Promise<void>;
  dismissRead(): void;
  /** Adds paths (desktop: a dialog or a drop) with main's progress events. */
  importPaths(paths: string[], answer?: ChatAnswer): Promise<void>;
  /** Adds files that have no path (a browser drop or picker, a pasted image), one by one. */
  importFiles(files: File[], answer?: ChatAnswer): Promise<void>;
  /** Dropped or picked files: by path where the desktop app gives one, else by their bytes. */
  importDropped(files: File[]): Promise<void>;
  /** Desktop: the native dialog for files or a folder, then the import. */
  importWithDialog(what: 'files' | 'folder'): Promise<void>;
  cancelImport(): void;
  dismissImport(): void;
  startExport(args: ExportArgs): Promise<void>;
  cancelExport(): void;
  dismissExport(): void;
  startCheck(): Promise<void>;
  cancelCheck(): void;
  /**
   * The native folder dialog for an export's destination: the chosen path (null when the
   * person closed it), `unsupported` where there is no dialog (a browser: type a path
   * instead), or a plain message when it failed.
   */
  chooseExportFolder(): Promise<FolderChoice>;
  /** Shows the finished bundle in the file manager (desktop); a plain message if it fails. */
  showExportInFolder(): Promise<string | null>;
  /**
   * How many pages the court bundle of these choices will have, counted before exporting
   * (nothing is written), with the family courts' cap; a plain message if it failed.
   */
  countBundlePages(args: BundlePagesArgs): Promise<BundlePages | { error: string }>;
  /**
   * The items of these choices that record where they were taken (GPS), asked about before
   * exporting (export.create's `location`); a plain message if they could not be listed.
   */
  locatedItems(args: LocatedArgs): Promise<Located | { error: string }>;
}

export type BundlePagesArgs = Args<'export.bundlePages'>;
export type BundlePages = Result<'export.bundlePages'>;
export type LocatedArgs = Args<'export.located'>;
export type Located = Result<'export.located'>;

let importAbort: AbortController | null = null;
let exportAbort: AbortController | null = null;
let checkAbort: AbortController | null = null;

const progressOf = (p: Progress) => ({
  itemsDone: p.itemsDone,
  itemsTotal: p.itemsTotal,
  bytesDone: p.bytesDone,
  bytesTotal: p.bytesTotal,
});

const fresh = (): JobProgress => ({
  itemsDone: 0,
  itemsTotal: 0,
  bytesDone: 0,
  bytesTotal: 0,
  startedAt: Date.now(),
});

/** Seconds left at the rate so far, or null before there is a rate to go by. */
export function etaSeconds(job: JobProgress, now = Date.now()): number | null {
  const elapsed = (now - job.startedAt) / 1000;
  if (job.bytesDone <= 0 || job.bytesTotal <= 0 || elapsed < 1) return null;
  return Math.max(0, ((job.bytesTotal - job.bytesDone) * elapsed) / job.bytesDone);
}

export const useJobs = create<JobsStore>((set, get) => ({
  importJob: null,
  exportJob: null,
  checkJob: null,
  onDesktop: connection.surface === 'desktop',
  chatChoices: [],
  readJob: null,

  async chatChoiceCheck(request) {
    try {
      if ('itemId' in request.source)
        return await api['items.chatChoice']({ id: request.source.itemId });
      if ('path' in request.source) {
        return await api['items.chatChoice']({ path: request.source.path });
      }
      const file = request.source.file;
      if (file.size > 64 * 1024 * 1024) return null;
      return await api['items.chatChoice']({ data: new Uint8Array(await file.arrayBuffer()) });
    } catch (e) {
      return { error: messageOf(e) };
    }
  },

  async answerChatChoice(answer) {
    const [first, ...rest] = get().chatChoices;
    if (!first) return;
    set({ chatChoices: rest });
    if (!answer) return;
    if ('itemId' in first.source)
      await get().readAsConversation(first.source.itemId, first.name, answer);
    else if ('path' in first.source) await get().importPaths([first.source.path], answer);
    else await get().importFiles([first.source.file], answer);
  },

  async readAsConversation(itemId, name, answer) {
    if (get().readJob?.state === 'running') return;
    set({ readJob: { itemId, state: 'running', error: null } });
    try {
      await api['items.readAsConversation']({ id: itemId, ...answer });
      set({ readJob: null });
      useLibrary.getState().reload();
      // The item is a conversation now: its view replaces the item's.
      useSelection.getState().open(null);
      useSelection.getState().openChat(itemId);
    } catch (e) {
      if (codeOf(e) === 'NEEDS_CHOICE') {
        set({
          readJob: null,
          chatChoices: [...get().chatChoices, { name, reason: messageOf(e), source: { itemId } }],
        });
      } else set({ readJob: { itemId, state: 'failed', error: messageOf(e) } });
    }
  },

  dismissRead() {
    set({ readJob: null });
  },

  async importPaths(paths, answer) {
    if (paths.length === 0 || get().importJob?.state === 'running') return;
    importAbort = new AbortController();
    set({ importJob: { ...fresh(), state: 'running', results: [], error: null } });
    try {
      const report = await api['items.add'](
        { paths, ...answer },
        {
          signal: importAbort.signal,
          onProgress: (p) => {
            const job = get().importJob;
            if (job) set({ importJob: { ...job, ...progressOf(p) } });
          },
        },
      );
      const cancelled = importAbort.signal.aborted;
      set({
        importJob: {
          ...get().importJob!,
          state: cancelled ? 'cancelled' : 'done',
          results: report.results,
        },
      });
      const waiting = report.results.flatMap((r): ChatChoiceRequest[] =>
        r.status === 'failed' && r.code === 'NEEDS_CHOICE'
          ? [{ name: r.name, reason: r.error, source: { path: r.path } }]
          : [],
      );
      if (waiting.length > 0) set({ chatChoices: [...get().chatChoices, ...waiting] });
    } catch (e) {
      set({ importJob: { ...get().importJob!, state: 'failed', error: messageOf(e) } });
    } finally {
      importAbort = null;
      useLibrary.getState().reload();
    }
  },

  async importFiles(files, answer) {
    if (files.length === 0 || get().importJob?.state === 'running') return;
    importAbort = new AbortController();
    const signal = importAbort.signal;
    const bytesTotal = files.reduce((n, f) => n + f.size, 0);
    set({
      importJob: {
        ...fresh(),
        itemsTotal: files.length,
        bytesTotal,
        state: 'running',
        results: [],
        error: null,
      },
    });
    const results: AddResult[] = [];
    for (const file of files) {
      if (signal.aborted) break;
      try {
        const data = new Uint8Array(await file.arrayBuffer());
        results.push(
          await api['items.addData']({
            name: file.name || 'pasted image.png',
            data,
            lastModified: file.lastModified ? new Date(file.lastModified).toISOString() : undefined,
            ...answer,
          }),
        );
      } catch (e) {
        const code = codeOf(e) ?? undefined;
        results.push({
          status: 'failed',
          path: file.name,
          name: file.name,
          error: messageOf(e),
          code,
        });
        if (code === 'NEEDS_CHOICE') {
          const waiting = { name: file.name, reason: messageOf(e), source: { file } };
          set({ chatChoices: [...get().chatChoices, waiting] });
        }
      }
      const job = get().importJob!;
      set({
        importJob: {
          ...job,
          itemsDone: job.itemsDone + 1,
          bytesDone: job.bytesDone + file.size,
          results: [...results],
        },
      });
    }
    set({ importJob: { ...get().importJob!, state: signal.aborted ? 'cancelled' : 'done' } });
    importAbort = null;
    useLibrary.getState().reload();
  },

  async importDropped(files) {
    const paths = files.map((f) => connection.pathForFile(f));
    if (paths.every((p): p is string => p !== null)) return get().importPaths(paths);
    return get().importFiles(files);
  },

  async importWithDialog(what) {
    try {
      const paths =
        what === 'files'
          ? (await api['dialog.chooseFiles']({})).paths
          : [(await api['dialog.chooseFolder']({ purpose: 'import' })).path].filter(
              (p): p is string => p !== null,
            );
      await get().importPaths(paths);
    } catch (e) {
      set({ importJob: { ...fresh(), state: 'failed', results: [], error: messageOf(e) } });
    }
  },

  cancelImport() {
    importAbort?.abort();
  },
  dismissImport() {
    if (get().importJob?.state !== 'running') set({ importJob: null });
  },

  async startExport(args) {
    if (get().exportJob?.state === 'running' || get().exportJob?.state === 'verifying') return;
    exportAbort = new AbortController();
    set({
      exportJob: {
        ...fresh(),
        state: 'running',
        result: null,
        verification: null,
        filesChecked: 0,
        filesToCheck: 0,
        error: null,
      },
    });
    try {
      const result = await api['export.create'](args, {
        signal: exportAbort.signal,
        onProgress: (p) => {
          const job = get().exportJob;
          if (job) set({ exportJob: { ...job, ...progressOf(p) } });
        },
      });
      set({ exportJob: { ...get().exportJob!, state: 'verifying', result } });
      // Checked again from the disk, as the person receiving it would.
      const verification = await api['export.verify'](
        { path: result.path, passphrase: args.encryptPassphrase },
        {
          onProgress: (p) => {
            const job = get().exportJob;
            if (job)
              set({ exportJob: { ...job, filesChecked: p.itemsDone, filesToCheck: p.itemsTotal } });
          },
        },
      );
      set({ exportJob: { ...get().exportJob!, state: 'done', verification } });
    } catch (e) {
      const cancelled = exportAbort?.signal.aborted ?? false;
      set({
        exportJob: {
          ...get().exportJob!,
          state: cancelled ? 'cancelled' : 'failed',
          error: cancelled ? null : messageOf(e),
        },
      });
    } finally {
      exportAbort = null;
    }
  },
  cancelExport() {
    exportAbort?.abort();
  },
  async startCheck() {
    if (get().checkJob?.state === 'running') return;
    checkAbort = new AbortController();
    set({ checkJob: { ...fresh(), state: 'running', report: null, error: null } });
    try {
      const report = await api['vault.check'](
        {},
        {
          signal: checkAbort.signal,
          onProgress: (p) => {
            const job = get().checkJob;
            if (job) set({ checkJob: { ...job, ...progressOf(p) } });
          },
        },
      );
      set({ checkJob: { ...get().checkJob!, state: 'done', report } });
    } catch (e) {
      const cancelled = checkAbort?.signal.aborted ?? false;
      set({
        checkJob: {
          ...get().checkJob!,
          state: cancelled ? 'cancelled' : 'failed',
          error: cancelled ? null : messageOf(e),
        },
      });
    } finally {
      checkAbort = null;
    }
  },
  cancelCheck() {
    checkAbort?.abort();
  },
  dismissExport() {
    const s = get().exportJob?.state;
    if (s !== 'running' && s !== 'verifying') set({ exportJob: null });
  },
  async countBundlePages(args) {
    try {
      return await api['export.bundlePages'](args);
    } catch (e) {
      return { error: messageOf(e) };
    }
  },

  async locatedItems(args) {
    try {
      return await api['export.located'](args);
    } catch (e) {
      return { error: messageOf(e) };
    }
  },

  async chooseExportFolder() {
    if (connection.surface !== 'desktop') return { unsupported: true };
    try {
      return { path: (await api['dialog.chooseFolder']({ purpose: 'export' })).path };
    } catch (e) {
      return codeOf(e) === 'UNSUPPORTED' ? { unsupported: true } : { error: messageOf(e) };
    }
  },
  async showExportInFolder() {
    const path = get().exportJob?.result?.path;
    if (!path) return null;
    try {
      await api['shell.showInFolder']({ path });
      return null;
    } catch (e) {
      return messageOf(e);
    }
  },
}));
