import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

// The explorer is built into dist/web and served by the API server at `/`.
// `npx vite --config web/vite.config.ts` serves it with hot reload, proxying /graphql to a running API.
export default defineConfig({
  root: here,
  base: '/',
  build: {
    outDir: path.join(here, '..', 'dist', 'web'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
  },
  server: { proxy: { '/graphql': process.env.API_URL ?? 'http://127.0.0.1:4000' } },
});
