/**
 * MARC import rate: synthetic MARC 21 records (UTF-8 ISO 2709, Kazakh and Russian titles and
 * authors from templates, each with UDC, BBK, a subject and one copy in 876) imported through the
 * same code as POST /api/interop/imports, on the embedded database and on PostgreSQL.
 *
 *   npx tsx bench/marc-import.ts                 50,000 records on both databases
 *   npx tsx bench/marc-import.ts --records 5000 --no-postgres
 *   npx tsx bench/marc-import.ts --marcxml           the same records as a MARCXML collection
 *
 * Figures and the machine go to bench/results/marc-<yyyy-mm-dd>.json and .md. Target ≥ 3,000 records/s.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openTestDatabase, type Backend } from '../test/support/db.js';
import { connectPGlite } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedTenants } from '../test/support/tenants.js';
import { actorForSession, openSession } from '../src/org/users.js';
import { processImportBatch, startImport, type ImportOptions, type ImportTimings } from '../src/interop/imports.js';
import { writeIso2709 } from '../src/interop/marc/iso2709.js';
import { writeMarcXmlCollection } from '../src/interop/marc/marcxml.js';
import type { MarcRecord } from '../src/interop/marc/record.js';
import { describeMachine, type Machine } from './machine.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const TARGET_RECORDS_PER_SECOND = 3000;

const SURNAMES = ['Әуезов', 'Абай', 'Мағауин', 'Есенберлин', 'Нұрпейісов', 'Мүсірепов', 'Сейфуллин', 'Жансүгіров', 'Майлин', 'Сәтбаев', 'Толстой', 'Пушкин', 'Чехов', 'Достоевский', 'Тургенев', 'Бөкеев', 'Кекілбаев', 'Оспанов', 'Шаханов', 'Қайсенов'];
const FORENAMES = ['Мұхтар', 'Ілияс', 'Әбдіжәміл', 'Ғабит', 'Сәкен', 'Бейімбет', 'Оралхан', 'Әбіш', 'Лев', 'Александр', 'Антон', 'Фёдор', 'Иван', 'Мұқағали', 'Қасым'];
/** Syllables of Kazakh and Russian words: titles made of them have a real catalogue's variety of letter triples. */
const SYLLABLES = ['да', 'ла', 'көк', 'тем', 'ақ', 'жел', 'кен', 'тау', 'өз', 'ен', 'бақ', 'ыт', 'жол', 'ана', 'жү', 'рек', 'сөз', 'күз', 'вой', 'на', 'мир', 'степ', 'звез', 'до', 'ро', 'га', 'ут', 'ғас', 'ыр', 'ұлы', 'қы', 'ран', 'ше', 'жі', 'ре', 'ер', 'те', 'гі', 'әң', 'гі', 'ме', 'ни', 'ков', 'бек', 'хан', 'сай', 'тұл', 'пар', 'қа', 'шы', 'ли', 'ска', 'зо', 'лот', 'иә', 'үй'];
const SUBJECTS = ['Қазақ әдебиеті', 'Балалар әдебиеті', 'Тарих', 'Русская литература', 'Поэзия'];

/** Deterministic pseudo-random numbers, so two runs import the same file. */
function random(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s % n;
  };
}

function isbn13(body12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body12[i]) * (i % 2 === 0 ? 1 : 3);
  return body12 + ((10 - (sum % 10)) % 10);
}

export function syntheticRecords(count: number, seed = 1): MarcRecord[] {
  const pick = random(seed);
  const records: MarcRecord[] = [];
  for (let i = 1; i <= count; i++) {
    const word = () => Array.from({ length: 2 + pick(3) }, () => SYLLABLES[pick(SYLLABLES.length)]).join('');
    const title = `${word()} ${word()} ${word()}`.replace(/^./, (c) => c.toUpperCase());
    const author = `${SURNAMES[pick(SURNAMES.length)]}, ${FORENAMES[pick(FORENAMES.length)]}`;
    const year = 1960 + pick(65);
    const record: MarcRecord = {
      leader: '00000nam a2200000 i 4500',
      fields: [
        { tag: '001', value: `bench-${i}` },
        { tag: '003', value: 'BENCH' },
        { tag: '008', value: `240101s${year}    kz            000 0 kaz d` },
        { tag: '020', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: isbn13(`9786010${String(i).padStart(5, '0')}`) }] },
        { tag: '080', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: `821.512.122-${pick(9)}` }] },
        { tag: '084', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: '84(5Каз)' }, { code: '2', value: 'rubbk' }] },
        { tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: author }] },
        { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: `${title} /` }, { code: 'c', value: author }] },
        { tag: '264', ind1: ' ', ind2: '1', subfields: [{ code: 'a', value: 'Алматы :' }, { code: 'b', value: 'Атамұра,' }, { code: 'c', value: `${year}.` }] },
        { tag: '300', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: `${100 + pick(400)} б.` }] },
        { tag: '650', ind1: ' ', ind2: '4', subfields: [{ code: 'a', value: SUBJECTS[pick(SUBJECTS.length)]! }] },
        { tag: '876', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: String(100000 + i) }, { code: 'c', value: `${1000 + pick(5000)}.00` }] },
      ],
    };
    records.push(record);
  }
  return records;
}

