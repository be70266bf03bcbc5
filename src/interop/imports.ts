import { AUTO_PROFILE, resolveHoldingsProfile, suggestHoldingsProfile, type HoldingsFieldRule } from './holdings-profiles.js';
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { updateWork } from '../catalog/works.js';
import { lockWorksByIsbn } from '../catalog/locks.js';
import { foldForSearch, kazakhSortKey, searchKey, transliterationKey } from '../catalog/folding.js';
import { now } from '../shared/library-time.js';
import { marcOrgCode } from './export.js';
import type { Db } from '../db/connect.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { conflict, notFound } from '../shared/errors.js';
import { createHash, randomUUID } from 'node:crypto';
import { INTERRUPTED, markInterruptedImports, takeLease, type DatabaseKind, type Lease } from './workers.js';
import { AuthorResolver, type LinkedAuthor } from './authority.js';
import { addImportedCopies } from './holdings.js';
import { createOpening, newLoad, stageOpeningRows } from '../fund/accounting/opening.js';
import { libraryToday } from '../shared/library-time.js';
import { insertRows } from './bulk.js';
import type { Encoding } from './marc/encoding.js';
import type { MappedWork, MarcFormat } from './mapping.js';
import { openMarcFile, readMarcFileInSlices, summarise, type FileRecord, type MarcFileSource, type ReadFileResult } from './reader.js';
import type { ImportStatus, RecordAction } from './schema.js';
import { libraryOf } from '../auth/guard.js';

export type Matching = 'merge' | 'keep' | 'skip';

export interface ImportOptions {
  fileName: string;
  /** What to do with a record that matches a work already in the catalogue (ISBN, or the same source record). */
  matching: Matching;
  /** Add the copies the file describes to the importing library. */
  holdings: boolean;
  encoding?: Encoding;
  format?: MarcFormat;
  /** The holdings profile chosen in the preview (holdings-profiles.ts); the format's usual fields when absent. */
  holdingsProfile?: string;
  /** Its rules, resolved when the import starts and kept with the batch for a resume. */
  holdingsRules?: HoldingsFieldRule[] | null;
  /** Records per transaction; the batch row shows progress after each. */
  chunkSize?: number;
  /** The kind of database: on a PostgreSQL server the worker holds an advisory lock that shows it is alive. */
  database?: DatabaseKind;
  /** Called after each chunk has committed, with the number of records done (tests stop an import there). */
  onChunkDone?: (processed: number) => Promise<void> | void;
  /** Milliseconds spent in each step of the import, added up over the chunks (the benchmark reports them). */
  timings?: ImportTimings;
}

export type ImportTimings = Record<string, number>;

/** Runs one step of the import, adding its wall time to `timings` when the caller asked for them. */
export async function timed<T>(timings: ImportTimings | undefined, step: string, work: () => Promise<T> | T): Promise<T> {
  if (!timings) return work();
  const started = performance.now();
  try {
    return await work();
  } finally {
    timings[step] = (timings[step] ?? 0) + performance.now() - started;
  }
}

export interface PreviewProblem {
  position: number;
  offset: number | null;
  severity: 'error' | 'warning';
  code: string;
  params: Record<string, string | number>;
}

export interface ImportPreview {
  syntax: string;
  format: string;
  encoding: string;
  total: number;
  readable: number;
  errors: number;
  warnings: number;
  matches: number;
  copies: number;
  formats: Record<string, number>;
  encodings: Record<string, number>;
  problems: PreviewProblem[];
  samples: { position: number; title: string; authors: string[]; isbn: string | null; publishYear: number | null; udc: string | null; bbk: string | null }[];
  /** The profile the copies were read with, and the one the file's fields suggest. */
  holdingsProfile: string;
  suggestedProfile: string;
  /** The first copies as the chosen profile maps them, so a wrong profile shows before anything is written. */
  copySamples: { position: number; title: string; inventoryNumber: string | null; barcode: string | null; priceTiyn: number; location: string | null }[];
}

const COPY_SAMPLES = 10;

const MAX_PROBLEMS = 500;

function problemsOf(records: FileRecord[], fileError: ReadFileResult['fileError']): PreviewProblem[] {
  const list: PreviewProblem[] = fileError ? [{ position: 0, offset: null, severity: 'error', code: fileError.code, params: fileError.params ?? {} }] : [];
  for (const r of records) {
    for (const p of r.problems) list.push({ position: r.position, offset: r.offset, severity: p.severity, code: p.code, params: p.params ?? {} });
  }
  return list;
}

const countBy = (values: (string | null)[]) =>
  values.reduce<Record<string, number>>((acc, v) => (v ? { ...acc, [v]: (acc[v] ?? 0) + 1 } : acc), {});

const isGood = (r: FileRecord) => r.work !== null && !r.problems.some((p) => p.severity === 'error');

