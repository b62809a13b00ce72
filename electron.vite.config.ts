import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          // Worker threads are separate entries, emitted next to the main bundle.
          replicaWorker: resolve(__dirname, 'src/main/engine/replicaWorker.ts'),
          machineWorker: resolve(__dirname, 'src/main/engine/machineWorker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        // A sandboxed renderer can only load a CommonJS preload.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    plugins: [vue()],
    build: {
      minify: true,
      chunkSizeWarningLimit: 8192,
    },
    worker: { format: 'es' },
  },
});
