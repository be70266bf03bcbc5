import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import { actorForSession, openSession } from '../org/users.js';
import type { Actor } from '../auth/actor.js';
import { processImportBatch, startImport, type ImportOptions } from './imports.js';
import { splitIso2709, writeIso2709 } from './marc/iso2709.js';
import type { MarcRecord } from './marc/record.js';
import { marcFile, upload } from './test-helpers.js';
import fs from 'node:fs';
import { AuthorResolver, findAuthors } from './authority.js';
import { createAuthor, findAuthor, findOrCreateAuthor } from '../catalog/authors.js';
import { addWork } from '../catalog/works.js';
import { createReceipt, receiveByIsbn } from '../fund/accounting/receipts.js';
import { markInterruptedImports } from './workers.js';
import type { Executor } from '../db/executor.js';
import { sql } from 'kysely';

/** 30 records in chunks of 10: a title, an author from three, an ISBN-less record, a copy each. */
function file(prefix: string, count = 30): Buffer {
  const records: MarcRecord[] = Array.from({ length: count }, (_, k) => ({
    leader: '00000nam a2200000 i 4500',
    fields: [
      { tag: '001', value: `${prefix}-${k + 1}` },
      { tag: '003', value: 'STOP' },
      { tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: `Тоқтаев, Автор${k % 3}` }] },
      { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: `Үзілген кітап ${prefix} ${k + 1}` }] },
      { tag: '876', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: `${prefix}${k + 1}` }, { code: 'c', value: '1000' }] },
    ],
  }));
  return Buffer.concat(records.map(writeIso2709));
}

