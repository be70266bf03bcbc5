import { sql } from 'kysely';
import type { Executor } from '../db/executor.js';

export interface BulkColumn {
  name: string;
  /**
   * PostgreSQL type of the value in the JSON document (bytea travels as base64 text), or
   * 'bytea-slice': the value is [start, length] of a piece of the statement's `blob` (1-based).
   */
  type: string;
}

/**
 * Inserts many rows with one statement and ONE parameter: the rows as a JSON document unpacked by
 * json_to_recordset. Thousands of bound parameters cost more to send and bind than the rows
 * themselves, on the embedded database above all. `json`, not `jsonb`: the document is read once,
 * as it comes, instead of being converted to jsonb first. Bytes that lie side by side in one
 * buffer (the records of a file) can travel once, as a second parameter, with each row naming its
 * piece ('bytea-slice'), instead of as base64 text inside the document.
 */
export async function insertRows(
  db: Executor,
  table: string,
  columns: BulkColumn[],
  rows: Record<string, unknown>[],
  blob?: Uint8Array,
): Promise<void> {
  if (!rows.length) return;
  const names = sql.join(columns.map((c) => sql.ref(c.name)));
  const jsonType = (c: BulkColumn) => (c.type === 'bytea' ? 'text' : c.type === 'bytea-slice' ? 'integer[]' : c.type);
  const definitions = sql.raw(columns.map((c) => `"${c.name}" ${jsonType(c)}`).join(', '));
  const values = sql.join(
    columns.map((c) => {
      const ref = sql.ref(`x.${c.name}`);
      if (c.type === 'bytea') return sql`decode(${ref}, 'base64')`;
      if (c.type === 'bytea-slice') return sql`substring(${blob ?? new Uint8Array()}::bytea from ${ref}[1] for ${ref}[2])`;
      return ref;
    }),
  );
  await sql`insert into ${sql.table(table)} (${names}) select ${values} from json_to_recordset(${JSON.stringify(rows)}::json) as x(${definitions})`.execute(db);
}
