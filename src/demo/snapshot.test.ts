import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { connectPGlite, type Db, type DatabaseHandle } from '../db/connect.js';
import { loadDemoLibrary } from './seed.js';
import { buildDemoSnapshot, daysToShift, readSnapshotInfo, restoreDemoSnapshot, shiftDates, snapshotUnfit, type SnapshotInfo } from './snapshot.js';

const DAY = '2026-03-02';

function folderBytes(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    n += e.isDirectory() ? folderBytes(p) : fs.statSync(p).size;
  }
  return n;
}

async function dates(db: Db) {
  const { rows } = await sql<{ issued: string; due: string; born: string | null; loans: number }>`
    select (select to_char(max(issued_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') from circulation.loans) as issued, (select max(due_on)::text from circulation.loans) as due,
           (select min(birth_date)::text from catalog.authors) as born, (select count(*)::int from circulation.loans) as loans`.execute(db);
  return rows[0]!;
}

describe('the demo school made by the build (PGlite data folder)', () => {
  let dir: string;
  let info: SnapshotInfo;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kitaphana-snapshot-'));
    info = await buildDemoSnapshot(path.join(dir, 'demo-school'), 'build-1', { size: 'small', today: DAY });
    // a new embedded database, its migrations and the small demo: minutes on a loaded two-core machine
  }, 300_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is checkpointed: its WAL is a segment or two, not the load', () => {
    expect(readSnapshotInfo(path.join(dir, 'demo-school'))).toEqual(info);
    expect(info.summary.loans).toBeGreaterThan(0);
    const wal = folderBytes(path.join(dir, 'demo-school', 'data', 'pg_wal'));
    expect(wal).toBeLessThanOrEqual(2 * 16 * 1024 * 1024);
  });

  it('serves only the build that made it, the same migrations, and the same school and calendar year', () => {
    expect(snapshotUnfit(info, 'build-1', DAY)).toBeNull();
    expect(snapshotUnfit(info, 'build-1', '2026-05-30')).toBeNull();
    expect(snapshotUnfit(info, 'build-2', DAY)).toMatch(/another build/);
    expect(snapshotUnfit({ ...info, migrations: info.migrations.slice(1) }, 'build-1', DAY)).toMatch(/other migrations/);
    expect(snapshotUnfit(info, 'build-1', '2026-03-01')).toMatch(/later day/);
    // a new school year begins on 1 September, and the report periods are calendar years
    expect(snapshotUnfit(info, 'build-1', '2026-09-01')).toMatch(/another year/);
    expect(snapshotUnfit({ ...info, day: '2025-12-20' }, 'build-1', '2026-01-10')).toMatch(/another year/);
  });

  it('is copied into an empty data folder only, and opens there with the demo', async () => {
    const dataDir = path.join(dir, 'kitaphana');
    expect(restoreDemoSnapshot(path.join(dir, 'demo-school'), dataDir, 'build-2', DAY)).toEqual({ skipped: expect.stringMatching(/another build/) });
    expect(fs.existsSync(dataDir)).toBe(false);
    expect(restoreDemoSnapshot(path.join(dir, 'demo-school'), dataDir, 'build-1', DAY)).toEqual({ info });
    expect(restoreDemoSnapshot(path.join(dir, 'demo-school'), dataDir, 'build-1', DAY)).toEqual({ skipped: expect.stringMatching(/already holds/) });
    const database = await connectPGlite(dataDir);
    try {
      expect((await dates(database.db)).loans).toBe(info.summary.loans);
      const logins = await database.db.selectFrom('org.users').select('login').execute();
      expect(logins.map((u) => u.login)).toContain('librarian');
    } finally {
      await database.close();
    }
  });
});

describe.each(BACKENDS)('moving the demo to a later day (%s)', (backend) => {
  let database: DatabaseHandle;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    await loadDemoLibrary(database.db, { size: 'small', today: DAY });
  }, 300_000);
  afterAll(async () => {
    await database?.close();
  });

  it("moves the library's dates and moments by the days between, and no author's birth date", async () => {
    const before = await dates(database.db);
    const days = daysToShift(DAY, '2026-03-09');
    expect(days).toBe(7);
    expect(await shiftDates(database.db, days)).toBeGreaterThan(10);
    const after = await dates(database.db);
    expect(after.loans).toBe(before.loans);
    expect(after.born).toBe(before.born);
    const moved = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
    expect(moved(before.due, after.due)).toBe(7);
    expect(moved(before.issued, after.issued)).toBe(7);
    expect(await shiftDates(database.db, 0)).toBe(0);
  });
});
