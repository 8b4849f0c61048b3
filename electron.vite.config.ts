import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// One build for every process: the Electron main process, the CLI and the
// vault workers share main/, the sandboxed preload is CommonJS, the renderer is a web bundle.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('main/electron/index.ts'),
          cli: resolve('main/cli/index.ts'),
          // The vault service on a worker thread, for the app and `npm run web`.
          'service-worker': resolve('main/core/api/service-worker.ts'),
          // The vault's worker threads (main/core/threads/start.ts finds them next to these).
          'hash-thread': resolve('main/core/threads/hash.ts'),
          'seal-thread': resolve('main/core/threads/seal.ts'),
          'email-thread': resolve('main/core/threads/email.ts'),
          // `npm run web`: the loopback bridge and the built renderer, for a plain browser.
          web: resolve('main/bridge/web.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
