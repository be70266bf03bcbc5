import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { nameMatchKey } from '../catalog/authors.js';
import { lockAuthority } from '../catalog/locks.js';
import { kazakhSortKey, searchKey } from '../catalog/folding.js';
import type { Executor } from '../db/executor.js';
import { insertRows } from './bulk.js';

export interface LinkedAuthor {
  id: number;
  /** The name and its variants, for the work's search key. */
  names: string[];
  /** The same names folded for search (catalog/folding.ts), computed once per author and import. */
  folded: string[];
}

const AUTHOR_COLUMNS = [
  ['id', 'bigint'], ['name', 'text'], ['search_key', 'text'], ['sort_key', 'text'],
].map(([name, type]) => ({ name: name!, type: type! }));

const AUDIT_COLUMNS = [
  ['organisation_id', 'bigint'], ['user_id', 'bigint'], ['action', 'text'], ['entity', 'text'], ['entity_id', 'text'], ['details', 'jsonb'],
].map(([name, type]) => ({ name: name!, type: type! }));

const linkedOf = (id: number, names: string[]): LinkedAuthor => ({ id, names, folded: names.map((n) => searchKey(n)).filter(Boolean) });

/**
 * Candidates for several names in one query, as `findAuthor` (catalog/authors.ts) looks for one:
 * the authors whose search key holds the name's longest folded word, the first 200 by id, and
 * among them the first whose name or a variant has the same match key (folded words, any order).
 * The import has no birth dates, so the namesake check by year does not apply.
 */
export async function findAuthors(db: Executor, names: string[]): Promise<Map<string, { id: number; names: string[] }>> {
  const result = new Map<string, { id: number; names: string[] }>();
  const keys = new Map<string, string>();
  for (const name of names) {
    const key = nameMatchKey(name);
    if (key) keys.set(name, key);
  }
  if (!keys.size) return result;
  const patterns = [...new Set([...keys.values()].map((key) => '%' + key.split(' ').sort((a, b) => b.length - a.length)[0]! + '%'))];
  const { rows } = await sql<{ pattern: string; id: number; name: string; variants: string[] | null }>`
    select p.pattern, a.id, a.name, a.variants
    from unnest(${patterns}::text[]) as p(pattern)
    cross join lateral (
      select id, name, variants from catalog.authors where search_key like p.pattern order by id limit 200
    ) a
    order by p.pattern, a.id`.execute(db);
  const byPattern = new Map<string, { id: number; names: string[]; keys: string[] }[]>();
  for (const r of rows) {
    const all = [r.name, ...(r.variants ?? [])];
    const list = byPattern.get(r.pattern) ?? [];
    list.push({ id: Number(r.id), names: all, keys: all.map(nameMatchKey) });
    byPattern.set(r.pattern, list);
  }
  for (const [name, key] of keys) {
    const pattern = '%' + key.split(' ').sort((a, b) => b.length - a.length)[0]! + '%';
    const hit = byPattern.get(pattern)?.find((c) => c.keys.includes(key));
    if (hit) result.set(name, { id: hit.id, names: hit.names });
  }
  return result;
}

/**
 * Resolves authors' names to the author authority for a whole import: the same name in another
 * script or «Surname, Forename» order finds the same author (catalog/authors.ts), and a name met
 * once is not looked up again. The names a chunk meets for the first time are looked up with one
 * query, and those the authority lacks are added with one insert (and one insert of their audit
 * lines), so a chunk costs the same few statements whether it brings 3 new authors or 900.
 */
export class AuthorResolver {
  private known = new Map<string, LinkedAuthor>();
  /** Authors added to the authority by this import, so undo can remove the ones left unused. */
  readonly created: number[] = [];

  constructor(private actor: Actor | null) {}

  async resolve(db: Executor, names: string[]): Promise<Map<string, LinkedAuthor>> {
    const result = new Map<string, LinkedAuthor>();
    // the names this import has not met yet, one per match key
    const missing = new Map<string, string>();
    for (const name of new Set(names)) {
      const key = nameMatchKey(name);
      const hit = this.known.get(key);
      if (hit) result.set(name, hit);
      else if (!missing.has(key)) missing.set(key, name);
    }
    if (!missing.size) return this.complete(result, names);
    // the names are looked up under the lock, so an author another import adds meanwhile is found, not added twice
    await lockAuthority(db);
    const found = await findAuthors(db, [...missing.values()]);
    const toCreate: { key: string; name: string }[] = [];
    for (const [key, name] of missing) {
      const hit = found.get(name);
      if (hit) this.known.set(key, linkedOf(hit.id, hit.names));
      else toCreate.push({ key, name: name.trim() });
    }
    if (toCreate.length) {
      const { rows } = await sql<{ id: number }>`select nextval('catalog.authors_id_seq')::int8 as id from generate_series(1, ${toCreate.length})`.execute(db);
      const ids = rows.map((r) => Number(r.id));
      await insertRows(db, 'catalog.authors', AUTHOR_COLUMNS, toCreate.map((a, i) => {
        const linked = linkedOf(ids[i]!, [a.name]);
        this.known.set(a.key, linked);
        this.created.push(linked.id);
        // as createAuthor computes them: searchKey(name) is the folded name
        return { id: linked.id, name: a.name, search_key: linked.folded.join(' '), sort_key: kazakhSortKey(a.name) };
      }));
      // one audit line per author added, as createAuthor writes
      await insertRows(db, 'org.audit_log', AUDIT_COLUMNS, toCreate.map((a, i) => ({
        organisation_id: this.actor?.organisationId ?? null,
        user_id: this.actor?.userId ?? null,
        action: 'create',
        entity: 'author',
        entity_id: String(ids[i]),
        details: { name: a.name },
      })));
    }
    return this.complete(result, names);
  }

  private complete(result: Map<string, LinkedAuthor>, names: string[]): Map<string, LinkedAuthor> {
    for (const name of names) if (!result.has(name)) result.set(name, this.known.get(nameMatchKey(name))!);
    return result;
  }

  /** After a failed transaction the authors it created are gone: forget them. */
  forget(fromIndex: number): void {
    const gone = new Set(this.created.splice(fromIndex));
    for (const [key, linked] of this.known) if (gone.has(linked.id)) this.known.delete(key);
  }
}
