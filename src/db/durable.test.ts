import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPGlite, type DatabaseHandle } from './connect.js';
import { DurableWrites } from './durable.js';

/** PGlite only: PostgreSQL's own fsync does its work on a server; this is the embedded database's. */
describe('durable commits of the embedded database', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-durable-'));
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await connectPGlite(path.join(dir, 'data'));
    await sql`create table desk_log (id serial primary key, note text)`.execute(handle.db);
  }, 60_000);
  afterAll(async () => {
    await handle?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('syncs what a commit wrote before the change is acknowledged, once per write when writes come one by one', async () => {
    const writes = handle.durableWrites!;
    expect(writes).toBeInstanceOf(DurableWrites);
    for (let i = 0; i < 10; i++) {
      const before = { ...writes.stats };
      await sql`insert into desk_log (note) values (${`issue ${i}`})`.execute(handle.db);
      // acknowledged: the batch with its WAL is already on the disk, nothing is left unsynced
      expect(writes.stats.batches - before.batches).toBe(1);
      expect(writes.stats.files - before.files).toBeGreaterThanOrEqual(1);
      expect(writes.pending).toBe(false);
    }
    const inTransaction = { ...writes.stats };
    await handle.db.transaction().execute(async (trx) => {
      await sql`insert into desk_log (note) values ('a')`.execute(trx);
      await sql`insert into desk_log (note) values ('b')`.execute(trx);
    });
    expect(writes.stats.batches - inTransaction.batches).toBe(1);
  });

  it('groups the syncs of 16 desks committing at once (group commit)', async () => {
    const writes = handle.durableWrites!;
    const before = { ...writes.stats };
    await Promise.all(Array.from({ length: 16 }, (_, i) => sql`insert into desk_log (note) values (${`desk ${i}`})`.execute(handle.db)));
    const batches = writes.stats.batches - before.batches;
    expect(batches).toBeGreaterThanOrEqual(1);
    expect(batches).toBeLessThan(16);
    expect(writes.pending).toBe(false);
  });

  it('adds no sync to a read', async () => {
    const writes = handle.durableWrites!;
    const before = writes.stats.batches;
    await sql`select count(*) from desk_log`.execute(handle.db);
    expect(writes.stats.batches).toBe(before);
  });

  it('fails the commit loudly when the disk refuses the sync, and syncs the files again next time', async () => {
    let fail = true;
    const synced: string[] = [];
    const writes = new DurableWrites(async (file) => {
      if (fail) throw Object.assign(new Error('EIO'), { code: 'EIO' });
      synced.push(file);
    });
    (writes as unknown as { dirty: Set<string> }).dirty.add('/data/pg_wal/000000010000000000000001');
    await expect(writes.flush()).rejects.toThrow('EIO');
    fail = false;
    await writes.flush();
    expect(synced).toEqual(['/data/pg_wal/000000010000000000000001']);
  });
});
