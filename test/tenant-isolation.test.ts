import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/connect.js';
import { DEMO_PASSWORD, loadDemoLibrary } from '../src/demo/seed.js';
import type { App } from '../src/http/types.js';
import { ApiClient, type Response } from './support/api.js';
import { testApp } from './support/api.js';
import { openTestDatabase } from './support/db.js';

/**
 * The tenant promise, checked on every route of the API rather than route by route:
 * the demo school gets a reader, a copy and a loan with unmistakable markers, then users
 * of a neighbouring school, of the district, and the school's own students and parents call
 * every route with the demo school's ids, barcodes and organisation filled into the path,
 * the query and a body built from the route's own OpenAPI schema. None of them may see the
 * markers, outsiders may change none of the school's rows, and no call may crash.
 */

const TODAY = '2026-03-16';
const SECRET = {
  lastName: 'Жасырынова',
  firstName: 'Құпиягүл',
  parentName: 'Markerbek Parentov',
  parentPhone: '+7 701 555 00 77',
  email: 'hidden.reader@example.kz',
  barcode: 'S7SECRETCOPY',
  inventoryNumber: 'S7-INV-90017',
};
const READER_MARKERS = [SECRET.lastName, SECRET.firstName, SECRET.parentName, SECRET.parentPhone, SECRET.email];
// The barcode is aimed at, not looked for: barcodes are unique per library only, so the
// neighbour may rightly create a copy of its own with the same code while being swept.
const COPY_MARKERS = [SECRET.inventoryNumber];

type Schema = Record<string, any>;
interface Operation {
  method: string;
  url: string;
  parameters: { name: string; in: string; required?: boolean; schema?: Schema }[];
  body?: Schema;
}
interface Target {
  id: number;
  organisationId: number;
  barcode: string;
  isbn: string;
}

describe('tenant isolation on every route', () => {
  let database: DatabaseHandle;
  let app: App;
  let operations: Operation[];
  let school: number;
  let candidateIds: number[];
  let secretIds: number[];
  const problems: string[] = [];
  const statuses: Record<string, number[]> = {};

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    const demo = await loadDemoLibrary(database.db, { size: 'small', today: TODAY });
    school = demo!.schoolId;
    app = await testApp(database);

    const librarian = new ApiClient(app);
    expect((await librarian.login('librarian', DEMO_PASSWORD)).status).toBe(200);
    const reader = await librarian.post('/api/readers', {
      kind: 'student',
      lastName: SECRET.lastName,
      firstName: SECRET.firstName,
      grade: 9,
      classLetter: 'Б',
      parentName: SECRET.parentName,
      parentPhone: SECRET.parentPhone,
      email: SECRET.email,
    });
    expect(reader.status).toBe(201);
    const work = (await librarian.get('/api/catalog/search?q=Абай')).body.items[0];
    const copy = await librarian.post('/api/copies', {
      workId: work.workId ?? work.id,
      priceTiyn: 250_000,
      inventoryNumber: SECRET.inventoryNumber,
      barcode: SECRET.barcode,
    });
    expect(copy.status, JSON.stringify(copy.body)).toBe(201);
    const loan = await librarian.post('/api/circulation/issue', { readerId: reader.body.id, barcode: SECRET.barcode });
    expect(loan.status).toBe(201);

    const doc = (await librarian.get('/api/openapi.json')).body;
    operations = collectOperations(doc);
    secretIds = [reader.body.id, copy.body.items[0].id, loan.body.loanId, work.workId ?? work.id].filter(
      (v): v is number => typeof v === 'number',
    );
    candidateIds = [...new Set([...secretIds, ...(await idsOwnedBy(database, school))])];
  }, 300_000);

  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('has something of every kind to aim at', () => {
    expect(operations.length).toBeGreaterThan(100);
    expect(secretIds.length).toBe(4);
    expect(candidateIds.length).toBeGreaterThan(8);
  });

  it('a librarian of a neighbouring school neither sees nor changes the school, whatever the id', async () => {
    const before = await snapshot(database, school);
    const client = new ApiClient(app);
    expect((await client.login('librarian12', DEMO_PASSWORD)).status).toBe(200);
    await sweep(client, 'librarian12', candidateIds, [...READER_MARKERS, ...COPY_MARKERS]);
    expect(problems).toEqual([]);
    expect(await snapshot(database, school)).toEqual(before);
    // the sweep means something only if most calls got past validation to the domain logic
    const reached = Object.values(statuses).filter((codes) => codes.some((c) => c !== 400 && c !== 401));
    expect(reached.length).toBeGreaterThan(100);
  }, 600_000);

  it("a district methodologist reads figures but never a reader's personal data, and changes nothing", async () => {
    const before = await snapshot(database, school);
    const client = new ApiClient(app);
    expect((await client.login('methodologist', DEMO_PASSWORD)).status).toBe(200);
    await sweep(client, 'methodologist', candidateIds, READER_MARKERS);
    expect(problems).toEqual([]);
    expect(await snapshot(database, school)).toEqual(before);
  }, 600_000);

  it.each(['student', 'parent', 'teacher'])('a %s of the same school never sees another class’s reader', async (login) => {
    const client = new ApiClient(app);
    expect((await client.login(login, DEMO_PASSWORD)).status).toBe(200);
    await sweep(client, login, secretIds, READER_MARKERS);
    expect(problems).toEqual([]);
  }, 600_000);

  /** Calls every operation once per candidate id and records leaks and crashes. */
  async function sweep(client: ApiClient, who: string, ids: number[], markers: string[]) {
    problems.length = 0;
    // reads first, so that nothing the caller creates on its own side shadows the target
    const ordered = [...operations.filter((o) => o.method === 'GET'), ...operations.filter((o) => o.method !== 'GET')];
    for (const op of ordered) {
      if (op.url.startsWith('/api/auth/')) continue; // signing out would end the sweep
      const aims = /[:{]/.test(op.url) || op.parameters.length > 0 || op.body ? ids : [ids[0]!];
      for (const id of aims) {
        const target: Target = { id, organisationId: school, barcode: SECRET.barcode, isbn: '9786010000001' };
        const req = buildRequest(op, target);
        const res = await client.request(req);
        const where = `${who}: ${op.method} ${req.url}`;
        statuses[`${op.method} ${op.url}`] = [...(statuses[`${op.method} ${op.url}`] ?? []), res.status];
        if (res.status >= 500) problems.push(`${where} → ${res.status} ${short(res)}`);
        const text = await readable(res);
        for (const marker of markers) if (text.includes(marker)) problems.push(`${where} shows «${marker}»`);
        if (problems.length > 40) return;
      }
    }
  }
});

