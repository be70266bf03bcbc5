import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { invalid, notFound } from '../shared/errors.js';
import type { Executor } from '../db/executor.js';
import { audit } from './audit.js';
import type { OrganisationKind } from './schema.js';
import { inTransaction } from '../db/transaction.js';

const PARENT_KIND: Record<OrganisationKind, OrganisationKind[]> = {
  republic: [],
  region: ['republic'],
  district: ['region'],
  school: ['district', 'region'],
  college: ['district', 'region'],
  children_library: ['district', 'region', 'republic'],
};

export const LIBRARY_KINDS: OrganisationKind[] = ['school', 'college', 'children_library'];

export interface NewOrganisation {
  parentId: number | null;
  kind: OrganisationKind;
  name: string;
  nameRu?: string | null;
  nameEn?: string | null;
  code?: string | null;
}

export async function createOrganisation(db: Executor, actor: Actor | null, input: NewOrganisation) {
  return inTransaction(db, async (trx) => {
    let parentPath = '/';
    if (input.parentId !== null) {
      const parent = await trx
        .selectFrom('org.organisations')
        .select(['id', 'kind', 'path'])
        .where('id', '=', input.parentId)
        .executeTakeFirst();
      if (!parent) throw notFound('organisation', input.parentId);
      if (!PARENT_KIND[input.kind].includes(parent.kind)) {
        throw invalid('org.bad_parent', { kind: input.kind, parentKind: parent.kind });
      }
      parentPath = parent.path;
    } else if (input.kind !== 'republic') {
      throw invalid('org.bad_parent', { kind: input.kind, parentKind: '-' });
    }
    const row = await trx
      .insertInto('org.organisations')
      .values({
        parent_id: input.parentId,
        kind: input.kind,
        name: input.name,
        name_ru: input.nameRu ?? null,
        name_en: input.nameEn ?? null,
        code: input.code ?? null,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    const path = `${parentPath}${row.id}/`;
    await trx.updateTable('org.organisations').set({ path }).where('id', '=', row.id).execute();
    await audit(trx, actor, 'create', 'organisation', row.id, { name: input.name, kind: input.kind }, row.id);
    return { id: row.id, path };
  });
}

/** Ids of an organisation and everything below it. */
export async function subtreeIds(db: Executor, organisationId: number): Promise<number[]> {
  const root = await db
    .selectFrom('org.organisations')
    .select('path')
    .where('id', '=', organisationId)
    .executeTakeFirst();
  if (!root) throw notFound('organisation', organisationId);
  const rows = await db
    .selectFrom('org.organisations')
    .select('id')
    .where(sql<boolean>`path like ${root.path + '%'}`)
    .execute();
  return rows.map((r) => r.id);
}


/** The organisations an actor may see (the rule of assertCanSeeOrganisation, as a list): an admin all, a methodologist the own subtree, everyone else the own library. */
export async function visibleOrganisations(db: Executor, actor: Actor) {
  let q = db.selectFrom('org.organisations').select(['id', 'parent_id', 'kind', 'name', 'name_ru', 'name_en', 'code']).orderBy('path');
  if (actor.role === 'methodologist') q = q.where(sql<boolean>`path like ${actor.orgPath + '%'}`);
  else if (actor.role !== 'admin') q = q.where('id', '=', actor.organisationId);
  const rows = await q.execute();
  return rows.map((r) => ({ id: r.id, parentId: r.parent_id, kind: r.kind, name: r.name, nameRu: r.name_ru, nameEn: r.name_en, code: r.code }));
}
