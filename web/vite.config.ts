/// <reference types="node" />
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// One HTML entry per UI; the customer portal and technician console join the
// landing page and the Management Center here as they are built. The server
// serves a directory's index.html, so manage/index.html is /manage/.
const pages = {
  index: fileURLToPath(new URL('index.html', import.meta.url)),
  manage: fileURLToPath(new URL('manage/index.html', import.meta.url)),
};

export default defineConfig({
  root,
  base: '/',
  esbuild: {
    jsx: 'automatic',
    jsxImportSource: 'preact',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Never inline assets as data: URLs: the server's CSP is default-src 'self'.
    assetsInlineLimit: 0,
    // The polyfill is for browsers without <link rel="modulepreload">, which we do not support.
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: pages,
    },
  },
  server: {
    // `npm run dev` forwards API calls to a running node (OA_DEV_API=http://127.0.0.1:PORT).
    proxy: {
      '/api': process.env.OA_DEV_API ?? 'http://127.0.0.1:8080',
    },
  },
});