function collectOperations(doc: any): Operation[] {
  const ops: Operation[] = [];
  for (const [url, methods] of Object.entries<any>(doc.paths)) {
    if (!url.startsWith('/api/')) continue;
    for (const [method, op] of Object.entries<any>(methods)) {
      ops.push({
        method: method.toUpperCase(),
        url,
        parameters: op.parameters ?? [],
        body: op.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return ops;
}

function buildRequest(op: Operation, target: Target) {
  let url = op.url.replace(/\{([A-Za-z0-9_]+)\}/g, (_m, name: string) => encodeURIComponent(String(valueFor(name, { type: 'string' }, target))));
  const query = new URLSearchParams();
  for (const p of op.parameters) {
    if (p.in !== 'query') continue;
    if (!p.required && !isAimable(p.name)) continue;
    const value = example(p.schema ?? { type: 'string' }, p.name, target);
    if (value !== undefined) query.set(p.name, String(value));
  }
  if ([...query].length) url += `?${query}`;
  const payload = op.body ? (example(op.body, '', target) as Record<string, unknown>) : op.method === 'GET' || op.method === 'DELETE' ? undefined : {};
  return { method: op.method as 'GET', url, payload: payload as any };
}

function isAimable(name: string) {
  return /(^id$|Id$|Ids$|barcode|organisation|isbn)/i.test(name);
}

function valueFor(name: string, schema: Schema, target: Target): unknown {
  if (/barcode/i.test(name)) return schema.type === 'array' ? [target.barcode] : target.barcode;
  if (/isbn/i.test(name)) return target.isbn;
  if (/organisation/i.test(name)) return target.organisationId;
  if (/(^id$|Id$|Ids$)/.test(name)) return target.id;
  if (/year/i.test(name)) return schema.type === 'string' ? '2025-2026' : 2026;
  return undefined;
}

/** A value that satisfies the schema, aimed at the target wherever a field names an id or a barcode. */
function example(schema: Schema, name: string, target: Target): unknown {
  if (!schema) return undefined;
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return example(variants.find((s: Schema) => s.type !== 'null') ?? variants[0], name, target);
  if (schema.enum) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  if (schema.type === 'object' || schema.properties) {
    const out: Record<string, unknown> = {};
    for (const [key, prop] of Object.entries<Schema>(schema.properties ?? {})) {
      const value = example(prop, key, target);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  if (schema.type === 'array') {
    const item = example(schema.items ?? { type: 'string' }, name, target);
    return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => item);
  }
  const aimed = valueFor(name, schema, target);
  if (aimed !== undefined && (typeof aimed === typeof (schema.type === 'string' ? '' : 0) || schema.type === undefined)) return aimed;
  switch (schema.type) {
    case 'integer':
    case 'number':
      return Math.max(1, typeof schema.minimum === 'number' && schema.minimum > -1e9 ? schema.minimum : 1);
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'date' || /\\d\{4\}-/.test(schema.pattern ?? '')) return TODAY;
      if (schema.format === 'date-time') return `${TODAY}T10:00:00Z`;
      if (schema.format === 'email') return 'sweep@example.kz';
      if (schema.pattern) return undefined;
      return 'Sweep'.padEnd(schema.minLength ?? 1, 'x').slice(0, schema.maxLength ?? 100);
    default:
      return undefined;
  }
}

async function readable(res: Response): Promise<string> {
  const type = String(res.headers['content-type'] ?? '');
  if (type.includes('pdf')) {
    const file = path.join(os.tmpdir(), `kt-sweep-${process.pid}.pdf`);
    fs.writeFileSync(file, res.raw);
    try {
      return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    } finally {
      fs.rmSync(file, { force: true });
    }
  }
  if (type.includes('spreadsheet')) {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.raw as unknown as ArrayBuffer);
    const cells: string[] = [];
    book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.text)))));
    return cells.join('\n');
  }
  return res.raw.toString('utf8');
}

