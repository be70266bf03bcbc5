import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDeskBench, parseDeskArgs } from './desk.js';
import { runPostgresSearchBench } from './search-postgres.js';

const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe('npm run bench -- desk / search, in miniature', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kitaphana-bench-desk-'));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('runs pgbench and the desk on the same server and gives the ratio of their figures', async () => {
    const options = { ...parseDeskArgs(['--quick']), postgresUrl, pgbenchSeconds: 2, seconds: 1, desks: [1, 2], baselineSeconds: 0.2, outDir: work };
    const { report, files } = await runDeskBench(options, () => {});
    expect(report.pgbench.tps).toBeGreaterThan(0);
    expect(report.pgbench).toMatchObject({ scale: 16, clients: 16, threads: 2, seconds: 2 });
    expect(report.results.map((r) => [r.backend, r.levels.map((l) => l.desks)])).toEqual([
      ['postgres', [1, 2]],
      ['pglite', [2]],
    ]);
    // PGlite runs in a data folder with every commit synced, as a library runs it
    expect(report.results[1]!.durableCommits).toBe(true);
    const top = report.results[0]!.levels[1]!;
    expect(report.summary).toEqual({
      desks: 2,
      pairsPerSecond: top.pairsPerSecond,
      pgbenchTps: report.pgbench.tps,
      ratio: Math.round((top.pairsPerSecond / report.pgbench.tps) * 1000) / 1000,
      p99Ms: Math.max(top.issueMs.p99, top.returnMs.p99),
    });
    for (const r of report.results) for (const l of r.levels) expect(l.errors).toBe(0);
    // an issue is begin, the locking read, the insert, commit; a return one statement
    expect(report.results[0]!.statements.issue.filter((q) => !/org"?\."?sessions/.test(q))).toHaveLength(4);
    expect(report.results[0]!.statements.return.filter((q) => !/org"?\."?sessions/.test(q))).toHaveLength(1);
    expect(files.map((f) => path.extname(f))).toEqual(['.json', '.md']);
    expect(fs.readFileSync(files[1]!, 'utf8')).toContain('pgbench TPC-B (scale 16, 16 clients, 2 threads, 2 s)');
  });

  it('builds a catalogue on PostgreSQL in bulk, with its indexes, and searches it', async () => {
    const result = await runPostgresSearchBench({ works: 3_000, queries: 40, passes: 1, postgresUrl, rebuild: true, outDir: work }, () => {});
    expect(result.copies).toBe(1_000);
    expect(result.latencyMs.count).toBe(result.queries);
    expect(result.byKind.author!.hitRate).toBe(1);
    // the indexes dropped for the load are all back
    expect(Object.keys(result.indexBytes)).toEqual(expect.arrayContaining(['works_search_trgm', 'works_search_prefix_idx', 'authors_search_trgm', 'works_sort_idx']));
    expect(result.searchIndexBytes).toBeGreaterThan(0);
  });
});