export type Syntax = 'iso2709' | 'marcxml';

/** The records as one file: UTF-8 ISO 2709, or a MARCXML collection. */
export function syntheticFile(count: number, syntax: Syntax = 'iso2709', seed = 1): Buffer {
  const records = syntheticRecords(count, seed);
  return syntax === 'marcxml' ? Buffer.from(writeMarcXmlCollection(records), 'utf8') : Buffer.concat(records.map(writeIso2709));
}

export interface MarcBackendResult {
  backend: Backend;
  records: number;
  seconds: number;
  recordsPerSecond: number;
  created: number;
  copies: number;
  failed: number;
  meetsTarget: boolean;
  /** Seconds of CPU this process (reading, mapping, keys, the embedded database) used during the import. */
  processCpuSeconds: number;
  /** Where the wall time went, in seconds, added up over the chunks ('chunk' is each chunk's whole transaction). */
  steps: Record<string, number>;
  loadAverageAtStart: number[];
}

export interface MarcBenchResults {
  kind: 'marc-import';
  machine: Machine;
  records: number;
  syntax: Syntax;
  fileBytes: number;
  target: number;
  results: MarcBackendResult[];
  /** Other work on the machine slows every figure: the load at the end says how much. */
  loadAverageAtEnd: number[];
}

async function runOne(backend: Backend, file: Buffer, records: number): Promise<MarcBackendResult> {
  // the embedded database in a data folder, as a school runs it (tests keep theirs in memory, which
  // is slower to write: the in-memory file system grows a file by copying it)
  const database = backend === 'pglite' ? await openDataFolder() : await openTestDatabase(backend);
  try {
    const tenants = await seedTenants(database.db);
    const session = await openSession(database.db, tenants.librarianA.userId);
    const { actor } = (await actorForSession(database.db, session.token))!;
    const timings: ImportTimings = {};
    const options: ImportOptions = { fileName: 'bench.mrc', matching: 'merge', holdings: true, timings, database: database.kind };
    const loadAverageAtStart = os.loadavg().map((l) => Math.round(l * 100) / 100);
    const cpu = process.cpuUsage();
    const started = performance.now();
    const start = await startImport(database.db, actor, file, options);
    await processImportBatch(database.db, actor, start, options);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const batch = await database.db
      .selectFrom('interop.import_batches')
      .select(['created', 'copies', 'failed', 'status', 'error'])
      .where('id', '=', start.batchId)
      .executeTakeFirstOrThrow();
    if (batch.status !== 'done') throw new Error(`import ${batch.status}: ${batch.error}`);
    const rate = Math.round(records / seconds);
    const steps = Object.fromEntries(Object.entries(timings).map(([k, ms]) => [k, Math.round(ms / 10) / 100]));
    return {
      backend,
      records,
      seconds: Math.round(seconds * 100) / 100,
      recordsPerSecond: rate,
      created: batch.created,
      copies: batch.copies,
      failed: batch.failed,
      meetsTarget: rate >= TARGET_RECORDS_PER_SECOND,
      processCpuSeconds: Math.round((used.user + used.system) / 10_000) / 100,
      steps,
      loadAverageAtStart,
    };
  } finally {
    await database.close();
  }
}

