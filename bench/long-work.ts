/**
 * Long work on the embedded database against the desk: the desk's latency while a class roster of
 * 5,000 pupils is imported and while a backup is made, and the server's peak memory while a 100 MB
 * file is sent to the roster import (refused past 50 MB).
 *
 *   npx tsx bench/long-work.ts [--rows 5000]     (also run by `npm run bench`)
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeBackup } from '../src/backup/backup.js';
import { connectPGlite } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { buildApp } from '../src/http/app.js';
import { seedTenants, TEST_PASSWORD } from '../test/support/tenants.js';
import { describeMachine } from './machine.js';

const here = path.dirname(fileURLToPath(import.meta.url));

interface Phase {
  phase: string;
  seconds: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const round = (n: number) => Math.round(n * 10) / 10;

function multipart(name: string, bytes: Buffer) {
  const boundary = `----bench${crypto.randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export async function runLongWorkBench(options: { rows?: number; outDir?: string } = {}, log: (line: string) => void = console.log) {
  const rows = options.rows ?? 5_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-bench-long-'));
  const database = await connectPGlite(path.join(dir, 'data'));
  await migrateToLatest(database.db);
  await seedTenants(database.db);
  const backups = { dir: path.join(dir, 'backups'), keepDays: 30, everyHours: 0, allowPlain: true };
  const app = await buildApp({ database, webDist: '/nonexistent', backups });
  await app.ready();
  const machine = await describeMachine(null);
  try {
    const login = async (name: string) => {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: name, password: TEST_PASSWORD } });
      const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      return { cookie, 'x-csrf-token': res.json().csrfToken ?? '' } as Record<string, string>;
    };
    const desk = await login('librarian-a');
    const importer = await login('librarian-a');

    /** One desk looking readers up while `work` runs: each request's latency. */
    const deskDuring = async (phase: string, work: () => Promise<unknown>): Promise<Phase> => {
      const latencies: number[] = [];
      let running = true;
      const started = performance.now();
      const loop = (async () => {
        for (let i = 0; running; i++) {
          const t0 = performance.now();
          const res = await app.inject({ method: 'GET', url: `/api/readers?q=${encodeURIComponent(i % 2 ? 'Ким' : 'Оқушы')}&limit=20`, headers: desk });
          if (res.statusCode !== 200) throw new Error(`desk request failed: ${res.statusCode} ${res.body.slice(0, 200)}`);
          latencies.push(performance.now() - t0);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      try {
        await work();
      } finally {
        running = false;
        await loop;
      }
      const sorted = latencies.sort((a, b) => a - b);
      const result = { phase, seconds: round((performance.now() - started) / 1000), requests: sorted.length, p50Ms: round(quantile(sorted, 0.5)), p99Ms: round(quantile(sorted, 0.99)), maxMs: round(sorted.at(-1) ?? 0) };
      log(`  ${phase}: ${result.seconds} s, desk p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms (${result.requests} requests)`);
      return result;
    };

    const phases: Phase[] = [];
    log('Long work against the desk (embedded database)');
    phases.push(await deskDuring('idle', () => new Promise((r) => setTimeout(r, 2000))));
    const roster = ['Тегі;Аты;Сынып', ...Array.from({ length: rows }, (_, i) => `Оқушы${String.fromCharCode(0x410 + (i % 32))}${i};Айгерім;${(i % 11) + 1}А`)].join('\n');
    phases.push(
      await deskDuring(`roster import of ${rows} rows`, async () => {
        const res = await app.inject({ method: 'POST', url: '/api/readers/import', ...withHeaders(multipart('roster.csv', Buffer.from(roster)), importer) });
        if (res.statusCode !== 200) throw new Error(`import failed: ${res.statusCode} ${res.body.slice(0, 300)}`);
      }),
    );
    phases.push(await deskDuring('backup', () => makeBackup(database, backups)));

    // a 100 MB file: refused once 50 MB have come in, the rest read and dropped
    globalThis.gc?.();
    const big = multipart('roster.csv', Buffer.alloc(100 * 1024 * 1024, 0x41));
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const refused = await app.inject({ method: 'POST', url: '/api/readers/import/preview', ...withHeaders(big, desk) });
    clearInterval(sampler);
    const upload = { megabytes: 100, status: refused.statusCode, code: refused.json().error?.code ?? null, rssBeforeMb: Math.round(rssBefore / 2 ** 20), rssPeakMb: Math.round(peak / 2 ** 20) };
    log(`  100 MB upload: ${upload.status} ${upload.code}, RSS ${upload.rssBeforeMb} → peak ${upload.rssPeakMb} MB (the request itself, 100 MB, is held by the bench in the same process)`);

    const results = { kind: 'long-work', machine, rows, targetP99Ms: 200, phases, upload, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) };
    const outDir = options.outDir ?? path.join(here, 'results');
    fs.mkdirSync(outDir, { recursive: true });
    const base = path.join(outDir, `${new Date().toISOString().slice(0, 10)}-long-work`);
    fs.writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
    const md = [
      '# Long work against the desk (embedded database)',
      '',
      `Machine: ${machine.cpuModel}, ${machine.cores} cores, load at end ${results.loadAverageAtEnd.join(' ')}. One desk looks readers up every 20 ms while the work runs; target p99 < 200 ms.`,
      '',
      '| work | seconds | desk requests | p50 ms | p99 ms | max ms |',
      '|---|---|---|---|---|---|',
      ...phases.map((p) => `| ${p.phase} | ${p.seconds} | ${p.requests} | ${p.p50Ms} | ${p.p99Ms} | ${p.maxMs} |`),
      '',
      `A 100 MB roster upload: answered ${upload.status} (${upload.code}); process RSS ${upload.rssBeforeMb} MB before, ${upload.rssPeakMb} MB at peak (the bench holds the 100 MB request body in the same process).`,
    ];
    fs.writeFileSync(`${base}.md`, `${md.join('\n')}\n`);
    return { results, files: [`${base}.json`, `${base}.md`] };
  } finally {
    await app.close();
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function withHeaders(body: { payload: Buffer; headers: Record<string, string> }, auth: Record<string, string>) {
  return { payload: body.payload, headers: { ...body.headers, ...auth } };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--rows');
  await runLongWorkBench({ rows: i >= 0 ? Number(process.argv[i + 1]) : undefined });
}
