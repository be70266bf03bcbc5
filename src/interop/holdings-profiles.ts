import { z } from 'zod';
import type { Actor } from '../auth/actor.js';
import { staffLibrary } from '../auth/guard.js';
import type { Executor } from '../db/executor.js';
import { auditedChange } from '../db/transaction.js';
import { invalid, notFound } from '../shared/errors.js';
import type { MarcRecord } from './marc/record.js';

/**
 * Where a source system writes its copies. Each one puts the inventory number, barcode and price in
 * subfields of its own local field, and a wrong guess turns a price into a barcode (SirsiDynix's 949
 * holds the price in the subfield a generic 949 has the barcode in). A profile names, per field, the
 * subfield of each; the librarian picks one in the preview, seeing the first copies it maps, and a
 * library may keep profiles of its own for a system not listed here.
 */
export const holdingsFieldRule = z.object({
  tag: z.string().regex(/^[0-9]{3}$/),
  inventory: z.string().regex(/^[a-z0-9]$/).nullable(),
  barcode: z.string().regex(/^[a-z0-9]$/).nullable(),
  price: z.string().regex(/^[a-z0-9]$/).nullable(),
  location: z.array(z.string().regex(/^[a-z0-9]$/)).max(5),
});
export type HoldingsFieldRule = z.infer<typeof holdingsFieldRule>;

export const holdingsProfileFields = z.array(holdingsFieldRule).min(1).max(10);

const rule = (tag: string, inventory: string | null, barcode: string | null, price: string | null, location: string[]): HoldingsFieldRule => ({ tag, inventory, barcode, price, location });

/**
 * The profiles every library has. `auto` is no profile: the fields each format usually holds (mapping.ts).
 * Subfields as the systems document them: Koha 952 ($i inventory, $p barcode, $g price, $c location, $o call
 * number); SirsiDynix 949 ($i item id = barcode, $p price, $l location, $a call number); IRBIS 910 (^b inventory,
 * ^h barcode, ^e price, ^d place of storage); MARC 21 item fields 876–878 and 852; UNIMARC 995 and RUSMARC 899.
 */
export const BUILT_IN_PROFILES: Record<string, HoldingsFieldRule[]> = {
  koha: [rule('952', 'i', 'p', 'g', ['c', 'o'])],
  sirsi: [rule('949', null, 'i', 'p', ['l', 'a'])],
  irbis: [rule('910', 'b', 'h', 'e', ['d'])],
  marc21: [rule('876', 'a', 'p', 'c', ['l']), rule('877', 'a', 'p', 'c', ['l']), rule('878', 'a', 'p', 'c', ['l']), rule('852', 'x', 'p', '9', ['c', 'h', 'i'])],
  unimarc: [rule('995', 'j', 'f', 'p', ['k']), rule('899', 'p', 'x', 'c', ['b', 'j'])],
};
export const AUTO_PROFILE = 'auto';

export interface HoldingsProfileView {
  key: string;
  /** a built-in profile's name is translated by the page (`interop.profile.<key>`); a library's own has its name */
  name: string | null;
  builtIn: boolean;
  fields: HoldingsFieldRule[];
}

const OWN_PREFIX = 'own:';

/** Every profile a library can choose: the built-in ones, then its own. */
export async function listHoldingsProfiles(db: Executor, actor: Actor): Promise<HoldingsProfileView[]> {
  const org = staffLibrary(actor);
  const own = await db.selectFrom('interop.holdings_profiles').select(['key', 'name', 'fields']).where('organisation_id', '=', org).orderBy('name').execute();
  return [
    { key: AUTO_PROFILE, name: null, builtIn: true, fields: [] },
    ...Object.entries(BUILT_IN_PROFILES).map(([key, fields]) => ({ key, name: null, builtIn: true, fields })),
    ...own.map((r) => ({ key: OWN_PREFIX + r.key, name: r.name, builtIn: false, fields: parseFields(r.fields) })),
  ];
}

function parseFields(value: unknown): HoldingsFieldRule[] {
  return holdingsProfileFields.parse(typeof value === 'string' ? JSON.parse(value) : value);
}

/** The rules of a profile by its key; null for `auto` (the format's usual fields). */
export async function resolveHoldingsProfile(db: Executor, organisationId: number, key: string | undefined): Promise<HoldingsFieldRule[] | null> {
  if (!key || key === AUTO_PROFILE) return null;
  if (BUILT_IN_PROFILES[key]) return BUILT_IN_PROFILES[key]!;
  if (key.startsWith(OWN_PREFIX)) {
    const row = await db.selectFrom('interop.holdings_profiles').select('fields').where('organisation_id', '=', organisationId).where('key', '=', key.slice(OWN_PREFIX.length)).executeTakeFirst();
    if (row) return parseFields(row.fields);
  }
  throw notFound('holdings_profile', key);
}

/** A library's own profile, made or changed. */
export async function saveHoldingsProfile(db: Executor, actor: Actor, input: { key: string; name: string; fields: HoldingsFieldRule[] }): Promise<string> {
  const org = staffLibrary(actor);
  const key = input.key.trim().toLowerCase();
  const name = input.name.trim();
  if (!/^[a-z0-9-]{1,40}$/.test(key)) throw invalid('interop.profile_bad_key', { value: input.key });
  if (!name) throw invalid('interop.profile_name_missing');
  const fields = holdingsProfileFields.parse(input.fields);
  if (fields.some((f) => !f.inventory && !f.barcode)) throw invalid('interop.profile_no_number');
  await auditedChange(db, actor, { action: 'update', entity: 'holdings_profile', entityId: null, details: { key, name } }, async (trx) => {
    await trx
      .insertInto('interop.holdings_profiles')
      .values({ organisation_id: org, key, name, fields: JSON.stringify(fields) })
      .onConflict((oc) => oc.columns(['organisation_id', 'key']).doUpdateSet({ name, fields: JSON.stringify(fields), updated_at: new Date() }))
      .execute();
  });
  return OWN_PREFIX + key;
}

export async function deleteHoldingsProfile(db: Executor, actor: Actor, key: string): Promise<void> {
  const org = staffLibrary(actor);
  const own = key.startsWith(OWN_PREFIX) ? key.slice(OWN_PREFIX.length) : key;
  await auditedChange(db, actor, { action: 'delete', entity: 'holdings_profile', entityId: null, details: { key: own } }, async (trx) => {
    const gone = await trx.deleteFrom('interop.holdings_profiles').where('organisation_id', '=', org).where('key', '=', own).executeTakeFirst();
    if (!gone.numDeletedRows) throw notFound('holdings_profile', key);
  });
}

/** The built-in profile a file's records look written by, from the local fields they carry (first match wins). */
export function suggestHoldingsProfile(records: MarcRecord[]): string {
  const tags = new Set(records.flatMap((r) => r.fields.map((f) => f.tag)));
  if (tags.has('952')) return 'koha';
  if (tags.has('910')) return 'irbis';
  if (tags.has('995') || tags.has('899')) return 'unimarc';
  if (['876', '877', '878'].some((t) => tags.has(t))) return 'marc21';
  return AUTO_PROFILE;
}