describe.each(BACKENDS)('an import interrupted by a server stop, on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  let actor: Actor;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    app = await testApp(database);
    const session = await openSession(database.db, tenants.librarianA.userId);
    actor = (await actorForSession(database.db, session.token))!.actor;
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const signedIn = async (login: string) => {
    const api = new ApiClient(app);
    await api.login(login);
    return api;
  };

  /**
   * Starts an import in this process and lets it commit its first chunk; then its worker stalls and
   * gives up its lease, as a server that stopped would (its lock and its place among the workers go
   * with it). `finish` lets the stalled worker go on, to show it can no longer write.
   */
  async function interruptedAfterFirstChunk(bytes: Buffer) {
    let firstChunk!: () => void;
    const committed = new Promise<void>((resolve) => (firstChunk = resolve));
    let wake!: () => void;
    const stalled = new Promise<void>((resolve) => (wake = resolve));
    const options: ImportOptions = {
      fileName: 'stopped.mrc',
      matching: 'merge',
      holdings: true,
      chunkSize: 10,
      database: database.kind,
      onChunkDone: async (processed) => {
        if (processed !== 10) return;
        firstChunk();
        await stalled;
      },
    };
    const start = await startImport(database.db, actor, bytes, options);
    const job = processImportBatch(database.db, actor, start, options);
    await committed;
    await start.lease.release();
    return {
      id: start.batchId,
      finish: async () => {
        wake();
        await job;
      },
    };
  }

  const worksOf = async (batchId: number) =>
    database.db.selectFrom('interop.source_records').select(['position', 'work_id', 'action']).where('batch_id', '=', batchId).orderBy('position').execute();

  it('shows an import whose worker is gone as interrupted, with a translated reason, and keeps the chunk that landed', async () => {
    const stopped = await interruptedAfterFirstChunk(file('A'));
    const api = await signedIn('librarian-a'); // her language is Kazakh
    const list = await api.request({ method: 'GET', url: '/api/interop/imports', headers: { 'x-locale': 'ru' } });
    const batch = list.body.items.find((b: { id: number }) => b.id === stopped.id);
    expect(batch).toMatchObject({ status: 'failed', processed: 10, created: 10, copies: 10, total: 30 });
    expect(batch.error).toMatchObject({ code: 'interop.import_interrupted' });
    expect(batch.error.message).toMatch(/^Импорт прерван остановкой сервера/);
    const report = await api.get(`/api/interop/imports/${stopped.id}`);
    expect(report.body.error.message).toMatch(/^Импорт сервер тоқтағанда үзілді/);
    expect(report.body.records).toHaveLength(10);

    // the stalled worker wakes up: its next chunk must not land
    await stopped.finish();
    expect(await worksOf(stopped.id)).toHaveLength(10);
    expect((await api.get(`/api/interop/imports/${stopped.id}`)).body).toMatchObject({ status: 'failed', processed: 10 });
  });

  it('undoes the part of an interrupted import that landed', async () => {
    const stopped = await interruptedAfterFirstChunk(file('B'));
    const api = await signedIn('librarian-a');
    expect((await api.get(`/api/interop/imports/${stopped.id}`)).body.status).toBe('failed');
    await stopped.finish();
    const landed = (await worksOf(stopped.id)).map((r) => r.work_id!);
    expect(landed).toHaveLength(10);
    const undone = await api.post(`/api/interop/imports/${stopped.id}/undo`);
    expect(undone.status).toBe(200);
    expect(undone.body.status).toBe('undone');
    expect(await database.db.selectFrom('catalog.works').select('id').where('id', 'in', landed).execute()).toEqual([]);
    const copies = await database.db.selectFrom('fund.copies').select('id').where('inventory_number', 'like', 'B%').execute();
    expect(copies).toEqual([]);
    // an undone import is not resumed
    const resumed = await upload(api, `/api/interop/imports/${stopped.id}/resume`, 'stopped.mrc', file('B'));
    expect(resumed.status).toBe(409);
    expect(resumed.body.error.code).toBe('interop.resume_not_interrupted');
  });

  it('resumes an interrupted import with the same file from where it stopped, and refuses another file', async () => {
    const bytes = file('C');
    const stopped = await interruptedAfterFirstChunk(bytes);
    const api = await signedIn('librarian-a');
    expect((await api.get(`/api/interop/imports/${stopped.id}`)).body.status).toBe('failed');

    const other = await upload(api, `/api/interop/imports/${stopped.id}/resume`, 'other.mrc', file('D'));
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('interop.resume_other_file');
    expect(other.body.error.message).toMatch(/^Бұл басқа файл/);
    const b = await signedIn('librarian-b');
    expect((await upload(b, `/api/interop/imports/${stopped.id}/resume`, 'stopped.mrc', bytes)).status).toBe(404);

    const resumed = await upload(api, `/api/interop/imports/${stopped.id}/resume`, 'stopped.mrc', bytes);
    expect(resumed.status).toBe(202);
    // the old worker wakes up while the new run works: it writes nothing
    await stopped.finish();
    let report;
    for (;;) {
      report = await api.get(`/api/interop/imports/${stopped.id}?limit=100`);
      if (report.body.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 30));
    }
    expect(report.body).toMatchObject({ status: 'done', error: null, total: 30, processed: 30, created: 30, copies: 30, failed: 0 });
    const rows = await worksOf(stopped.id);
    expect(rows.map((r) => r.position)).toEqual(Array.from({ length: 30 }, (_, k) => k + 1));
    expect(new Set(rows.map((r) => r.work_id)).size).toBe(30);
    // every original record is kept byte for byte, from both runs
    const kept = await database.db.selectFrom('interop.source_records').select('raw').where('batch_id', '=', stopped.id).orderBy('position').execute();
    expect(kept.map((r) => Buffer.from(r.raw!).toString('hex'))).toEqual([...splitIso2709(bytes)].map((p) => Buffer.from(p.bytes).toString('hex')));
    // the three authors were created once, by the first run, and found again by the second
    const authors = await database.db.selectFrom('catalog.authors').select('id').where('name', 'like', 'Тоқтаев, Автор%').execute();
    expect(authors).toHaveLength(3);
  });

  it('marks imports left running by a stopped server when the next server starts', async () => {
    // a batch left running by another server process: nobody holds its lease
    const row = await database.db
      .insertInto('interop.import_batches')
      .values({ organisation_id: tenants.schoolA.id, created_by: tenants.librarianA.userId, file_name: 'crash.mrc', syntax: 'iso2709', format: 'marc21', encoding: 'utf8', total: 5 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const next = await testApp(database);
    try {
      const batch = await database.db.selectFrom('interop.import_batches').select(['status', 'error', 'finished_at']).where('id', '=', row.id).executeTakeFirstOrThrow();
      expect(batch.status).toBe('failed');
      expect(batch.error).toBe('interop.import_interrupted');
      expect(batch.finished_at).not.toBeNull();
    } finally {
      await next.close();
    }
  });

  it('leaves alone an import that a live worker holds', async () => {
    let wake!: () => void;
    const stalled = new Promise<void>((resolve) => (wake = resolve));
    let firstChunk!: () => void;
    const committed = new Promise<void>((resolve) => (firstChunk = resolve));
    const options: ImportOptions = {
      fileName: 'alive.mrc', matching: 'merge', holdings: false, chunkSize: 10, database: database.kind,
      onChunkDone: async (processed) => {
        if (processed !== 10) return;
        firstChunk();
        await stalled;
      },
    };
    const start = await startImport(database.db, actor, file('E'), options);
    const job = processImportBatch(database.db, actor, start, options);
    await committed;
    const api = await signedIn('librarian-a');
    expect((await api.get(`/api/interop/imports/${start.batchId}`)).body.status).toBe('running');
    wake();
    await job;
    expect((await api.get(`/api/interop/imports/${start.batchId}`)).body).toMatchObject({ status: 'done', created: 30 });
  });

  // Only a database server is shared by several server processes; the embedded database has one.
  if (backend === 'postgres') {
    it('leaves alone an import whose worker in another server process holds its lock', async () => {
      const row = await database.db
        .insertInto('interop.import_batches')
        .values({ organisation_id: tenants.schoolA.id, created_by: tenants.librarianA.userId, file_name: 'elsewhere.mrc', syntax: 'iso2709', format: 'marc21', encoding: 'utf8', total: 5 })
        .returning('id')
        .executeTakeFirstOrThrow();
      // another server's worker: a session of its own holding the batch's advisory lock
      await database.db.connection().execute(async (other) => {
        await sql`select pg_advisory_lock(${0x4d415243}::int4, ${row.id}::int4)`.execute(other);
        expect(await markInterruptedImports(database.db)).toEqual([]);
        await sql`select pg_advisory_unlock(${0x4d415243}::int4, ${row.id}::int4)`.execute(other);
      });
      // that server stopped: its session and lock are gone
      expect(await markInterruptedImports(database.db)).toEqual([row.id]);
    });
  }

  it('leaves the search index with the settings the catalogue gave it', async () => {
    // after every import above, on either database (the embedded one widens the pending list inside a chunk)
    const { rows } = await sql<{ reloptions: string[] | null }>`select reloptions from pg_class where oid = 'catalog.works_search_trgm'::regclass`.execute(database.db);
    // the embedded database keeps the 64 kB limit on the index; a server on every connection (catalog 0104)
    expect(rows[0]!.reloptions).toEqual(backend === 'pglite' ? ['gin_pending_list_limit=64'] : null);
    const limit = await sql<{ gin_pending_list_limit: string }>`show gin_pending_list_limit`.execute(database.db);
    if (backend === 'postgres') expect(limit.rows[0]!.gin_pending_list_limit).toBe('64kB');
  });

  it('finds many authors in one query as findAuthor finds each, in any script or word order', async () => {
    const names = ['Құнанбайұлы, Абай', 'Ахмет Байтұрсынұлы', 'Жұмабаев, Мағжан'];
    const ids = [];
    for (const name of names) ids.push(await createAuthor(database.db, null, { name }));
    const asked = ['Абай Құнанбайұлы', 'Kunanbaiuly, Abai', 'Байтұрсынұлы, Ахмет', 'Magjan Jumabaev', 'Белгісіз, Автор'];
    const found = await findAuthors(database.db, asked);
    for (const name of asked) expect(found.get(name)?.id).toBe(await findAuthor(database.db, { name }));
    expect(found.get('Белгісіз, Автор')).toBeUndefined();
    expect(found.get('Kunanbaiuly, Abai')?.id).toBe(ids[0]);

    const resolver = new AuthorResolver(actor);
    const linked = await resolver.resolve(database.db, [...asked, 'Абай Құнанбайұлы', 'Автор Белгісіз']);
    expect(linked.get('Magjan Jumabaev')?.id).toBe(ids[2]);
    // the unknown name is added once, under both spellings of it
    expect(resolver.created).toHaveLength(1);
    expect(linked.get('Автор Белгісіз')?.id).toBe(resolver.created[0]);
    expect(linked.get('Белгісіз, Автор')?.id).toBe(resolver.created[0]);
    const audit = await database.db.selectFrom('org.audit_log').select(['action', 'entity']).where('entity', '=', 'author').where('entity_id', '=', String(resolver.created[0])).execute();
    expect(audit).toEqual([{ action: 'create', entity: 'author' }]);
  });

  it('reads the file chunk by chunk: the batch is open before a record is read, and its format and encoding add up the chunks\'', async () => {
    const cp1251 = fs.readFileSync(marcFile('pymarc-1251-marc21-cp1251.mrc'));
    const seen: { processed: number; format: string; encoding: string }[] = [];
    const options: ImportOptions = {
      fileName: 'two-code-pages.mrc',
      matching: 'keep',
      holdings: false,
      chunkSize: 10,
      database: database.kind,
      onChunkDone: async (processed) => {
        const batch = await database.db.selectFrom('interop.import_batches').select(['format', 'encoding']).where('id', '=', start.batchId).executeTakeFirstOrThrow();
        seen.push({ processed, ...batch });
      },
    };
    const start = await startImport(database.db, actor, Buffer.concat([file('U', 10), cp1251]), options);
    const opened = await database.db.selectFrom('interop.import_batches').select(['total', 'processed', 'format', 'encoding']).where('id', '=', start.batchId).executeTakeFirstOrThrow();
    expect(opened).toEqual({ total: 16, processed: 0, format: 'unknown', encoding: 'unknown' });
    await processImportBatch(database.db, actor, start, options);
    expect(seen).toEqual([
      { processed: 10, format: 'marc21', encoding: 'utf8' },
      { processed: 16, format: 'marc21', encoding: 'mixed' },
    ]);
    const done = await database.db.selectFrom('interop.import_batches').select(['status', 'created']).where('id', '=', start.batchId).executeTakeFirstOrThrow();
    expect(done).toEqual({ status: 'done', created: 16 });
  });

  it('adds a new author once when two transactions bring the same name at the same moment, by hand or by import', async () => {
    for (const [k, second] of [['hand', 'hand'], ['import', 'hand'], ['import', 'import']] as const) {
      const name = `Бірмезгілдеу, Автор${k}${second}`;
      let created!: (id: number) => void;
      const first = new Promise<number>((resolve) => (created = resolve));
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const viaHand = (trx: Executor) => findOrCreateAuthor(trx, actor, { name });
      const viaImport = async (trx: Executor) => (await new AuthorResolver(actor).resolve(trx, [name])).get(name)!.id;
      const run = (how: 'hand' | 'import') => (how === 'hand' ? viaHand : viaImport);
      // the first adds the author and keeps its transaction open; the second starts meanwhile
      const a = database.db.transaction().execute(async (trx) => {
        const id = await run(k)(trx);
        created(id);
        await held;
        return id;
      });
      await first;
      const b = database.db.transaction().execute((trx) => run(second)(trx));
      await new Promise((resolve) => setTimeout(resolve, 150));
      release();
      const [idA, idB] = await Promise.all([a, b]);
      expect(idB).toBe(idA);
      const rows = await database.db.selectFrom('catalog.authors').select('id').where('name', '=', name).execute();
      expect(rows).toHaveLength(1);
    }
  });

  it('adds a work with an ISBN once when two librarians, a receipt by ISBN and an import bring it at the same moment', async () => {
    const isbn = '9786010000018';
    const record: MarcRecord = {
      leader: '00000nam a2200000 i 4500',
      fields: [
        { tag: '001', value: 'same-moment' },
        { tag: '020', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: isbn }] },
        { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Бір сәтте екі рет' }] },
      ],
    };
    let added!: (id: number) => void;
    const first = new Promise<number>((resolve) => (added = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const byHand = database.db.transaction().execute(async (trx) => {
      const id = await addWork(trx, actor, { title: 'Бір сәтте екі рет', isbn });
      added(id);
      await held;
      return id;
    });
    const workId = await first;
    // a second librarian, and an import of the same ISBN, both start while the first work is not yet committed
    const secondHand = database.db.transaction().execute((trx) => addWork(trx, actor, { title: 'Бір сәтте екі рет', isbn })).catch((err: { code?: string }) => err.code);
    // and a receipt scanned by ISBN at the desk of the fund
    const received = database.db.transaction().execute(async (trx) => {
      const receipt = await createReceipt(trx, actor, { receivedOn: '2026-11-02', source: 'budget_purchase' });
      return receiveByIsbn(trx, actor, receipt.id, { isbn, count: 2, priceTiyn: 150_000, work: { title: 'Бір сәтте екі рет' } });
    });
    const options: ImportOptions = { fileName: 'same-moment.mrc', matching: 'merge', holdings: false, database: database.kind };
    // (on the embedded database both wait for the first transaction's connection instead)
    const imported = (async () => {
      const start = await startImport(database.db, actor, writeIso2709(record), options);
      await processImportBatch(database.db, actor, start, options);
      return start;
    })();
    await new Promise((resolve) => setTimeout(resolve, 150));
    release();
    const [, start, line] = await Promise.all([byHand, imported, received]);
    expect(await secondHand).toBe('catalog.isbn_exists');
    expect(line.workId).toBe(workId);
    const works = await database.db.selectFrom('catalog.works').select('id').where('isbn', '=', isbn).execute();
    expect(works).toEqual([{ id: workId }]);
    const batch = await database.db.selectFrom('interop.import_batches').select(['created', 'merged']).where('id', '=', start.batchId).executeTakeFirstOrThrow();
    expect(batch).toEqual({ created: 0, merged: 1 });
  });
});
