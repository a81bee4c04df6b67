import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer builds to dist/renderer, which both `dockhand serve` and the Electron shell load. Relative asset paths
// (base './') work under serve's http://127.0.0.1 and under the app:// protocol alike.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // The strict CSP allows no inline script: Vite's module-preload polyfill would be one.
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'chrome120',
    reportCompressedSize: false,
  },
});
