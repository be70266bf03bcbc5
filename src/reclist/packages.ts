import crypto from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../auth/actor.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { LIBRARY_KINDS } from '../org/organisations.js';
import { conflict, invalid, notFound } from '../shared/errors.js';
import { CATEGORIES } from './schema.js';
import { resolveLibrary } from './coverage.js';
import { currentPeriod, saveStats } from './monitoring.js';
import { computeSchoolStats, type SchoolStats } from './stats.js';
import { findVersion } from './versions.js';
import { assertCanSeeOrganisation } from '../auth/guard.js';

export const PACKAGE_FORMAT = 'kitaphana.reclist-stats/1';
/**
 * Version 2 of the same package: the recommended list's statistics when the school keeps a list, and the
 * closed annual report of a period (its figures, sums only). Same envelope, keys and signature.
 */
export const PACKAGE_FORMAT_V2 = 'kitaphana.reclist-stats/2';

const annualSchema = z.object({
  period: z.string().regex(/^\d{4}(-\d{4})?$/),
  closedAt: z.string().max(40),
  figures: z.record(z.string(), z.unknown()),
});
export type AnnualSection = z.infer<typeof annualSchema>;

const statsSchema = z.object({
  listYear: z.number().int(),
  titlesTotal: z.number().int().min(0),
  titlesHeld: z.number().int().min(0),
  listCopies: z.number().int().min(0),
  students: z.number().int().min(0),
  copiesTotal: z.number().int().min(0),
  fictionCopies: z.number().int().min(0),
  kazakhCopies: z.number().int().min(0),
  byCategory: z.array(
    z.object({ category: z.enum(CATEGORIES), titles: z.number().int().min(0), held: z.number().int().min(0), copies: z.number().int().min(0) }),
  ),
  bought: z.array(z.object({ year: z.number().int(), source: z.string().max(50), copies: z.number().int().min(0) })),
});

const packageSchema = z.object({
  payload: z
    .object({
      format: z.enum([PACKAGE_FORMAT, PACKAGE_FORMAT_V2]),
      schoolCode: z.string().min(1).max(50),
      period: z.number().int().min(2000).max(2100),
      generatedAt: z.string(),
      stats: statsSchema.optional(),
      annual: annualSchema.optional(),
    })
    .refine((p) => (p.format === PACKAGE_FORMAT ? p.stats !== undefined && p.annual === undefined : p.stats !== undefined || p.annual !== undefined)),
  signature: z.string().min(1),
});

export type StatsPackage = z.infer<typeof packageSchema>;