/** Reads a file without writing anything: counts, problems with positions, and how many records match the catalogue. */
export async function previewImport(db: Executor, actor: Actor, bytes: Uint8Array, options: Pick<ImportOptions, 'encoding' | 'format' | 'holdingsProfile'>): Promise<ImportPreview> {
  const organisationId = libraryOf(actor);
  const holdingsRules = await resolveHoldingsProfile(db, organisationId, options.holdingsProfile);
  const file = await readMarcFileInSlices(bytes, { ...options, holdingsRules });
  const good = file.records.filter(isGood);
  const matches = await findMatches(db, good.map((r) => r.work!));
  const problems = problemsOf(file.records, file.fileError);
  return {
    syntax: file.syntax,
    format: summarise(good.map((r) => r.format)),
    encoding: summarise(good.map((r) => r.encoding)),
    total: file.records.length,
    readable: good.length,
    errors: file.records.length - good.length + (file.fileError ? 1 : 0),
    warnings: problems.filter((p) => p.severity === 'warning').length,
    matches: good.filter((r) => matchOf(matches, r.work!) !== undefined).length,
    copies: good.reduce((n, r) => n + r.work!.holdings.length, 0),
    formats: countBy(good.map((r) => r.format)),
    encodings: countBy(good.map((r) => r.encoding)),
    problems: problems.slice(0, MAX_PROBLEMS),
    samples: good.slice(0, 10).map((r) => ({
      position: r.position,
      title: r.work!.title,
      authors: r.work!.authors.map((a) => a.name),
      isbn: r.work!.isbn,
      publishYear: r.work!.publishYear,
      udc: r.work!.udc,
      bbk: r.work!.bbk,
    })),
    holdingsProfile: options.holdingsProfile ?? AUTO_PROFILE,
    suggestedProfile: suggestHoldingsProfile(good.slice(0, 200).map((r) => r.record!)),
    copySamples: good
      .flatMap((r) => r.work!.holdings.map((h) => ({ position: r.position, title: r.work!.title, ...h })))
      .slice(0, COPY_SAMPLES),
  };
}

interface Matches {
  byIsbn: Map<string, number>;
  byControl: Map<string, number>;
}

/** Works already in the catalogue with the same ISBN, or made from a record with the same 003/001 by an earlier import. */
async function findMatches(db: Executor, works: MappedWork[]): Promise<Matches> {
  const isbns = [...new Set(works.map((w) => w.isbn).filter((v): v is string => !!v))];
  const controls = [...new Set(works.map((w) => w.controlNumber).filter((v): v is string => !!v))];
  const byIsbn = new Map<string, number>();
  const byControl = new Map<string, number>();
  // one array parameter per query, however many records: thousands of bound parameters cost more than the lookup
  if (isbns.length) {
    const rows = await db.selectFrom('catalog.works').select(['id', 'isbn']).where(sql<boolean>`isbn = any(${isbns}::text[])`).orderBy('id').execute();
    for (const r of rows) if (!byIsbn.has(r.isbn!)) byIsbn.set(r.isbn!, r.id);
  }
  if (controls.length) {
    const rows = await db
      .selectFrom('interop.source_records as s')
      .innerJoin('interop.import_batches as b', 'b.id', 's.batch_id')
      .select(['s.control_number', 's.work_id'])
      .where(sql<boolean>`s.control_number = any(${controls}::text[])`)
      .where('s.work_id', 'is not', null)
      .where('b.undone_at', 'is', null)
      .orderBy('s.id')
      .execute();
    for (const r of rows) if (!byControl.has(r.control_number!)) byControl.set(r.control_number!, r.work_id!);
  }
  // Our own export coming back: 003 is this catalogue's code and 001 the work's id. The id is trusted
  // only when the title agrees, so another deployment's record under the same code cannot take a work.
  const own = `${marcOrgCode()}|`;
  const ownIds = new Map<number, string>();
  for (const w of works) {
    const id = w.controlNumber?.startsWith(own) ? Number(w.controlNumber.slice(own.length)) : NaN;
    if (Number.isSafeInteger(id) && id > 0 && !byControl.has(w.controlNumber!)) ownIds.set(id, foldForSearch(w.title));
  }
  if (ownIds.size) {
    const rows = await db.selectFrom('catalog.works').select(['id', 'title_key']).where(sql<boolean>`id = any(${[...ownIds.keys()]}::int8[])`).execute();
    for (const r of rows) if (r.title_key === ownIds.get(r.id)) byControl.set(`${own}${r.id}`, r.id);
  }
  return { byIsbn, byControl };
}

const matchOf = (m: Matches, w: MappedWork) => (w.controlNumber ? m.byControl.get(w.controlNumber) : undefined) ?? (w.isbn ? m.byIsbn.get(w.isbn) : undefined);

export interface BatchStart {
  batchId: number;
  /** The file, split into records; each chunk's records are read when the import comes to them. */
  file: MarcFileSource;
  /** Index of the first record still to import: 0, or where an interrupted import stopped. */
  from: number;
  /** This process works on the batch until the lease is released (see workers.ts). */
  lease: Lease;
  /** Names this run of the batch (`options.run`): a worker taken for gone writes nothing once another run resumed it. */
  run: string;
}

