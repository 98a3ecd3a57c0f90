/// <reference types="node" />
import { fileURLToPath } from 'node:url';
import { defineConfig, type Connect, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// One HTML entry per UI. The server serves a directory's index.html, so
// manage/index.html is /manage/ and console/index.html is /console/; it serves
// portal/index.html for every /p/<account>/<slug>.
const pages = {
  index: fileURLToPath(new URL('index.html', import.meta.url)),
  manage: fileURLToPath(new URL('manage/index.html', import.meta.url)),
  console: fileURLToPath(new URL('console/index.html', import.meta.url)),
  portal: fileURLToPath(new URL('portal/index.html', import.meta.url)),
  // The support app's join page; the server serves it for every /app/join/<code>.
  join: fileURLToPath(new URL('join/index.html', import.meta.url)),
};

// `npm run dev` and `npm run preview`: /p/<account>/<slug> shows the portal page and
// /app/join/<code> the join page, as on the node.
const portalPath = /^\/p\/[^/?#]+\/[^/?#]+\/?(?:[?#].*)?$/;
const joinPath = /^\/app\/join\/[^/?#]+\/?(?:[?#].*)?$/;
const servePortalPaths: Connect.NextHandleFunction = (req, _res, next) => {
  if (req.url !== undefined && portalPath.test(req.url)) req.url = '/portal/index.html';
  else if (req.url !== undefined && joinPath.test(req.url)) req.url = '/join/index.html';
  next();
};
const portalPaths: Plugin = {
  name: 'openassist-portal-paths',
  configureServer: (server) => {
    server.middlewares.use(servePortalPaths);
  },
  configurePreviewServer: (server) => {
    server.middlewares.use(servePortalPaths);
  },
};

export default defineConfig({
  root,
  base: '/',
  plugins: [portalPaths],
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
    // `npm run dev` forwards API calls and the WebSocket to a running node (OA_DEV_API=http://127.0.0.1:PORT).
    proxy: {
      '/api': process.env.OA_DEV_API ?? 'http://127.0.0.1:8080',
      '/ws': { target: process.env.OA_DEV_API ?? 'http://127.0.0.1:8080', ws: true },
    },
  },
});
