// Builds the web UI when web/dist is missing or older than its sources.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const dist = path.join('web', 'dist', 'index.html');
function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}
const stale = !fs.existsSync(dist) || newest(path.join('web', 'src')) > fs.statSync(dist).mtimeMs;
if (stale) execSync('npm run build:web', { stdio: 'inherit' });
