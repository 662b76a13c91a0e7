// The UI build: `npm run build:web` writes web/dist, which `tamis serve` serves.
// No plugin is needed: Vite's Oxc transform compiles TSX with React's automatic runtime.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1000 },
  // `vite dev` forwards the API to a running `tamis serve`.
  server: { proxy: { '/api': 'http://127.0.0.1:7300' } },
});
