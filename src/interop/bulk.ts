import { sql } from 'kysely';
import type { Executor } from '../org/audit.js';

export interface BulkColumn {
  name: string;
  /** PostgreSQL type of the value in the JSON document (bytea travels as base64 text). */
  type: string;
}

/**
 * Inserts many rows with one statement and ONE parameter: the rows as a JSON document unpacked by
 * jsonb_to_recordset. Thousands of bound parameters cost more to send and bind than the rows
 * themselves, on the embedded database above all.
 */
export async function insertRows(db: Executor, table: string, columns: BulkColumn[], rows: Record<string, unknown>[]): Promise<void> {
  if (!rows.length) return;
  const names = sql.join(columns.map((c) => sql.ref(c.name)));
  const definitions = sql.raw(columns.map((c) => `"${c.name}" ${c.type === 'bytea' ? 'text' : c.type}`).join(', '));
  const values = sql.join(columns.map((c) => (c.type === 'bytea' ? sql`decode(${sql.ref(`x.${c.name}`)}, 'base64')` : sql.ref(`x.${c.name}`))));
  await sql`insert into ${sql.table(table)} (${names}) select ${values} from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(${definitions})`.execute(db);
}
