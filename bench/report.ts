import fs from 'node:fs';
import path from 'node:path';
import type { BackendResult } from './circulation.js';
import type { ColdStartResult } from './cold-start.js';
import type { Machine } from './machine.js';
import type { SearchBenchResult } from './search.js';

export interface FoundationResults {
  kind: 'foundation';
  quick: boolean;
  machine: Machine;
  search: SearchBenchResult;
  circulation: BackendResult[];
  coldStart: ColdStartResult | null;
  loadAverageAtEnd: number[];
}

const yes = (ok: boolean | null) => (ok === null ? '–' : ok ? 'yes' : '**no**');

function searchSection(s: SearchBenchResult): string[] {
  const lines = [
    `## Catalogue search (embedded database, ${s.works.toLocaleString('en')} works, ${s.copies.toLocaleString('en')} copies)`,
    '',
    `${s.queries} queries × passes; p95 target ≤ ${s.targetP95Ms} ms: ${yes(s.meetsTarget)}.`,
    '',
    '| queries | n | mean ms | p50 ms | p95 ms | max ms | found something |',
    '|---|---|---|---|---|---|---|',
    `| all | ${s.latencyMs.count} | ${s.latencyMs.mean} | ${s.latencyMs.p50} | ${s.latencyMs.p95} | ${s.latencyMs.max} | |`,
  ];
  for (const [kind, k] of Object.entries(s.byKind)) {
    lines.push(`| ${kind} | ${k.count} | ${k.mean} | ${k.p50} | ${k.p95} | ${k.max} | ${Math.round(k.hitRate * 100)}% |`);
  }
  return lines;
}

function circulationSection(results: BackendResult[]): string[] {
  const lines = [
    '## Circulation desk over HTTP (issue + return pairs)',
    '',
    '| database | desks | pairs/s | issue p50 / p99 ms | return p50 / p99 ms | errors | `select 1`/s at same concurrency | round trips per request | p99 ≤ 20 ms at 16 desks |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const b of results) {
    for (const l of b.levels) {
      lines.push(
        `| ${b.backend} | ${l.desks} | ${l.pairsPerSecond} | ${l.issueMs.p50} / ${l.issueMs.p99} | ${l.returnMs.p50} / ${l.returnMs.p99} | ${l.errors} | ${l.baselineSelect1PerSecond} | ${l.roundTripsPerRequest} | ${yes(l.meetsTarget)} |`,
      );
    }
  }
  lines.push('');
  for (const b of results) {
    lines.push(`Sequential \`select 1\` on ${b.backend}: ${b.sequentialSelect1.perSecond}/s (p50 ${b.sequentialSelect1.latencyMs.p50} ms).`);
  }
  return lines;
}

function coldStartSection(c: ColdStartResult | null): string[] {
  if (!c) return [];
  const search = c.searchRoute
    ? `after the search mix over HTTP (${c.searchRoute}, p50 ${c.httpSearchMs!.p50} ms, p95 ${c.httpSearchMs!.p95} ms, ${c.httpSearchErrors} not 200): ${c.rssAfterSearchMb} MB`
    : 'after the search mix: not measured, the catalogue has no HTTP search route yet';
  return [
    '## Cold start of the server (the compiled dist/main.js on the search data folder)',
    '',
    `- first 200 of /api/health: ${c.secondsToHealthy} s after the process was spawned`,
    `- RSS after start: ${c.rssAfterStartMb} MB`,
    `- RSS ${search}`,
  ];
}

export function renderMarkdown(r: FoundationResults): string {
  const m = r.machine;
  return [
    `# Foundation benchmark, ${m.date.slice(0, 10)}${r.quick ? ' (quick smoke run)' : ''}`,
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB RAM, ${m.os}; Node ${m.node}; PGlite ${m.pgliteVersion}; ` +
      `PostgreSQL ${m.postgresVersion ?? 'not used'}; load average (1/5/15 min) at start ${m.loadAverage.join(' / ')}, at the end ${r.loadAverageAtEnd.join(' / ')}.`,
    '',
    ...searchSection(r.search),
    '',
    ...circulationSection(r.circulation),
    '',
    ...coldStartSection(r.coldStart),
    '',
  ].join('\n');
}

/** Writes the JSON and the readable Markdown beside it; returns both paths. */
export function writeReport(results: FoundationResults, outDir: string): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  const day = results.machine.date.slice(0, 10);
  const base = path.join(outDir, `${day}-foundation${results.quick ? '-quick' : ''}`);
  fs.writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(`${base}.md`, renderMarkdown(results));
  return [`${base}.json`, `${base}.md`];
}
