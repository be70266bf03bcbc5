import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// `npm start` as a library runs it: the compiled server under plain node, nothing built at the start.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function rssMb(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Math.round(Number(line.split(/\s+/)[1]) / 1024);
}

describe('npm start', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kitaphana-start-'));
  let child: ReturnType<typeof spawn> | undefined;

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs the compiled server with plain node, builds nothing when the build is fresh, and answers /api/health', async () => {
    // what `npm ci` does (its prepare script); nothing when the build is already fresh
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), 'server', 'web'], { cwd: root, stdio: 'ignore' });
    const scripts = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;
    expect(scripts.start).toBe('node scripts/start.mjs');
    expect(scripts.prepare).toMatch(/scripts\/build\.mjs/);

    let output = '';
    // the first start creates and migrates the database; memory is measured on the next, an everyday start
    const env = { ...process.env, HOST: '127.0.0.1', KITAPHANA_DATA_DIR: path.join(dir, 'data'), KITAPHANA_DEMO: 'false', KITAPHANA_BACKUP_HOURS: '0', DATABASE_URL: '', NODE_OPTIONS: '' };
    for (const round of ['first', 'again'] as const) {
      if (child) {
        const exited = new Promise((resolve) => child!.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      const port = await freePort();
      child = spawn(process.execPath, [path.join(root, 'scripts', 'start.mjs')], { cwd: root, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout!.on('data', (d) => (output += d));
      child.stderr!.on('data', (d) => (output += d));
      const until = Date.now() + 120_000;
      let status = 0;
      while (Date.now() < until && child.exitCode === null) {
        status = await fetch(`http://127.0.0.1:${port}/api/health`).then(
          (r) => r.status,
          () => 0,
        );
        if (status === 200) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(status, `${round}: ${output}`).toBe(200);
    }
    const server = child!;
    expect(output).toContain('Kitaphana is running at');
    expect(output).not.toMatch(/Building|vite|tsc/);
    // no TypeScript at run time: the process is node on the start script, and the server it loaded is dist/
    const argv = fs.readFileSync(`/proc/${server.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    expect(argv.slice(1)).toEqual([path.join(root, 'scripts', 'start.mjs')]);
    expect(fs.existsSync(path.join(root, 'dist', 'main.js'))).toBe(true);
    expect(fs.readdirSync(path.join(root, 'dist', 'catalog', 'migrations')).length).toBeGreaterThan(0);
    // the document libraries are not loaded and the embedded database's buffers are a school's
    expect(rssMb(server.pid!)).toBeLessThanOrEqual(300);
  }, 240_000);
});
