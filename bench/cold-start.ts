import { execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rssOf } from './machine.js';
import type { BenchQuery } from './queries.js';
import { summarise, timed, type LatencySummary } from './stats.js';

/**
 * The server as a library starts it: the compiled server (dist/main.js, what `npm start` runs; built
 * first if its sources changed) in a process of its own on an existing
 * data folder, timed from the spawn to the first 200 of /api/health; its memory after the
 * start and after the search query mix (through the catalogue's HTTP search, if it has one).
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ColdStartResult {
  secondsToHealthy: number;
  rssAfterStartMb: number | null;
  /** Null when the catalogue offers no HTTP search route to load the server with. */
  rssAfterSearchMb: number | null;
  searchRoute: string | null;
  httpSearchMs: LatencySummary | null;
  /** Search requests that did not answer 200 (a route that needs a session answers 401). */
  httpSearchErrors: number;
}

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

async function waitForHealth(base: string, timeoutMs: number, exited: () => string | null): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const failure = exited();
    if (failure) throw new Error(`the server stopped before answering: ${failure}`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`the server did not answer /api/health within ${timeoutMs / 1000} s`);
}

/** The catalogue's GET search route, found in the server's own OpenAPI document. */
async function findSearchRoute(base: string): Promise<string | null> {
  const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as { paths?: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> };
  for (const [route, methods] of Object.entries(doc.paths ?? {})) {
    if (!route.startsWith('/api/catalog') || !/search/.test(route) || route.includes('{')) continue;
    if (methods.get?.parameters?.some((p) => p.in === 'query' && p.name === 'q')) return route;
  }
  return null;
}

export async function runColdStart(dataDir: string, queries: BenchQuery[], log: (line: string) => void): Promise<ColdStartResult> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), 'server'], { cwd: root, stdio: 'inherit' });
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'dist', 'main.js')], {
    cwd: root,
    env: { ...process.env, KITAPHANA_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', KITAPHANA_DEMO: 'false', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let exit: string | null = null;
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.resume();
  child.on('exit', (code, signal) => (exit = `exit ${code ?? signal}; ${stderr.slice(-500)}`));
  try {
    await waitForHealth(base, 120_000, () => exit);
    const secondsToHealthy = Math.round((performance.now() - started) / 10) / 100;
    const rssAfterStartMb = rssOf(child.pid!);
    log(`  healthy after ${secondsToHealthy} s, RSS ${rssAfterStartMb} MB`);
    const searchRoute = await findSearchRoute(base);
    if (!searchRoute) return { secondsToHealthy, rssAfterStartMb, rssAfterSearchMb: null, searchRoute: null, httpSearchMs: null, httpSearchErrors: 0 };
    const samples: number[] = [];
    let httpSearchErrors = 0;
    for (const q of queries) {
      const [ms, status] = await timed(async () => {
        const res = await fetch(`${base}${searchRoute}?q=${encodeURIComponent(q.q)}&limit=20`);
        await res.arrayBuffer();
        return res.status;
      });
      if (status !== 200) httpSearchErrors++;
      samples.push(ms);
    }
    return { secondsToHealthy, rssAfterStartMb, rssAfterSearchMb: rssOf(child.pid!), searchRoute, httpSearchMs: summarise(samples), httpSearchErrors };
  } finally {
    await stop(child);
  }
}

function stop(child: ReturnType<typeof spawn>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
