import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs, runFoundationBench } from './run.js';
import type { FoundationResults } from './report.js';

describe('npm run bench -- --quick', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kitaphana-bench-'));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('measures search, the desk on both databases and a cold start, and writes the figures with the machine', async () => {
    const options = parseArgs(['--quick', '--cache', path.join(work, 'cache'), '--out', path.join(work, 'results')]);
    const { files } = await runFoundationBench(options, () => {});

    expect(files.map((f) => path.basename(f))).toEqual([expect.stringMatching(/^\d{4}-\d{2}-\d{2}-foundation-quick\.json$/), expect.stringMatching(/-foundation-quick\.md$/)]);
    const results = JSON.parse(fs.readFileSync(files[0]!, 'utf8')) as FoundationResults;

    expect(results.machine.cores).toBeGreaterThan(0);
    expect(results.machine.node).toBe(process.version);
    expect(results.machine.pgliteVersion).toMatch(/^\d+\.\d+/);
    expect(results.machine.postgresVersion).toMatch(/^\d+/);

    const search = results.search;
    expect(search.works).toBe(2_000);
    expect(search.copies).toBe(667); // every third work is on the school's shelves
    expect(search.latencyMs.count).toBe(search.queries);
    expect(search.queries).toBeGreaterThanOrEqual(38);
    expect(search.latencyMs.p50).toBeGreaterThan(0);
    expect(search.latencyMs.p50).toBeLessThanOrEqual(search.latencyMs.p95);
    expect(search.latencyMs.p95).toBeLessThanOrEqual(search.latencyMs.max);
    expect(Object.keys(search.byKind).sort()).toEqual(['author', 'cyrillic', 'latin2017', 'latin2018', 'latin2021', 'multi_word', 'prefix', 'russian_keyboard']);
    // queries are made from catalogued works, so an author's surname always finds something
    expect(search.byKind.author!.hitRate).toBe(1);

    expect(results.circulation.map((b) => b.backend)).toEqual(['pglite', 'postgres']);
    for (const backend of results.circulation) {
      expect(backend.sequentialSelect1.perSecond).toBeGreaterThan(50);
      expect(backend.levels.map((l) => [l.desks, l.pairs, l.errors])).toEqual([
        [1, 5, 0],
        [4, 20, 0],
      ]);
      for (const level of backend.levels) {
        expect(level.pairsPerSecond).toBeGreaterThan(0);
        expect(level.issueMs.p50).toBeGreaterThan(0);
        expect(level.issueMs.p99).toBeGreaterThanOrEqual(level.issueMs.p50);
        expect(level.roundTripsPerRequest).toBeGreaterThan(0);
      }
    }

    expect(results.coldStart!.secondsToHealthy).toBeGreaterThan(0);
    expect(results.coldStart!.rssAfterStartMb).toBeGreaterThan(30);

    const markdown = fs.readFileSync(files[1]!, 'utf8');
    expect(markdown).toContain('## Catalogue search (embedded database, 2,000 works, 667 copies)');
    expect(markdown).toContain(`PGlite ${results.machine.pgliteVersion}`);
  }, 300_000);
});
