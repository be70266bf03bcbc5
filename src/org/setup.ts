import type { Db } from '../db/connect.js';
import { conflict } from '../shared/errors.js';
import type { Executor } from '../db/executor.js';
import { createOrganisation } from './organisations.js';
import type { OrganisationKind } from './schema.js';
import { createUser } from './users.js';

export interface Account {
  login: string;
  fullName: string;
  password: string;
}

/** What `npm run setup` asks for: where the library stands in the hierarchy, and its first people. */
export interface LibrarySetup {
  region: string;
  /** A city school may stand right under its region. */
  district?: string | null;
  library: string;
  kind?: Extract<OrganisationKind, 'school' | 'college' | 'children_library'>;
  /** The library's official code, if it has one. */
  code?: string | null;
  admin: Account;
  /** The librarian who works at the desk: the admin role manages, it does not lend books. */
  librarian?: Account | null;
}

export interface SetupResult {
  libraryId: number;
  adminId: number;
  librarianId: number | null;
}

const REPUBLIC = 'Қазақстан Республикасы';

async function findOrCreate(trx: Executor, parentId: number | null, kind: OrganisationKind, name: string): Promise<number> {
  let query = trx.selectFrom('org.organisations').select('id').where('kind', '=', kind).where('name', '=', name);
  query = parentId === null ? query.where('parent_id', 'is', null) : query.where('parent_id', '=', parentId);
  const found = await query.executeTakeFirst();
  return found?.id ?? (await createOrganisation(trx, null, { parentId, kind, name })).id;
}

/**
 * The first library and its first accounts, for a database started without the demo: until
 * then nobody can sign in. One transaction: a refused password leaves nothing half made. Only
 * while no account exists — later, people are added by those who can sign in.
 */
export async function setUpLibrary(db: Db, input: LibrarySetup): Promise<SetupResult> {
  return db.transaction().execute(async (trx) => {
    const someone = await trx.selectFrom('org.users').select('id').limit(1).executeTakeFirst();
    if (someone) throw conflict('org.setup_done');
    const republic = await findOrCreate(trx, null, 'republic', REPUBLIC);
    const region = await findOrCreate(trx, republic, 'region', input.region.trim());
    const parent = input.district?.trim() ? await findOrCreate(trx, region, 'district', input.district.trim()) : region;
    const library = await createOrganisation(trx, null, { parentId: parent, kind: input.kind ?? 'school', name: input.library.trim(), code: input.code ?? null });
    const adminId = await createUser(trx, null, { ...input.admin, role: 'admin', organisationId: library.id });
    const librarianId = input.librarian ? await createUser(trx, null, { ...input.librarian, role: 'librarian', organisationId: library.id }) : null;
    return { libraryId: library.id, adminId, librarianId };
  });
}