async function openDataFolder() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-marc-'));
  const handle = await connectPGlite(dir);
  await migrateToLatest(handle.db);
  return { ...handle, close: async () => { await handle.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

function markdown(r: MarcBenchResults): string {
  const m = r.machine;
  return [
    `# MARC import benchmark, ${m.date.slice(0, 10)}`,
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB memory, ${m.os}, Node ${m.node}, PGlite ${m.pgliteVersion}, PostgreSQL ${m.postgresVersion ?? '–'}; load average ${m.loadAverage.join(' ')} at the start, ${r.loadAverageAtEnd.join(' ')} at the end.`,
    '',
    `${r.records.toLocaleString('en')} synthetic MARC 21 records (${(r.fileBytes / 2 ** 20).toFixed(1)} MB, ${r.syntax === 'marcxml' ? 'a MARCXML collection' : 'UTF-8 ISO 2709'}, each with UDC, BBK, an author, a subject and one copy), read, matched by ISBN and 003/001, and imported with their copies in chunks of 1,000 (the same code as POST /api/interop/imports). The embedded database keeps a data folder, as a school's server does. Target ≥ ${r.target.toLocaleString('en')} records/s.`,
    '',
    '| database | records | seconds | records/s | works created | copies | failed | target met | CPU of this process, s | load at its start |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...r.results.map(
      (x) =>
        `| ${x.backend} | ${x.records} | ${x.seconds} | ${x.recordsPerSecond} | ${x.created} | ${x.copies} | ${x.failed} | ${x.meetsTarget ? 'yes' : '**no**'} | ${x.processCpuSeconds} | ${x.loadAverageAtStart.join(' ')} |`,
    ),
    '',
    'Where the time went, seconds (steps inside a chunk add up to less than `chunk`, its whole transaction; `works` holds `keys`, `works_insert` and `links_insert`; `read` is the work of reading and mapping records, done while the previous chunk is written, and `read_wait` the time a chunk waited for its records):',
    '',
    ...r.results.map((x) => `- ${x.backend}: ${Object.entries(x.steps).map(([k, v]) => `${k} ${v}`).join(', ')}`),
    '',
  ].join('\n');
}

export async function runMarcImportBench(
  options: { records?: number; syntax?: Syntax; backends?: Backend[]; outDir?: string } = {},
  log: (line: string) => void = console.log,
): Promise<{ results: MarcBenchResults; files: string[] }> {
  const records = options.records ?? 50_000;
  const backends = options.backends ?? ['pglite', 'postgres'];
  const machine = await describeMachine(backends.includes('postgres') ? (process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test') : null);
  const syntax = options.syntax ?? 'iso2709';
  const file = syntheticFile(records, syntax);
  log(`MARC import: ${records} records (${syntax}), ${(file.length / 2 ** 20).toFixed(1)} MB`);
  const results: MarcBackendResult[] = [];
  for (const backend of backends) {
    const result = await runOne(backend, file, records);
    log(`  ${backend}: ${result.recordsPerSecond} records/s (${result.seconds} s, ${result.created} works, ${result.copies} copies, ${result.processCpuSeconds} s CPU here, load ${result.loadAverageAtStart.join(' ')})`);
    log(`    steps (s): ${Object.entries(result.steps).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    results.push(result);
  }
  const all: MarcBenchResults = {
    kind: 'marc-import',
    machine,
    records,
    syntax,
    fileBytes: file.length,
    target: TARGET_RECORDS_PER_SECOND,
    results,
    loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
  const outDir = options.outDir ?? path.join(here, 'results');
  fs.mkdirSync(outDir, { recursive: true });
  // a later run the same day gets its own file: earlier figures are kept
  let base = path.join(outDir, `marc-${syntax === 'marcxml' ? 'xml-' : ''}${machine.date.slice(0, 10)}`);
  if (fs.existsSync(`${base}.json`)) base += `-${machine.date.slice(11, 16).replace(':', '')}`;
  fs.writeFileSync(`${base}.json`, JSON.stringify(all, null, 2) + '\n');
  fs.writeFileSync(`${base}.md`, markdown(all));
  return { results: all, files: [`${base}.json`, `${base}.md`] };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const value = (name: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);
  await runMarcImportBench({
    records: value('records') ? Number(value('records')) : undefined,
    backends: value('backends') ? (value('backends')!.split(',') as Backend[]) : argv.includes('--no-postgres') ? ['pglite'] : undefined,
    syntax: argv.includes('--marcxml') ? 'marcxml' : 'iso2709',
    outDir: value('out'),
  });
}
