/**
 * The cost of durable commits on the embedded database: commits per second with the sync of what
 * each commit wrote (group commit) against without, by 1 and by 16 writers at once.
 *
 *   npx tsx bench/durable-commits.ts [--seconds 5]     (also run by `npm run bench`)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { connectPGlite } from '../src/db/connect.js';
import { describeMachine } from './machine.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface DurableRow {
  durable: boolean;
  writers: number;
  commits: number;
  commitsPerSecond: number;
  syncBatches: number | null;
}

async function measure(durable: boolean, writers: number, seconds: number): Promise<DurableRow> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-bench-durable-'));
  const handle = await connectPGlite(path.join(dir, 'data'), undefined, undefined, durable);
  try {
    await sql`create table desk_log (id serial primary key, reader_id int, note text, at timestamptz default now())`.execute(handle.db);
    const before = handle.durableWrites?.stats.batches ?? 0;
    const until = Date.now() + seconds * 1000;
    let commits = 0;
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        while (Date.now() < until) {
          await handle.db.transaction().execute(async (trx) => {
            await sql`insert into desk_log (reader_id, note) values (${w}, 'issue')`.execute(trx);
          });
          commits++;
        }
      }),
    );
    return {
      durable,
      writers,
      commits,
      commitsPerSecond: Math.round(commits / seconds),
      syncBatches: handle.durableWrites ? handle.durableWrites.stats.batches - before : null,
    };
  } finally {
    await handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function runDurableCommitsBench(options: { seconds?: number; outDir?: string } = {}, log: (line: string) => void = console.log) {
  const seconds = options.seconds ?? 5;
  const machine = await describeMachine(null);
  log(`Durable commits on the embedded database: ${seconds} s per figure`);
  const rows: DurableRow[] = [];
  // a first, uncounted run warms the WebAssembly and the JIT, which would otherwise weigh on the first figure
  await measure(false, 1, Math.min(1, seconds));
  for (const writers of [1, 16]) {
    for (const durable of [false, true]) {
      const row = await measure(durable, writers, seconds);
      log(`  ${writers} writer(s), ${durable ? 'synced' : 'not synced'}: ${row.commitsPerSecond} commits/s${row.syncBatches !== null ? ` (${row.syncBatches} sync batches for ${row.commits} commits)` : ''}`);
      rows.push(row);
    }
  }
  const results = { kind: 'durable-commits', machine, seconds, rows, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) };
  const outDir = options.outDir ?? path.join(here, 'results');
  fs.mkdirSync(outDir, { recursive: true });
  let base = path.join(outDir, `durable-commits-${machine.date.slice(0, 10)}`);
  if (fs.existsSync(`${base}.json`)) base += `-${machine.date.slice(11, 16).replace(':', '')}`;
  fs.writeFileSync(`${base}.json`, JSON.stringify(results, null, 2) + '\n');
  const md = [
    '# Durable commits on the embedded database',
    '',
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, load at end ${results.loadAverageAtEnd.join(' ')}. Each figure: ${seconds} s of one-row transactions.`,
    '',
    '| writers | synced to disk | commits/s | sync batches | commits per batch |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.writers} | ${r.durable ? 'yes' : 'no'} | ${r.commitsPerSecond} | ${r.syncBatches ?? '–'} | ${r.syncBatches ? (r.commits / r.syncBatches).toFixed(1) : '–'} |`),
  ];
  fs.writeFileSync(`${base}.md`, md.join('\n') + '\n');
  return { results, files: [`${base}.json`, `${base}.md`] };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--seconds');
  await runDurableCommitsBench({ seconds: i >= 0 ? Number(process.argv[i + 1]) : undefined });
}