/** Thrown inside a chunk when the batch is no longer running (it was marked interrupted meanwhile). */
class ImportStopped extends Error {}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Splits the file into records and opens its batch; `processImportBatch` then reads and imports it chunk by chunk. */
export async function startImport(db: Db, actor: Actor, bytes: Uint8Array, options: ImportOptions): Promise<BatchStart> {
  const organisationId = libraryOf(actor);
  options.holdingsRules ??= await resolveHoldingsProfile(db, organisationId, options.holdingsProfile);
  const file = await openMarcFile(bytes, options, undefined, options.timings);
  // the id first, so the worker holds its lease before anyone can see the batch running
  const { rows } = await sql<{ id: number }>`select nextval('interop.import_batches_id_seq')::int8 as id`.execute(db);
  const batchId = Number(rows[0]!.id);
  const lease = await takeLease(db, batchId, options.database);
  const run = randomUUID();
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('interop.import_batches')
        .values({
          id: batchId,
          organisation_id: organisationId,
          created_by: actor.userId,
          file_name: options.fileName.slice(0, 255),
          syntax: file.syntax,
          // known once records are read: each chunk adds its own (see importChunk)
          format: 'unknown',
          encoding: 'unknown',
          options: JSON.stringify({
            matching: options.matching,
            holdings: options.holdings,
            encoding: options.encoding ?? null,
            format: options.format ?? null,
            holdingsProfile: options.holdingsProfile ?? null,
            holdingsRules: options.holdingsRules ?? null,
            chunkSize: options.chunkSize ?? null,
            // an interrupted import is resumed only with the same file
            fileSha256: sha256(bytes),
            run,
          }),
          total: file.total,
          // the code with its params (the parser's line and column), so the report can say where
          error: file.fileError ? JSON.stringify({ code: file.fileError.code, params: file.fileError.params ?? {} }) : null,
        })
        .execute();
      if (file.fileError) await insertProblems(trx, batchId, [{ position: 0, offset: null, severity: 'error', code: file.fileError.code, params: file.fileError.params ?? {} }]);
      await audit(trx, actor, 'import_start', 'import_batch', batchId, { fileName: options.fileName, records: file.total });
    });
  } catch (err) {
    await lease.release();
    throw err;
  }
  return { batchId, file, from: 0, lease, run };
}

interface StoredOptions {
  matching: Matching;
  holdings: boolean;
  encoding?: Encoding | null;
  format?: MarcFormat | null;
  holdingsProfile?: string | null;
  holdingsRules?: HoldingsFieldRule[] | null;
  chunkSize?: number | null;
  fileSha256?: string;
}

const storedOptions = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as StoredOptions;

/**
 * Resumes an import that a server stop interrupted, from the first record its committed chunks
 * did not cover, with the same options. The file must be the one imported (same SHA-256), since
 * positions and the records already done refer to it.
 */
export async function resumeImport(
  db: Db,
  actor: Actor,
  batchId: number,
  bytes: Uint8Array,
  extra: Pick<ImportOptions, 'database' | 'timings'> = {},
): Promise<{ start: BatchStart; options: ImportOptions }> {
  const organisationId = libraryOf(actor);
  await markInterruptedImports(db, organisationId);
  const batch = await db
    .selectFrom('interop.import_batches')
    .select(['id', 'status', 'error', 'options', 'file_name', 'processed', 'total'])
    .where('id', '=', batchId)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  if (!batch) throw notFound('import_batch', batchId);
  if (batch.status !== 'failed' || batch.error !== INTERRUPTED) throw conflict('interop.resume_not_interrupted');
  const stored = storedOptions(batch.options);
  if (!stored.fileSha256 || stored.fileSha256 !== sha256(bytes)) throw conflict('interop.resume_other_file');
  const options: ImportOptions = {
    fileName: batch.file_name,
    matching: stored.matching,
    holdings: stored.holdings,
    encoding: stored.encoding ?? undefined,
    format: stored.format ?? undefined,
    holdingsProfile: stored.holdingsProfile ?? undefined,
    holdingsRules: stored.holdingsRules ?? null,
    chunkSize: stored.chunkSize ?? undefined,
    ...extra,
  };
  const file = await openMarcFile(bytes, options, undefined, options.timings);
  const lease = await takeLease(db, batchId, options.database);
  const run = randomUUID();
  try {
    const resumed = await db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('interop.import_batches')
        .set({ status: 'running', error: null, finished_at: null, options: sql`options || ${JSON.stringify({ run })}::jsonb` })
        .where('id', '=', batchId)
        .where('status', '=', 'failed')
        .where('error', '=', INTERRUPTED)
        .returning('processed')
        .executeTakeFirst();
      if (row) await audit(trx, actor, 'import_resume', 'import_batch', batchId, { from: row.processed + 1 });
      return row;
    });
    if (!resumed) throw conflict('interop.resume_not_interrupted');
    return { start: { batchId, file, from: resumed.processed, lease, run }, options };
  } catch (err) {
    await lease.release();
    throw err;
  }
}

