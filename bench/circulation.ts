import crypto from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import type { Actor } from '../src/auth/actor.js';
import { connectPGlite, connectPostgres, type DatabaseHandle } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { addCopies } from '../src/fund/copies.js';
import { buildApp } from '../src/http/app.js';
import { createOrganisation } from '../src/org/organisations.js';
import { createUser } from '../src/org/users.js';
import { createReader } from '../src/readers/readers.js';
import { createWork } from '../src/catalog/works.js';
import { summarise, timed, type LatencySummary } from './stats.js';

/**
 * The circulation desk over HTTP: the real server on a local port, each desk a signed-in
 * librarian of its own school issuing a copy to a reader and taking it back, as fast as the
 * server answers. The database's bare round trip (`select 1`) at the same concurrency is the
 * baseline: the ratio says how many round trips' worth of work one desk request costs.
 */

const PASSWORD = 'bench-password-1';
const COPIES_PER_DESK = 5;

export interface CirculationBenchOptions {
  backends: ('pglite' | 'postgres')[];
  desks: number[];
  /** Each level runs this long (seconds), or `pairsPerDesk` pairs when set. */
  seconds: number;
  pairsPerDesk?: number;
  baselineSeconds: number;
  postgresUrl: string;
}

export interface DeskLevel {
  desks: number;
  pairs: number;
  seconds: number;
  pairsPerSecond: number;
  issueMs: LatencySummary;
  returnMs: LatencySummary;
  errors: number;
  baselineSelect1PerSecond: number;
  /** `select 1` round trips the database does in the time of one desk request. */
  roundTripsPerRequest: number;
  meetsTarget: boolean | null;
}

export interface BackendResult {
  backend: 'pglite' | 'postgres';
  sequentialSelect1: { perSecond: number; latencyMs: LatencySummary };
  levels: DeskLevel[];
}

interface Desk {
  login: string;
  readerId: number;
  barcodes: string[];
}

/** One school per desk, with its librarian, one reader and a few copies of one work. */
async function prepareDesks(handle: DatabaseHandle, count: number): Promise<Desk[]> {
  return handle.db.transaction().execute(async (trx) => {
    const republic = await createOrganisation(trx, null, { parentId: null, kind: 'republic', name: 'Қазақстан Республикасы' });
    const region = await createOrganisation(trx, null, { parentId: republic.id, kind: 'region', name: 'Абай облысы' });
    const workId = await createWork(trx, null, { title: 'Менің атым Қожа', authors: [{ name: 'Бердібек Соқпақбаев' }], language: 'kaz' });
    const desks: Desk[] = [];
    for (let i = 1; i <= count; i++) {
      const school = await createOrganisation(trx, null, { parentId: region.id, kind: 'school', name: `№ ${i} мектеп` });
      const login = `desk${i}`;
      const userId = await createUser(trx, null, { login, password: PASSWORD, fullName: login, role: 'librarian', organisationId: school.id });
      const actor: Actor = {
        userId, login, fullName: login, role: 'librarian', organisationId: school.id, orgPath: school.path,
        classGrade: null, classLetter: null, readerId: null, locale: 'kk',
      };
      const reader = await createReader(trx, actor, { kind: 'student', lastName: 'Сәрсенова', firstName: 'Аружан', grade: 5, classLetter: 'Ә' });
      const copies = await addCopies(trx, actor, { workId, count: COPIES_PER_DESK });
      desks.push({ login, readerId: reader.id, barcodes: copies.map((c) => c.barcode) });
    }
    return desks;
  });
}

class DeskClient {
  private cookie = '';
  private csrf = '';
  constructor(private readonly base: string) {}

