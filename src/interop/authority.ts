import type { Actor } from '../auth/actor.js';
import { createAuthor, findAuthor, nameMatchKey } from '../catalog/authors.js';
import type { Executor } from '../org/audit.js';

export interface LinkedAuthor {
  id: number;
  /** The name and its variants, for the work's search key. */
  names: string[];
}

/**
 * Resolves authors' names to the author authority for a whole import: the same name in another
 * script or «Surname, Forename» order finds the same author (catalog/authors.ts), and a name met
 * once is not looked up again, so a file of 50,000 records asks the database once per distinct name.
 */
export class AuthorResolver {
  private known = new Map<string, LinkedAuthor>();
  /** Authors added to the authority by this import, so undo can remove the ones left unused. */
  readonly created: number[] = [];

  constructor(private actor: Actor | null) {}

  async resolve(db: Executor, names: string[]): Promise<Map<string, LinkedAuthor>> {
    const result = new Map<string, LinkedAuthor>();
    const missing: string[] = [];
    for (const name of new Set(names)) {
      const hit = this.known.get(nameMatchKey(name));
      if (hit) result.set(name, hit);
      else missing.push(name);
    }
    const foundIds = new Map<string, number>();
    for (const name of missing) {
      const key = nameMatchKey(name);
      const already = this.known.get(key);
      if (already) {
        result.set(name, already);
        continue;
      }
      const id = await findAuthor(db, { name });
      if (id !== undefined) foundIds.set(name, id);
      else {
        const created = await createAuthor(db, this.actor, { name });
        this.created.push(created);
        const linked = { id: created, names: [name] };
        this.known.set(key, linked);
        result.set(name, linked);
      }
    }
    if (foundIds.size) {
      const rows = await db
        .selectFrom('catalog.authors')
        .select(['id', 'name', 'variants'])
        .where('id', 'in', [...new Set(foundIds.values())])
        .execute();
      const byId = new Map(rows.map((r) => [r.id, { id: r.id, names: [r.name, ...(r.variants ?? [])] }]));
      for (const [name, id] of foundIds) {
        const linked = byId.get(id)!;
        this.known.set(nameMatchKey(name), linked);
        result.set(name, linked);
      }
    }
    return result;
  }

  /** After a failed transaction the authors it created are gone: forget them. */
  forget(fromIndex: number): void {
    const gone = new Set(this.created.splice(fromIndex));
    for (const [key, linked] of this.known) if (gone.has(linked.id)) this.known.delete(key);
  }
}
