import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPGlite, type DatabaseHandle } from '../src/db/connect.js';
import { listMigrationFiles, migrateToLatest } from '../src/db/migrate.js';

describe('migrations of the areas', () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await connectPGlite();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('runs every area’s migrations on an empty database, then nothing the second time', async () => {
    const applied = await migrateToLatest(database.db);
    expect(applied.length).toBe(listMigrationFiles().length);
    expect(await migrateToLatest(database.db)).toEqual([]);
  });

  it('applies an area’s new migration that sorts before another area’s newest one', async () => {
    // a library upgraded from a version without uploaded covers, whose textbook migrations are newer
    await sql`DROP TABLE catalog.covers`.execute(database.db);
    await sql`DELETE FROM kysely_migration WHERE name = '0103_covers'`.execute(database.db);
    expect(await migrateToLatest(database.db)).toEqual(['0103_covers']);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM catalog.covers`.execute(database.db);
    expect(rows[0]!.n).toBe(0);
  });
});