  async login(login: string) {
    const res = await fetch(`${this.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login, password: PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`login of ${login} answered ${res.status}`);
    this.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
    this.cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('kt_session='))!;
  }

  /** POSTs and returns the status; the body is read so the connection is free for the next request. */
  async post(path: string, body: unknown): Promise<number> {
    const res = await fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: this.cookie, 'x-csrf-token': this.csrf },
      body: JSON.stringify(body),
    });
    await res.arrayBuffer();
    return res.status;
  }
}

async function select1Rate(handle: DatabaseHandle, concurrency: number, seconds: number) {
  const until = performance.now() + seconds * 1000;
  const samples: number[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) samples.push((await timed(() => sql`select 1`.execute(handle.db)))[0]);
    }),
  );
  return { perSecond: Math.round(samples.length / seconds), latencyMs: summarise(samples) };
}

async function runLevel(base: string, desks: Desk[], options: CirculationBenchOptions): Promise<Omit<DeskLevel, 'baselineSelect1PerSecond' | 'roundTripsPerRequest' | 'meetsTarget'>> {
  const clients = await Promise.all(
    desks.map(async (desk) => {
      const client = new DeskClient(base);
      await client.login(desk.login);
      return client;
    }),
  );
  const issue: number[] = [];
  const giveBack: number[] = [];
  let errors = 0;
  const started = performance.now();
  const until = started + options.seconds * 1000;
  await Promise.all(
    desks.map(async (desk, d) => {
      const client = clients[d]!;
      for (let i = 0; options.pairsPerDesk ? i < options.pairsPerDesk : performance.now() < until; i++) {
        const barcode = desk.barcodes[i % desk.barcodes.length]!;
        const [issueMs, issued] = await timed(() => client.post('/api/circulation/issue', { readerId: desk.readerId, barcode }));
        const [returnMs, returned] = await timed(() => client.post('/api/circulation/return', { barcode }));
        if (issued !== 201 || returned !== 200) errors++;
        issue.push(issueMs);
        giveBack.push(returnMs);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    desks: desks.length,
    pairs: issue.length,
    seconds: Math.round(seconds * 100) / 100,
    pairsPerSecond: Math.round((issue.length / seconds) * 10) / 10,
    issueMs: summarise(issue),
    returnMs: summarise(giveBack),
    errors,
  };
}

/** A fresh database on the PostgreSQL server, dropped again by close(). */
async function freshPostgres(url: string): Promise<DatabaseHandle> {
  const name = `kt_bench_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const handle = await connectPostgres(target.toString(), 20);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

async function benchBackend(backend: 'pglite' | 'postgres', options: CirculationBenchOptions, log: (line: string) => void): Promise<BackendResult> {
  const handle = backend === 'pglite' ? await connectPGlite() : await freshPostgres(options.postgresUrl);
  try {
    await migrateToLatest(handle.db);
    const desks = await prepareDesks(handle, Math.max(...options.desks));
    const app = await buildApp({ database: handle, logger: false });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const sequentialSelect1 = await select1Rate(handle, 1, options.baselineSeconds);
      const levels: DeskLevel[] = [];
      for (const count of options.desks) {
        const level = await runLevel(address, desks.slice(0, count), options);
        const baseline = await select1Rate(handle, count, options.baselineSeconds);
        const requestsPerSecond = level.pairsPerSecond * 2;
        levels.push({
          ...level,
          baselineSelect1PerSecond: baseline.perSecond,
          roundTripsPerRequest: requestsPerSecond ? Math.round((baseline.perSecond / requestsPerSecond) * 10) / 10 : 0,
          meetsTarget: count === 16 ? Math.max(level.issueMs.p99, level.returnMs.p99) <= 20 : null,
        });
        log(`  ${backend}, ${count} desk(s): ${level.pairsPerSecond} pairs/s, issue p99 ${level.issueMs.p99} ms, return p99 ${level.returnMs.p99} ms`);
      }
      return { backend, sequentialSelect1, levels };
    } finally {
      await app.close();
    }
  } finally {
    await handle.close();
  }
}

export async function runCirculationBench(options: CirculationBenchOptions, log: (line: string) => void): Promise<BackendResult[]> {
  const results: BackendResult[] = [];
  for (const backend of options.backends) results.push(await benchBackend(backend, options, log));
  return results;
}
