/**
 * Benchmark of the summary accounting book of one library.
 *
 *   npx tsx bench/fund-books.ts                     100,000 copies received over 10 years, both databases
 *   npx tsx bench/fund-books.ts --copies 20000 --no-postgres
 *
 * The fund is generated in bulk by SQL as the documents the books are derived from: weekly receipts
 * (lines of 5 copies each, group and language fixed at receipt) and monthly approved write-off acts
 * (a fifth of the copies, two years after their receipt). It then times building the summary book
 * for the last year and for all ten years, and writes bench/results/fund-books-<date>.json and .md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Db } from '../src/db/connect.js';
import { buildSummaryBook } from '../src/fund/accounting/books.js';
import { createOrganisation } from '../src/org/organisations.js';
import { BACKENDS, openTestDatabase, type Backend } from '../test/support/db.js';
import { describeMachine, type Machine } from './machine.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface FundBooksBenchOptions {
  copies?: number;
  years?: number;
  repeats?: number;
  backends?: readonly Backend[];
  /** Where to write the results; none when null. */
  resultsDir?: string | null;
  log?: (line: string) => void;
}

interface BookTiming {
  period: string;
  from: string;
  to: string;
  receiptRows: number;
  writeOffRows: number;
  closingCopies: number;
  firstMs: number;
  medianMs: number;
  maxMs: number;
}

export interface FundBooksBackendResult {
  backend: Backend;
  copies: number;
  receipts: number;
  writeOffActs: number;
  writtenOffCopies: number;
  generateMs: number;
  identityHolds: boolean;
  books: BookTiming[];
}

export interface FundBooksResults {
  kind: 'fund-books';
  machine: Machine;
  years: number;
  results: FundBooksBackendResult[];
}

const GROUPS = ['socio_political', 'natural_sciences', 'technology_agriculture', 'sport_arts', 'linguistics_literature', 'fiction', 'other', 'textbooks'];
const LANGUAGES = ['kk', 'ru', 'other'];
const round = (ms: number) => Math.round(ms * 10) / 10;

/** The documents of a library over `years` years ending with 2025, generated set-wise. */
async function generateFund(db: Db, organisationId: number, copies: number, years: number) {
  const firstYear = 2026 - years;
  const lines = Math.ceil(copies / 5);
  const receipts = years * 50;
  const groups = `ARRAY[${GROUPS.map((g) => `'${g}'`).join(',')}]`;
  const languages = `ARRAY[${LANGUAGES.map((l) => `'${l}'`).join(',')}]`;
  await sql`INSERT INTO catalog.works (title, language) SELECT 'Кітап ' || i, (ARRAY['kaz','rus','eng'])[1 + i % 3] FROM generate_series(1, 1000) i`.execute(db);
  const firstWork = (await sql<{ id: number }>`SELECT min(id)::bigint AS id FROM catalog.works`.execute(db)).rows[0]!.id;
  await sql`
    INSERT INTO fund.receipts (organisation_id, number, received_on, source)
    SELECT ${organisationId}, i::text, make_date(${firstYear}, 1, 1) + ((i - 1) * (365 * ${years}) / ${receipts}), 'budget_purchase'
      FROM generate_series(1, ${receipts}) i`.execute(db);
  const firstReceipt = (await sql<{ id: number }>`SELECT min(id)::bigint AS id FROM fund.receipts`.execute(db)).rows[0]!.id;
  await sql`
    INSERT INTO fund.receipt_lines (receipt_id, work_id, copies_count, price_tiyn, fund, knowledge_group, language_group)
    SELECT ${firstReceipt} + (i - 1) % ${receipts}, ${firstWork} + i % 1000, 5, 50000 + (i * 7919) % 900000, 'main',
           (${sql.raw(groups)})[1 + i % 8], (${sql.raw(languages)})[1 + (i / 8) % 3]
      FROM generate_series(1, ${lines}) i`.execute(db);
  await sql`
    INSERT INTO fund.copies (organisation_id, work_id, inventory_number, barcode, fund, price_tiyn, acquired_on, receipt_id, receipt_line_id)
    SELECT ${organisationId}, l.work_id, (row_number() OVER (ORDER BY r.received_on, l.id, n))::text,
           '1' || lpad((row_number() OVER (ORDER BY l.id, n))::text, 9, '0'), 'main', l.price_tiyn, r.received_on, r.id, l.id
      FROM fund.receipt_lines l JOIN fund.receipts r ON r.id = l.receipt_id CROSS JOIN generate_series(1, 5) n`.execute(db);
  // One approved act a month; every fifth copy leaves the fund two years after it came.
  await sql`
    INSERT INTO fund.write_off_acts (organisation_id, number, act_date, reason, status, approved_at)
    SELECT ${organisationId}, 'A' || m, (make_date(${firstYear}, 1, 1) + make_interval(months => m))::date + 27, 'physical_wear', 'approved', now()
      FROM generate_series(0, ${years * 12 - 1}) m`.execute(db);
  await sql`
    INSERT INTO fund.write_off_lines (act_id, copy_id, price_tiyn, knowledge_group, language_group, off_balance)
    SELECT a.id, c.id, l.price_tiyn, l.knowledge_group, l.language_group, l.off_balance
      FROM fund.copies c
      JOIN fund.receipt_lines l ON l.id = c.receipt_line_id
      JOIN fund.receipts r ON r.id = c.receipt_id
      JOIN fund.write_off_acts a ON a.organisation_id = ${organisationId}
       AND date_trunc('month', a.act_date) = date_trunc('month', r.received_on + interval '2 years')
     WHERE c.organisation_id = ${organisationId} AND c.id % 5 = 0`.execute(db);
  await sql`
    UPDATE fund.copies c SET status = 'written_off', write_off_id = w.act_id
      FROM fund.write_off_lines w WHERE w.copy_id = c.id`.execute(db);
  await sql`ANALYZE`.execute(db);
  const count = async (table: string) =>
    Number((await sql<{ n: number }>`SELECT count(*)::bigint AS n FROM ${sql.table(table)}`.execute(db)).rows[0]!.n);
  return {
    copies: await count('fund.copies'),
    receipts: await count('fund.receipts'),
    writeOffActs: await count('fund.write_off_acts'),
    writtenOffCopies: await count('fund.write_off_lines'),
  };
}

