import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { useLiteModelDevFiles } from './scripts/vite-plugin-use-lite.ts';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// The workbench is a static single-page app; the training worker is an ES module worker.
export default defineConfig({
  plugins: [react(), useLiteModelDevFiles()],
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  base: './',
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['@huggingface/transformers', 'onnxruntime-web'] },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
});
