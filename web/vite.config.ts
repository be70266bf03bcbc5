import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { localesByLanguage } from './build/locale-split.js';
import { precompress } from './build/precompress.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Brotli and gzip copies of the built files, made once here and sent as they are by the server. */
function precompressed(): Plugin {
  let outDir = '';
  return {
    name: 'kitaphana:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      await precompress(outDir);
    },
  };
}

export default defineConfig({
  root: here,
  plugins: [react(), localesByLanguage(path.join(here, 'src', 'locales')), precompressed()],
  // the manifest lets bench/web-payload.ts sum what the first page downloads
  build: { outDir: path.join(here, 'dist'), emptyOutDir: true, chunkSizeWarningLimit: 900, manifest: true },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