function short(res: Response) {
  return res.raw.toString('utf8').slice(0, 200);
}

/** Ids of rows the school owns, a few per table, to aim every id parameter at. */
async function idsOwnedBy(database: DatabaseHandle, organisationId: number): Promise<number[]> {
  const tables = await ownedTables(database);
  const ids: number[] = [];
  for (const t of tables.filter((t) => t.hasId)) {
    const { rows } = await sql<{ lo: number | null; hi: number | null }>`
      select min(id)::int as lo, max(id)::int as hi from ${sql.table(t.name)} where organisation_id = ${organisationId}`.execute(database.db);
    for (const v of [rows[0]?.lo, rows[0]?.hi]) if (typeof v === 'number') ids.push(v);
  }
  return ids;
}

async function ownedTables(database: DatabaseHandle) {
  const { rows } = await sql<{ name: string; has_id: boolean }>`
    select c.table_schema || '.' || c.table_name as name,
           exists (select 1 from information_schema.columns i
                   where i.table_schema = c.table_schema and i.table_name = c.table_name and i.column_name = 'id' and i.data_type in ('integer', 'bigint')) as has_id
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
     where c.column_name = 'organisation_id' and c.table_schema not in ('pg_catalog', 'information_schema')
     order by 1`.execute(database.db);
  return rows.map((r) => ({ name: r.name, hasId: r.has_id }));
}

/**
 * A fingerprint of everything the school owns: its rows in every table that carries an
 * organisation, and the rows of tables hanging off those by a foreign key. Derived caches
 * that a methodologist may legitimately refresh are left out.
 */
async function snapshot(database: DatabaseHandle, organisationId: number): Promise<Record<string, string>> {
  const owned = (await ownedTables(database)).map((t) => t.name).filter((n) => n !== 'reclist.school_stats' && n !== 'org.audit_log');
  const out: Record<string, string> = {};
  for (const table of owned) {
    const { rows } = await sql<{ f: string }>`
      select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as f
        from ${sql.table(table)} t where organisation_id = ${organisationId}`.execute(database.db);
    out[table] = rows[0]!.f;
  }
  const { rows: children } = await sql<{ child: string; col: string; parent: string; pcol: string }>`
    select cn.nspname || '.' || cc.relname as child, ca.attname as col, pn.nspname || '.' || pc.relname as parent, pa.attname as pcol
      from pg_constraint k
      join pg_class cc on cc.oid = k.conrelid join pg_namespace cn on cn.oid = cc.relnamespace
      join pg_class pc on pc.oid = k.confrelid join pg_namespace pn on pn.oid = pc.relnamespace
      join pg_attribute ca on ca.attrelid = k.conrelid and ca.attnum = k.conkey[1]
      join pg_attribute pa on pa.attrelid = k.confrelid and pa.attnum = k.confkey[1]
     where k.contype = 'f' and array_length(k.conkey, 1) = 1
       and not exists (select 1 from pg_attribute x where x.attrelid = k.conrelid and x.attname = 'organisation_id' and not x.attisdropped)`.execute(
    database.db,
  );
  for (const c of children) {
    if (!owned.includes(c.parent)) continue;
    const { rows } = await sql<{ f: string }>`
      select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as f
        from ${sql.table(c.child)} t
       where ${sql.ref(`t.${c.col}`)} in (select ${sql.ref(c.pcol)} from ${sql.table(c.parent)} where organisation_id = ${organisationId})`.execute(database.db);
    out[`${c.child} via ${c.col}`] = rows[0]!.f;
  }
  return out;
}