/** Imports the records of a started batch in chunks, one transaction each, updating the batch's progress. */
export async function processImportBatch(db: Db, actor: Actor, start: BatchStart, options: ImportOptions): Promise<void> {
  const chunkSize = options.chunkSize ?? 1000;
  const authors = new AuthorResolver(actor);
  const seen: Matches = { byIsbn: new Map(), byControl: new Map() };
  const { file } = start;
  // The next chunk is read while the database writes this one: on a server the two run side by
  // side (reading is a fifth of the import's time); on the embedded database they take turns.
  const readFrom = (from: number) => {
    const reading = file.read(from, chunkSize);
    reading.catch(() => {}); // a failure surfaces where the chunk is awaited
    return reading;
  };
  try {
    let next = start.from < file.total ? readFrom(start.from) : null;
    for (let i = start.from; next; i += chunkSize) {
      const records = await timed(options.timings, 'read_wait', () => next!);
      next = i + chunkSize < file.total ? readFrom(i + chunkSize) : null;
      const createdBefore = authors.created.length;
      try {
        await timed(options.timings, 'chunk', () =>
          db.transaction().execute((trx) =>
            withChunkPendingList(trx, options, () => importChunk(trx, actor, start, records, options, authors, seen)),
          ),
        );
        await options.onChunkDone?.(Math.min(i + chunkSize, file.total));
      } catch (err) {
        authors.forget(createdBefore);
        throw err;
      }
    }
    await db
      .updateTable('interop.import_batches')
      .set({ status: start.file.fileError ? 'failed' : 'done', finished_at: new Date() })
      .where('id', '=', start.batchId)
      .where('status', '=', 'running')
      .where(sql<boolean>`options->>'run' = ${start.run}`)
      .execute();
  } catch (err) {
    if (!(err instanceof ImportStopped)) {
      await db
        .updateTable('interop.import_batches')
        .set({ status: 'failed', error: (err as Error).message.slice(0, 1000), finished_at: new Date() })
        .where('id', '=', start.batchId)
        .where('status', '=', 'running')
        .where(sql<boolean>`options->>'run' = ${start.run}`)
        .execute();
    }
  } finally {
    await start.lease.release();
  }
  // The works' keys went into the trigram index's pending list (at most 64 kB, catalog migration
  // 0102), merged by the inserts as it fills; what the last chunk left there is merged now, so
  // searches find an empty list. This takes no lock that a search or an insert waits for.
  await timed(options.timings, 'gin_merge', () => sql`select gin_clean_pending_list('catalog.works_search_trgm'::regclass)`.execute(db)).catch(() => {});
}

/**
 * On the embedded database only: the chunk's search keys collect in the trigram index's pending
 * list and are merged into the index once, sorted, before commit, instead of every 64 kB (catalog
 * migration 0102): 10,000 works went in 1.3–2.0 s instead of 2.8–3.2 s. That takes an `ALTER
 * INDEX`, whose lock would stop every query on catalog.works of a PostgreSQL server until commit,
 * so a server never does it. The embedded database has one connection, and the chunk's
 * transaction holds it to the end anyway: nobody else can run meanwhile, and before commit the
 * list is merged and the index's own setting restored, so no one ever sees either changed.
 */
async function withChunkPendingList<T>(trx: Executor, options: ImportOptions, work: () => Promise<T>): Promise<T> {
  if (options.database !== 'pglite') {
    // A server: the limit is the connection's (catalog migration 0104), widened for this transaction
    // only, and the chunk's keys merged before commit, so other users' searches soon see a short list.
    await sql`set local gin_pending_list_limit = 65536`.execute(trx);
    const result = await work();
    await timed(options.timings, 'gin_merge', () => sql`select gin_clean_pending_list('catalog.works_search_trgm'::regclass)`.execute(trx));
    return result;
  }
  const { rows } = await sql<{ setting: string | null }>`
    select (select o from unnest(reloptions) o where o like 'gin_pending_list_limit=%') as setting
    from pg_class where oid = 'catalog.works_search_trgm'::regclass`.execute(trx);
  const setting = rows[0]?.setting ?? null;
  await sql`alter index catalog.works_search_trgm set (gin_pending_list_limit = 16384)`.execute(trx);
  const result = await work();
  await timed(options.timings, 'gin_merge', () => sql`select gin_clean_pending_list('catalog.works_search_trgm'::regclass)`.execute(trx));
  if (setting && /^gin_pending_list_limit=\d+$/.test(setting)) await sql.raw(`alter index catalog.works_search_trgm set (${setting})`).execute(trx);
  else await sql`alter index catalog.works_search_trgm reset (gin_pending_list_limit)`.execute(trx);
  return result;
}

/** Reads, opens and imports a file in one call; returns the batch id. */
export async function importMarc(db: Db, actor: Actor, bytes: Uint8Array, options: ImportOptions): Promise<number> {
  const start = await startImport(db, actor, bytes, options);
  await processImportBatch(db, actor, start, options);
  return start.batchId;
}

interface Outcome {
  action: RecordAction;
  workId: number | null;
  previous: unknown | null;
  copyIds: number[];
}