/** JSON with object keys in a fixed order, so that the same content always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Identifies the content of a package: the school, the period and the figures, not when it was made. */
export function contentHash(p: StatsPackage['payload']): string {
  const content: Record<string, unknown> = { schoolCode: p.schoolCode, period: p.period, stats: p.stats };
  if (p.annual) content.annual = { period: p.annual.period, figures: p.annual.figures };
  return crypto.createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** The library's own key pair, made the first time it is needed. */
async function signingKey(db: Executor, organisationId: number) {
  const existing = await db.selectFrom('reclist.signing_keys').selectAll().where('organisation_id', '=', organisationId).executeTakeFirst();
  if (existing) return existing;
  const pair = crypto.generateKeyPairSync('ed25519');
  const row = {
    organisation_id: organisationId,
    public_key: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    private_key: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  await db.insertInto('reclist.signing_keys').values(row).onConflict((oc) => oc.column('organisation_id').doNothing()).execute();
  return db.selectFrom('reclist.signing_keys').selectAll().where('organisation_id', '=', organisationId).executeTakeFirstOrThrow();
}

/** The public key a school gives its district so that the district can trust its packages. */
export async function ownPublicKey(db: Executor, actor: Actor) {
  const school = await resolveLibrary(db, actor);
  const key = await signingKey(db, school.id);
  return { organisationId: school.id, schoolCode: school.code, publicKey: key.public_key };
}

/** The school side: its statistics for a period, computed now and signed with its key. */
export async function exportPackage(db: Executor, actor: Actor, period = currentPeriod(), annual?: AnnualSection): Promise<StatsPackage> {
  const school = await resolveLibrary(db, actor);
  if (!school.code) throw conflict('reclist.school_code_missing');
  // With an annual report the list's statistics come along when the deployment keeps a list at all.
  const version = annual ? await db.selectFrom('reclist.versions').select(['id', 'year']).orderBy('year', 'desc').limit(1).executeTakeFirst() : await findVersion(db);
  const stats = version ? (await computeSchoolStats(db, version, [school.id])).get(school.id)! : undefined;
  const payload: StatsPackage['payload'] = annual
    ? { format: PACKAGE_FORMAT_V2, schoolCode: school.code, period, generatedAt: new Date().toISOString(), ...(stats ? { stats } : {}), annual }
    : { format: PACKAGE_FORMAT, schoolCode: school.code, period, generatedAt: new Date().toISOString(), stats };
  const key = await signingKey(db, school.id);
  const signature = crypto.sign(null, Buffer.from(canonicalJson(payload)), key.private_key).toString('base64');
  await audit(db, actor, 'export', 'reclist_package', school.id, { period, hash: contentHash(payload) });
  return { payload, signature };
}

/** The district side: trusts a school's public key for its packages from now on. */
export async function trustSchoolKey(db: Executor, actor: Actor, organisationId: number, publicKeyPem: string) {
  await assertCanSeeOrganisation(db, actor, organisationId);
  const school = await db.selectFrom('org.organisations').select(['id', 'kind']).where('id', '=', organisationId).executeTakeFirst();
  if (!school) throw notFound('organisation', organisationId);
  if (!LIBRARY_KINDS.includes(school.kind)) throw invalid('reclist.not_a_library');
  let key: crypto.KeyObject;
  try {
    key = crypto.createPublicKey(publicKeyPem);
  } catch {
    throw invalid('reclist.bad_public_key');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw invalid('reclist.bad_public_key');
  const pem = key.export({ type: 'spki', format: 'pem' }).toString();
  await db
    .insertInto('reclist.trusted_keys')
    .values({ organisation_id: organisationId, public_key: pem, added_by: actor.userId })
    .onConflict((oc) => oc.column('organisation_id').doUpdateSet({ public_key: pem, added_by: actor.userId, added_at: new Date() }))
    .execute();
  await audit(db, actor, 'trust', 'reclist_key', organisationId, {});
  return { organisationId };
}

/**
 * Takes a school's signed package into the monitoring. Checked in this order: the file is a
 * package, the school is known and within the actor's area, its key is trusted, the signature
 * holds. The same content imported again changes nothing.
 */
type AnnualHandler = (db: Executor, actor: Actor, organisationId: number, annual: AnnualSection, contentHash: string) => Promise<void>;
let annualHandler: AnnualHandler | null = null;

/** The annual report registers how it keeps the annual section of an imported package. */
export function handleAnnualSections(handler: AnnualHandler) {
  annualHandler = handler;
}

export async function importPackage(db: Executor, actor: Actor, file: Buffer) {
  const pkg = readPackage(file);
  const { payload } = pkg;
  const school = await db
    .selectFrom('org.organisations')
    .select(['id', 'kind', 'name'])
    .where('code', '=', payload.schoolCode)
    .executeTakeFirst();
  if (!school || !LIBRARY_KINDS.includes(school.kind)) throw invalid('reclist.package_unknown_school', { code: payload.schoolCode });
  await assertCanSeeOrganisation(db, actor, school.id);
  const trusted = await db.selectFrom('reclist.trusted_keys').select('public_key').where('organisation_id', '=', school.id).executeTakeFirst();
  if (!trusted) throw invalid('reclist.package_untrusted', { code: payload.schoolCode });
  if (!verify(pkg, trusted.public_key)) throw invalid('reclist.package_bad_signature', { code: payload.schoolCode });

  const hash = contentHash(payload);
  const inserted = await db
    .insertInto('reclist.imported_packages')
    .values({ school_code: payload.schoolCode, period: payload.period, content_hash: hash, organisation_id: school.id, imported_by: actor.userId })
    .onConflict((oc) => oc.columns(['school_code', 'period', 'content_hash']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return { status: 'unchanged' as const, organisationId: school.id, period: payload.period, contentHash: hash, annualPeriod: payload.annual?.period ?? null };
  if (payload.stats) await saveStats(db, school.id, payload.period, 'package', payload.stats as SchoolStats, hash);
  if (payload.annual) {
    if (!annualHandler) throw invalid('reclist.package_invalid');
    await annualHandler(db, actor, school.id, payload.annual, hash);
  }
  await audit(db, actor, 'import', 'reclist_package', school.id, { period: payload.period, hash });
  return { status: 'imported' as const, organisationId: school.id, period: payload.period, contentHash: hash, annualPeriod: payload.annual?.period ?? null };
}

function readPackage(file: Buffer): StatsPackage {
  let json: unknown;
  try {
    json = JSON.parse(file.toString('utf8'));
  } catch {
    throw invalid('reclist.package_invalid');
  }
  const parsed = packageSchema.safeParse(json);
  if (!parsed.success) throw invalid('reclist.package_invalid');
  return parsed.data;
}

function verify(pkg: StatsPackage, publicKeyPem: string): boolean {
  try {
    return crypto.verify(null, Buffer.from(canonicalJson(pkg.payload)), publicKeyPem, Buffer.from(pkg.signature, 'base64'));
  } catch {
    return false;
  }
}