async function timeBook(db: Db, organisationId: number, label: string, from: string, to: string, repeats: number): Promise<BookTiming> {
  const times: number[] = [];
  let book = null;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    book = await buildSummaryBook(db, organisationId, { from, to });
    times.push(performance.now() - start);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    period: label,
    from,
    to,
    receiptRows: book!.receipts.length,
    writeOffRows: book!.writeOffs.length,
    closingCopies: book!.balance.closing.total.copies,
    firstMs: round(times[0]!),
    medianMs: round(sorted[Math.floor(sorted.length / 2)]!),
    maxMs: round(sorted.at(-1)!),
  };
}

async function benchBackend(backend: Backend, copies: number, years: number, repeats: number, log: (line: string) => void) {
  const database = await openTestDatabase(backend);
  try {
    const db = database.db;
    const republic = await createOrganisation(db, null, { parentId: null, kind: 'republic', name: 'Қазақстан' });
    const region = await createOrganisation(db, null, { parentId: republic.id, kind: 'region', name: 'Абай облысы' });
    const district = await createOrganisation(db, null, { parentId: region.id, kind: 'district', name: 'Семей қаласы' });
    const school = await createOrganisation(db, null, { parentId: district.id, kind: 'school', name: 'Бенчмарк мектебі' });
    const start = performance.now();
    const counts = await generateFund(db, school.id, copies, years);
    const generateMs = round(performance.now() - start);
    log(`  ${backend}: ${counts.copies} copies, ${counts.receipts} receipts, ${counts.writeOffActs} acts generated in ${generateMs} ms`);
    const lastYear = await timeBook(db, school.id, 'last year', '2025-01-01', '2025-12-31', repeats);
    const all = await timeBook(db, school.id, `${years} years`, `${2026 - years}-01-01`, '2025-12-31', repeats);
    for (const b of [lastYear, all]) log(`  ${backend}: summary book for ${b.period}: median ${b.medianMs} ms (first ${b.firstMs} ms)`);
    const expectedClosing = counts.copies - counts.writtenOffCopies;
    return { backend, ...counts, generateMs, identityHolds: all.closingCopies === expectedClosing && lastYear.closingCopies === expectedClosing, books: [lastYear, all] };
  } finally {
    await database.close();
  }
}

function markdown(r: FundBooksResults): string {
  const m = r.machine;
  return [
    `# Summary accounting book — ${m.date.slice(0, 10)}`,
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB RAM, ${m.os}, Node ${m.node}, PGlite ${m.pgliteVersion}, PostgreSQL ${m.postgresVersion ?? '–'}, load ${m.loadAverage.join(' ')}.`,
    '',
    `One library, ${r.years} years of documents: weekly receipts, monthly approved write-off acts.`,
    '',
    '| database | copies | receipts | acts | written off | generated in ms | period | receipt rows | act rows | median ms | first ms | max ms | closing = received − written off |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...r.results.flatMap((b) =>
      b.books.map((k) => `| ${b.backend} | ${b.copies} | ${b.receipts} | ${b.writeOffActs} | ${b.writtenOffCopies} | ${b.generateMs} | ${k.period} | ${k.receiptRows} | ${k.writeOffRows} | ${k.medianMs} | ${k.firstMs} | ${k.maxMs} | ${b.identityHolds ? 'yes' : '**no**'} |`),
    ),
    '',
  ].join('\n');
}

export async function runFundBooksBench(options: FundBooksBenchOptions = {}): Promise<{ results: FundBooksResults; files: string[] }> {
  const log = options.log ?? console.log;
  const copies = options.copies ?? 100_000;
  const years = options.years ?? 10;
  const repeats = options.repeats ?? 3;
  const backends = options.backends ?? BACKENDS;
  const machine = await describeMachine(backends.includes('postgres') ? (process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test') : null);
  log(`Summary accounting book: ${copies} copies over ${years} years`);
  const results: FundBooksBackendResult[] = [];
  for (const backend of backends) results.push(await benchBackend(backend, copies, years, repeats, log));
  const report: FundBooksResults = { kind: 'fund-books', machine, years, results };
  const files: string[] = [];
  const dir = options.resultsDir === undefined ? path.join(here, 'results') : options.resultsDir;
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    const base = path.join(dir, `fund-books-${machine.date.slice(0, 10)}${copies === 100_000 && years === 10 ? '' : `-${copies}x${years}`}`);
    fs.writeFileSync(`${base}.json`, JSON.stringify(report, null, 2));
    fs.writeFileSync(`${base}.md`, markdown(report));
    files.push(`${base}.json`, `${base}.md`);
  }
  return { results: report, files };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? Number(argv[i + 1]) : undefined;
  };
  await runFundBooksBench({
    copies: value('copies'),
    years: value('years'),
    backends: argv.includes('--no-postgres') ? ['pglite'] : BACKENDS,
  });
}