async function importChunk(
  trx: Executor,
  actor: Actor,
  start: BatchStart,
  chunk: FileRecord[],
  options: ImportOptions,
  authors: AuthorResolver,
  seen: Matches,
): Promise<void> {
  const organisationId = libraryOf(actor);
  const batchId = start.batchId;
  const good = chunk.filter(isGood);
  // another import on the server adding the same ISBNs meanwhile is found, not added a second time
  if (options.matching !== 'keep') await lockWorksByIsbn(trx);
  const found = await timed(options.timings, 'match', () => findMatches(trx, good.map((r) => r.work!)));
  const outcomes = new Map<FileRecord, Outcome>();
  const decide = async (r: FileRecord, match: number) =>
    outcomes.set(
      r,
      options.matching === 'skip'
        ? { action: 'skipped', workId: match, previous: null, copyIds: [] }
        : { action: 'merged', workId: match, previous: await mergeInto(trx, actor, match, r.work!), copyIds: [] },
    );
  const remember = (r: FileRecord) => {
    const workId = outcomes.get(r)?.workId;
    if (workId == null) return;
    if (r.work!.isbn && !seen.byIsbn.has(r.work!.isbn)) seen.byIsbn.set(r.work!.isbn, workId);
    if (r.work!.controlNumber && !seen.byControl.has(r.work!.controlNumber)) seen.byControl.set(r.work!.controlNumber, workId);
  };
  const toCreate: FileRecord[] = [];
  // a record repeating one that this chunk is about to create waits until that work exists
  const later: FileRecord[] = [];
  const pending = new Set<string>();
  const keysOf = (w: MappedWork) => [w.isbn && `i:${w.isbn}`, w.controlNumber && `c:${w.controlNumber}`].filter((k): k is string => !!k);
  for (const r of chunk) {
    if (!isGood(r)) {
      outcomes.set(r, { action: 'failed', workId: null, previous: null, copyIds: [] });
      continue;
    }
    const match = matchOf(seen, r.work!) ?? matchOf(found, r.work!);
    if (match !== undefined && options.matching !== 'keep') await decide(r, match);
    else if (options.matching !== 'keep' && keysOf(r.work!).some((k) => pending.has(k))) later.push(r);
    else {
      toCreate.push(r);
      for (const k of keysOf(r.work!)) pending.add(k);
    }
  }
  const linked = await timed(options.timings, 'authors', () => authors.resolve(trx, toCreate.flatMap((r) => r.work!.authors.map((a) => a.name))));
  const ids = await timed(options.timings, 'works', () => createWorks(trx, toCreate, linked, options.timings));
  toCreate.forEach((r, i) => outcomes.set(r, { action: 'created', workId: ids[i]!, previous: null, copyIds: [] }));
  good.forEach(remember);
  for (const r of later) {
    await decide(r, matchOf(seen, r.work!)!);
    remember(r);
  }

  let copies = 0;
  if (options.holdings) {
    const wanted = good.filter((r) => r.work!.holdings.length && ['created', 'merged'].includes(outcomes.get(r)!.action));
    const added = await timed(options.timings, 'copies', () => addImportedCopies(trx, organisationId, wanted.map((r) => ({ key: r, workId: outcomes.get(r)!.workId!, holdings: r.work!.holdings }))));
    for (const [r, result] of added) {
      outcomes.get(r)!.copyIds = result.copyIds;
      copies += result.copyIds.length;
      r.problems.push(...result.problems);
    }
    if (copies) {
      await audit(trx, actor, 'import', 'copy', batchId, { count: copies });
      await timed(options.timings, 'opening_balance', () => putOnOpeningDraft(trx, actor, batchId, [...added.values()].flatMap((a) => a.copyIds)));
    }
  }

  await timed(options.timings, 'source_records', () => insertSourceRecords(trx, batchId, chunk, outcomes, options.database));
  const problems = problemsOf(chunk, null);
  await insertProblems(trx, batchId, problems);
  const count = (a: RecordAction) => chunk.filter((r) => outcomes.get(r)!.action === a).length;
  const formats = summarise(good.map((r) => r.format));
  const encodings = summarise(good.map((r) => r.encoding));
  const progress = await trx
    .updateTable('interop.import_batches')
    .set((eb) => ({
      processed: eb('processed', '+', chunk.length),
      format: summaryWith(sql.ref('format'), formats),
      encoding: summaryWith(sql.ref('encoding'), encodings),
      created: eb('created', '+', count('created')),
      merged: eb('merged', '+', count('merged')),
      skipped: eb('skipped', '+', count('skipped')),
      failed: eb('failed', '+', count('failed')),
      warnings: eb('warnings', '+', problems.filter((p) => p.severity === 'warning').length),
      copies: eb('copies', '+', copies),
      ...(authors.created.length
        ? { created_authors: sql<number[]>`created_authors || array[${sql.join(authors.created)}]::bigint[]` }
        : {}),
    }))
    .where('id', '=', batchId)
    .where('status', '=', 'running')
    .where(sql<boolean>`options->>'run' = ${start.run}`)
    .executeTakeFirst();
  // marked interrupted meanwhile (its worker was taken for gone), perhaps resumed by another run: this chunk must not land
  if (!Number(progress.numUpdatedRows)) throw new ImportStopped(`import ${batchId} is no longer running`);
  // the resolver's list grows over the whole import; each chunk records only its own additions
  authors.created.length = 0;
  if (count('created')) await audit(trx, actor, 'import', 'work', batchId, { created: count('created'), merged: count('merged') });
}

