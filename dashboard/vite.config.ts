import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const dashboardDir = fileURLToPath(new URL('.', import.meta.url));

/**
 * `vite dev` has no local stack in front of it: serve config.json here, pointing at
 * DASHBOARD_API_URL or the local stack's API port.
 */
const devConfigJson: Plugin = {
  name: 'dashboard-dev-config-json',
  configureServer(server) {
    server.middlewares.use('/config.json', (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ apiUrl: process.env.DASHBOARD_API_URL ?? 'http://localhost:8080' }));
    });
  },
};

export default defineConfig({
  root: dashboardDir,
  // Relative asset paths: the same build works at any path prefix (S3, CloudFront, local).
  base: './',
  plugins: [react(), devConfigJson],
  // src/lib imports the shared query limits from lambdas/core, outside this root.
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
  },
});
