import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const dashboardDir = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig(({ mode }) => ({
  root: dashboardDir,
  // Relative asset paths: the same build works at any path prefix (S3, CloudFront, local).
  base: './',
  plugins: [react()],
  // src/lib imports the shared query limits from lambdas/core, outside this root.
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
  },
  // Vite takes React's build flavour from NODE_ENV, which test runners set to "test": a build
  // run from a test would ship React's development code. The mode decides instead.
  define: { 'process.env.NODE_ENV': JSON.stringify(mode === 'production' ? 'production' : 'development') },
}));