/** The batch's summary (one value, 'mixed' or 'unknown') joined with a chunk's, as `summarise` would over both. */
const summaryWith = (stored: ReturnType<typeof sql.ref>, chunk: string) =>
  sql<string>`case when ${chunk} = 'unknown' or ${stored} = ${chunk} then ${stored} when ${stored} = 'unknown' then ${chunk} else 'mixed' end`;

const WORK_TABLE_COLUMNS = [
  ['id', 'bigint'], ['title', 'text'], ['subtitle', 'text'], ['isbn', 'text'], ['publisher', 'text'], ['publish_place', 'text'],
  ['publish_year', 'smallint'], ['language', 'text'], ['pages', 'integer'], ['udc', 'text'], ['bbk', 'text'], ['annotation', 'text'],
  ['search_key', 'text'], ['title_key', 'text'], ['sort_key', 'text'],
].map(([name, type]) => ({ name: name!, type: type! }));

const LINK_COLUMNS = [
  { name: 'work_id', type: 'bigint' }, { name: 'author_id', type: 'bigint' }, { name: 'role', type: 'text' }, { name: 'position', type: 'smallint' },
];

const SOURCE_COLUMNS = [
  ['batch_id', 'bigint'], ['position', 'integer'], ['byte_offset', 'integer'], ['format', 'text'], ['encoding', 'text'], ['raw', 'bytea'],
  ['xml', 'text'], ['control_number', 'text'], ['isbn', 'text'], ['work_id', 'bigint'], ['action', 'text'], ['previous', 'jsonb'],
  ['copy_ids', 'bigint[]'], ['subjects', 'text[]'], ['notes', 'text[]'],
].map(([name, type]) => ({ name: name!, type: type! }));

const PROBLEM_COLUMNS = [
  ['batch_id', 'bigint'], ['position', 'integer'], ['byte_offset', 'integer'], ['severity', 'text'], ['code', 'text'], ['params', 'jsonb'],
].map(([name, type]) => ({ name: name!, type: type! }));

const WORK_COLUMNS = ['title', 'subtitle', 'isbn', 'publisher', 'publishPlace', 'publishYear', 'language', 'pages', 'udc', 'bbk', 'annotation'] as const;

/**
 * The same key as the catalogue's `searchKey(title, subtitle, ...authors' names, isbn)`, built from
 * parts folded once: the title's fold is also the title key, each author's names are folded once
 * per import, and an ISBN (digits only) folds to itself.
 */
function workSearchKey(titleKey: string, w: MappedWork, linked: Map<string, LinkedAuthor>): string {
  const parts = [titleKey, transliterationKey(w.title), searchKey(w.subtitle)];
  for (const a of w.authors) {
    const author = linked.get(a.name);
    if (author) parts.push(...author.folded);
    else parts.push(searchKey(a.name));
  }
  if (w.isbn) parts.push(/^[0-9]+$/.test(w.isbn) ? w.isbn : foldForSearch(w.isbn));
  return parts.filter(Boolean).join(' ');
}

/** Works with ids taken from the sequence first, so each record knows its work without relying on RETURNING order. */
/**
 * The copies an import brought stand in no register yet: they go on an opening-balance draft of the import, for the
 * librarian to check their prices and dates and post (fund/accounting/opening.ts). A copy the draft refuses stays
 * unbooked and is listed by the reconciliation.
 */
async function putOnOpeningDraft(trx: Executor, actor: Actor, batchId: number, copyIds: number[]): Promise<void> {
  if (!copyIds.length || !['librarian', 'admin'].includes(actor.role) || !actor.organisationId) return;
  const existing = await trx
    .selectFrom('fund.opening_balances')
    .select('id')
    .where('organisation_id', '=', actor.organisationId)
    .where('import_id', '=', batchId)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  const openingId = existing?.id ?? (await createOpening(trx, actor, { asOf: await libraryToday(trx, actor.organisationId), importId: batchId, note: null })).id;
  await stageOpeningRows(trx, actor, openingId, copyIds.map((copyId) => ({ copyId })), newLoad());
}

async function createWorks(trx: Executor, records: FileRecord[], linked: Map<string, LinkedAuthor>, timings?: ImportTimings): Promise<number[]> {
  if (!records.length) return [];
  const { rows } = await sql<{ id: number }>`select nextval('catalog.works_id_seq')::int8 as id from generate_series(1, ${records.length})`.execute(trx);
  const ids = rows.map((r) => Number(r.id));
  const workRows = await timed(timings, 'keys', () => records.map((r, i) => {
    const w = r.work!;
    const titleKey = foldForSearch(w.title);
    return {
      id: ids[i]!,
      title: w.title,
      subtitle: w.subtitle,
      isbn: w.isbn,
      publisher: w.publisher,
      publish_place: w.publishPlace,
      publish_year: w.publishYear,
      language: w.language,
      pages: w.pages,
      udc: w.udc,
      bbk: w.bbk,
      annotation: w.annotation,
      search_key: workSearchKey(titleKey, w, linked),
      title_key: titleKey,
      sort_key: kazakhSortKey(w.title),
    };
  }));
  await timed(timings, 'works_insert', () => insertRows(trx, 'catalog.works', WORK_TABLE_COLUMNS, workRows));
  const links = records.flatMap((r, i) => {
    const seen = new Set<string>();
    return r.work!.authors
      .map((a) => ({ work_id: ids[i]!, author_id: linked.get(a.name)!.id, role: a.role }))
      .filter((l) => !seen.has(`${l.author_id}:${l.role}`) && !!seen.add(`${l.author_id}:${l.role}`))
      .map((l, position) => ({ ...l, position }));
  });
  await timed(timings, 'links_insert', () => insertRows(trx, 'catalog.work_authors', LINK_COLUMNS, links));
  return ids;
}

