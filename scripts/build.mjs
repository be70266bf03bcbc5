// Builds what `npm start` runs, each part only when it is missing or older than its sources:
//   server  src/ compiled to dist/ (tsc), with the SQL migrations and data files beside the code
//   web     web/src built into web/dist (npm run build:web)
//   demo    the demo school's data folder, dist/demo-school (made by the compiled server)
// `node scripts/build.mjs` builds all three (npm ci runs it as `prepare`); `node scripts/build.mjs web`
// or `server` builds one; `--force` rebuilds even what is fresh.
import { execFileSync, execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const stampFile = path.join(dist, '.build-stamp');
const SKIP = /\.test\.ts$|\.orig$/;
// what the build writes into dist/ besides the compiled sources
const KEEP = new Set(['.build-stamp', '.tsbuildinfo', 'demo-school']);

/** The newest modification time under the given files and folders (0 when none exists). */
function newest(...entries) {
  let t = 0;
  for (const entry of entries) {
    if (!fs.existsSync(entry)) continue;
    const stat = fs.statSync(entry);
    if (!stat.isDirectory()) t = Math.max(t, stat.mtimeMs);
    else for (const e of fs.readdirSync(entry)) t = Math.max(t, newest(path.join(entry, e)));
  }
  return t;
}

const mtime = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0);
const r = (...p) => path.join(root, ...p);

export function serverStale() {
  return newest(r('src'), r('tsconfig.json'), r('tsconfig.build.json'), r('package-lock.json')) > mtime(stampFile);
}

export function webStale() {
  return newest(r('web', 'src'), r('web', 'build'), r('web', 'index.html'), r('web', 'vite.config.ts'), r('package-lock.json')) > mtime(r('web', 'dist', 'index.html'));
}

export function demoStale() {
  try {
    const info = JSON.parse(fs.readFileSync(path.join(dist, 'demo-school', 'snapshot.json'), 'utf8'));
    return info.build !== fs.readFileSync(stampFile, 'utf8').trim();
  } catch {
    return true;
  }
}

/** Removes what a removed or renamed source left in dist/ (a migration above all). */
function prune(dir = dist) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    const rel = path.relative(dist, p);
    if (dir === dist && KEEP.has(e.name)) continue;
    if (e.isDirectory()) {
      prune(p);
      if (fs.readdirSync(p).length === 0) fs.rmdirSync(p);
      continue;
    }
    // a compiled file's source is its .ts; a data file's is itself
    if (!fs.existsSync(path.join(root, 'src', rel.replace(/\.js(\.map)?$/, '.ts')))) fs.rmSync(p);
  }
}

function copyAssets(dir = r('src')) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) copyAssets(p);
    else if (!e.name.endsWith('.ts') && !SKIP.test(e.name)) {
      const target = path.join(dist, path.relative(r('src'), p));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(p, target);
    }
  }
}

function run(command, args) {
  execFileSync(command, args, { cwd: root, stdio: 'inherit' });
}

export function buildServer() {
  console.log('Building the server (dist/)…');
  fs.mkdirSync(dist, { recursive: true });
  prune();
  run(process.execPath, [r('node_modules', 'typescript', 'bin', 'tsc'), '-p', r('tsconfig.build.json')]);
  copyAssets();
  fs.writeFileSync(stampFile, `${new Date().toISOString()}\n`);
}

export function buildWeb() {
  // through a shell: on Windows npm is npm.cmd
  execSync('npm run build:web', { cwd: root, stdio: 'inherit' });
}

export function buildDemo() {
  console.log('Making the demo school (dist/demo-school)…');
  run(process.execPath, [path.join(dist, 'demo', 'snapshot-cli.js')]);
}

/** Builds the parts asked for that are stale (all of them with `force`). */
export function build(parts = ['server', 'web', 'demo'], force = false) {
  if (parts.includes('server') && (force || serverStale())) buildServer();
  if (parts.includes('web') && (force || webStale())) buildWeb();
  if (parts.includes('demo') && (force || demoStale())) buildDemo();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const parts = args.filter((a) => !a.startsWith('--'));
  build(parts.length ? parts : undefined, args.includes('--force'));
}
