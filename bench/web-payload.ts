/**
 * What the first page of the web UI downloads, from the built files (web/dist and its Vite manifest):
 * the entry script and its static imports, the stylesheet, the start part of one language's texts and
 * the catalogue search page with its imports — everything a phone fetches before the catalogue shows.
 * Sizes raw, gzip (level 9) and brotli, as the server sends them (precompressed copies when present).
 *
 *   npx tsx bench/web-payload.ts [language]   # one JSON line
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

export interface PayloadFile {
  file: string;
  bytes: number;
  gzip: number;
  brotli: number;
}

export interface FirstPagePayload {
  language: string;
  files: PayloadFile[];
  /** The entry script and its static imports (what index.html names). */
  entryScript: { bytes: number; gzip: number; brotli: number };
  /** Every script the catalogue page needs before it shows: entry, its imports, the texts, the page. */
  script: { bytes: number; gzip: number; brotli: number };
  /** The stylesheet(s) of the first page. */
  style: { bytes: number; gzip: number; brotli: number };
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const WEB_DIST = path.join(here, '..', 'web', 'dist');

function compressedSize(dist: string, file: string, ext: '.gz' | '.br', make: (b: Buffer) => Buffer): number {
  const copy = path.join(dist, file + ext);
  return fs.existsSync(copy) ? fs.statSync(copy).size : make(fs.readFileSync(path.join(dist, file))).length;
}

function measure(dist: string, file: string): PayloadFile {
  return {
    file,
    bytes: fs.statSync(path.join(dist, file)).size,
    gzip: compressedSize(dist, file, '.gz', (b) => zlib.gzipSync(b, { level: 9 })),
    brotli: compressedSize(dist, file, '.br', (b) => zlib.brotliCompressSync(b)),
  };
}

function sum(files: PayloadFile[]) {
  return files.reduce((s, f) => ({ bytes: s.bytes + f.bytes, gzip: s.gzip + f.gzip, brotli: s.brotli + f.brotli }), { bytes: 0, gzip: 0, brotli: 0 });
}

/** A chunk and its static imports, each once. */
function withImports(manifest: Manifest, key: string, seen: Set<string>): string[] {
  if (seen.has(key)) return [];
  seen.add(key);
  const chunk = manifest[key];
  if (!chunk) throw new Error(`not in the manifest: ${key}`);
  return [chunk.file, ...(chunk.imports ?? []).flatMap((k) => withImports(manifest, k, seen))];
}

export function firstPagePayload(dist = WEB_DIST, language = 'kk'): FirstPagePayload {
  const manifest: Manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8'));
  const entryKey = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
  if (!entryKey) throw new Error('the manifest has no entry');
  const byName = (suffix: string) => {
    const key = Object.keys(manifest).find((k) => k.endsWith(suffix));
    if (!key) throw new Error(`not in the manifest: ${suffix}`);
    return key;
  };
  const seen = new Set<string>();
  const entry = withImports(manifest, entryKey, seen).map((f) => measure(dist, f));
  const later = [byName(`virtual:texts/${language}-start`), byName('src/pages/catalog/SearchPage.tsx')].flatMap((k) => withImports(manifest, k, seen));
  const scripts = [...entry, ...later.map((f) => measure(dist, f))];
  const styles = (manifest[entryKey]!.css ?? []).map((f) => measure(dist, f));
  return { language, files: [...scripts, ...styles], entryScript: sum(entry), script: sum(scripts), style: sum(styles) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const p = firstPagePayload(WEB_DIST, process.argv[2] ?? 'kk');
  for (const f of p.files)
    console.error(`${f.file.padEnd(44)} ${String(f.bytes).padStart(8)} ${String(f.gzip).padStart(8)} gz ${String(f.brotli).padStart(8)} br`);
  console.log(JSON.stringify({ language: p.language, entryScript: p.entryScript, script: p.script, style: p.style }));
}