/** Fills the fields the existing work lacks (and its authors, if it has none); returns its previous state for undo. */
async function mergeInto(trx: Executor, actor: Actor, workId: number, w: MappedWork): Promise<unknown> {
  const current = await trx.selectFrom('catalog.works').selectAll().where('id', '=', workId).executeTakeFirstOrThrow();
  const links = await trx.selectFrom('catalog.work_authors').select(['author_id', 'role', 'position']).where('work_id', '=', workId).execute();
  const columnOf: Record<(typeof WORK_COLUMNS)[number], keyof typeof current> = {
    title: 'title', subtitle: 'subtitle', isbn: 'isbn', publisher: 'publisher', publishPlace: 'publish_place',
    publishYear: 'publish_year', language: 'language', pages: 'pages', udc: 'udc', bbk: 'bbk', annotation: 'annotation',
  };
  const patch: Record<string, unknown> = {};
  for (const key of WORK_COLUMNS) {
    if ((current[columnOf[key]] === null || current[columnOf[key]] === '') && w[key] !== null) patch[key] = w[key];
  }
  if (!links.length && w.authors.length) patch.authors = w.authors.map((a) => ({ name: a.name, role: a.role }));
  const previous = {
    fields: Object.fromEntries(WORK_COLUMNS.map((k) => [columnOf[k], current[columnOf[k]]])),
    authors: links,
  };
  if (Object.keys(patch).length) await updateWork(trx, actor, workId, patch);
  // the merged record (its source record, its copies) changed even when no catalogue field did:
  // a new datestamp lets an incremental OAI-PMH harvest see it
  else await trx.updateTable('catalog.works').set({ updated_at: now() }).where('id', '=', workId).execute();
  return previous;
}

async function insertSourceRecords(
  trx: Executor,
  batchId: number,
  chunk: FileRecord[],
  outcomes: Map<FileRecord, Outcome>,
  database: DatabaseKind | undefined,
): Promise<void> {
  // An ISO 2709 chunk's records lie side by side in the file: on a PostgreSQL server its bytes travel
  // once, as a binary parameter, and each row names its piece (10,000 records: 0.25 s instead of
  // 0.43 s as base64 in the JSON). The embedded database takes a large binary parameter slowly
  // (2.0 s of CPU against 0.54 s), so there they stay base64.
  const raws = chunk.map((r) => r.raw).filter((raw): raw is Uint8Array => raw !== null);
  const shared = database === 'postgres' && raws.length > 0 && raws.every((raw) => raw.buffer === raws[0]!.buffer);
  const from = shared ? Math.min(...raws.map((raw) => raw.byteOffset)) : 0;
  const to = shared ? Math.max(...raws.map((raw) => raw.byteOffset + raw.byteLength)) : 0;
  const blob = shared ? Buffer.from(raws[0]!.buffer, from, to - from) : undefined;
  const rows = chunk.map((r) => {
    const o = outcomes.get(r)!;
    const raw = !r.raw ? null : shared ? [r.raw.byteOffset - from + 1, r.raw.byteLength] : Buffer.from(r.raw.buffer, r.raw.byteOffset, r.raw.byteLength).toString('base64');
    return {
      batch_id: batchId,
      position: r.position,
      byte_offset: r.offset,
      format: r.format,
      encoding: r.encoding,
      raw,
      xml: r.xml,
      control_number: r.work?.controlNumber ?? null,
      isbn: r.work?.isbn ?? null,
      work_id: o.action === 'failed' ? null : o.workId,
      action: o.action,
      previous: o.previous,
      copy_ids: o.copyIds,
      subjects: r.work?.subjects ?? [],
      notes: r.work?.notes ?? [],
    };
  });
  const columns = shared ? SOURCE_COLUMNS.map((c) => (c.name === 'raw' ? { name: 'raw', type: 'bytea-slice' } : c)) : SOURCE_COLUMNS;
  await insertRows(trx, 'interop.source_records', columns, rows, blob);
}

async function insertProblems(trx: Executor, batchId: number, problems: PreviewProblem[]): Promise<void> {
  const rows = problems.map((p) => ({
    batch_id: batchId,
    position: p.position,
    byte_offset: p.offset,
    severity: p.severity,
    code: p.code,
    params: p.params,
  }));
  await insertRows(trx, 'interop.import_problems', PROBLEM_COLUMNS, rows);
}

export interface BatchView {
  id: number;
  fileName: string;
  syntax: string;
  format: string;
  encoding: string;
  options: { matching: Matching; holdings: boolean };
  status: ImportStatus;
  total: number;
  processed: number;
  created: number;
  merged: number;
  skipped: number;
  failed: number;
  warnings: number;
  copies: number;
  createdAt: string;
  finishedAt: string | null;
  undoneAt: string | null;
  createdBy: string | null;
  /** Why a failed import failed: a translation code (`interop.import_interrupted`, …) with its params. */
  error: { code: string; params: Record<string, string | number> } | null;
}

type BatchRow = {
  id: number;
  file_name: string;
  syntax: string;
  format: string;
  encoding: string;
  options: unknown;
  status: string;
  total: number;
  processed: number;
  created: number;
  merged: number;
  skipped: number;
  failed: number;
  warnings: number;
  copies: number;
  created_at: Date;
  finished_at: Date | null;
  undone_at: Date | null;
  created_by_name: string | null;
  error: string | null;
};

/**
 * Errors are stored as translation codes, or as a code with its params in JSON (a file that
 * cannot be read further); an unexpected failure keeps its technical reason as a parameter.
 */
function errorOf(error: string | null): BatchView['error'] {
  if (!error) return null;
  if (error.startsWith('{"code":"interop.')) {
    const stored = JSON.parse(error) as { code: string; params: Record<string, string | number> };
    return { code: stored.code, params: stored.params };
  }
  return /^interop\.[a-z_]+$/.test(error) ? { code: error, params: {} } : { code: 'interop.import_failed', params: { reason: error } };
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function toBatchView(r: BatchRow): BatchView {
  const options = (typeof r.options === 'string' ? JSON.parse(r.options) : r.options) as { matching: Matching; holdings: boolean };
  return {
    id: r.id,
    fileName: r.file_name,
    syntax: r.syntax,
    format: r.format,
    encoding: r.encoding,
    options: { matching: options.matching, holdings: options.holdings },
    status: r.status as ImportStatus,
    total: r.total,
    processed: r.processed,
    created: r.created,
    merged: r.merged,
    skipped: r.skipped,
    failed: r.failed,
    warnings: r.warnings,
    copies: r.copies,
    createdAt: iso(r.created_at)!,
    finishedAt: iso(r.finished_at),
    undoneAt: iso(r.undone_at),
    createdBy: r.created_by_name,
    error: errorOf(r.error),
  };
}

function batches(db: Executor, organisationId: number) {
  return db
    .selectFrom('interop.import_batches as b')
    .leftJoin('org.users as u', 'u.id', 'b.created_by')
    .select([
      'b.id', 'b.file_name', 'b.syntax', 'b.format', 'b.encoding', 'b.options', 'b.status', 'b.total', 'b.processed',
      'b.created', 'b.merged', 'b.skipped', 'b.failed', 'b.warnings', 'b.copies', 'b.created_at', 'b.finished_at', 'b.undone_at',
      'b.error', 'u.full_name as created_by_name',
    ])
    .where('b.organisation_id', '=', organisationId);
}

/** The imports of the actor's library, newest first. */
export async function listImports(db: Executor, actor: Actor, page: { limit: number; offset: number }) {
  const organisationId = libraryOf(actor);
  // an import whose server stopped is shown as interrupted, not as running for ever
  await markInterruptedImports(db, organisationId);
  const rows = await batches(db, organisationId).orderBy('b.id', 'desc').limit(page.limit).offset(page.offset).execute();
  const total = await db
    .selectFrom('interop.import_batches')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationId)
    .executeTakeFirstOrThrow();
  return { items: rows.map(toBatchView), total: Number(total.n) };
}

export interface ImportReport extends BatchView {
  problems: PreviewProblem[];
  records: { position: number; action: RecordAction; workId: number | null; title: string | null; copies: number }[];
}

/** One import with its progress, problems (with positions) and what happened to each record. */
export async function getImport(db: Executor, actor: Actor, id: number, page: { limit: number; offset: number } = { limit: 200, offset: 0 }): Promise<ImportReport> {
  await markInterruptedImports(db, libraryOf(actor));
  const row = await batches(db, libraryOf(actor)).where('b.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('import_batch', id);
  const problems = await db
    .selectFrom('interop.import_problems')
    .select(['position', 'byte_offset', 'severity', 'code', 'params'])
    .where('batch_id', '=', id)
    .orderBy('position')
    .orderBy('id')
    .limit(MAX_PROBLEMS)
    .execute();
  const records = await db
    .selectFrom('interop.source_records as s')
    .leftJoin('catalog.works as w', 'w.id', 's.work_id')
    .select(['s.position', 's.action', 's.work_id', 'w.title', 's.copy_ids'])
    .where('s.batch_id', '=', id)
    .orderBy('s.position')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return {
    ...toBatchView(row),
    problems: problems.map((p) => ({
      position: p.position,
      offset: p.byte_offset,
      severity: p.severity,
      code: p.code,
      params: (typeof p.params === 'string' ? JSON.parse(p.params) : p.params) as Record<string, string | number>,
    })),
    records: records.map((r) => ({ position: r.position, action: r.action, workId: r.work_id, title: r.title, copies: (r.copy_ids ?? []).length })),
  };
}
