import type { Executor } from '../db/executor.js';
import { loadExportWorks, workToMarc21, type ExportWork } from './export.js';
import { escapeXml, writeMarcXmlRecord } from './marc/marcxml.js';

/**
 * OAI-PMH 2.0 provider, so the national union base can harvest the catalogue incrementally.
 * Items are catalogue works; a set per library holds the works it has copies of. Deletions made by
 * undoing an import are announced as deleted records ('transient': tombstones are kept, but a work
 * deleted by other means is not tracked).
 */
export interface OaiOptions {
  /** Base URL of the endpoint, as the harvester called it. */
  baseUrl: string;
  /** The repository identifier, a domain name (see `repositoryIdentifier`): identifiers are oai:<repositoryId>:work/<id>. */
  repositoryId: string;
  pageSize?: number;
  now?: Date;
}

type Args = Record<string, string | undefined>;

const VERBS: Record<string, { required: string[]; optional: string[]; exclusive?: string }> = {
  Identify: { required: [], optional: [] },
  ListMetadataFormats: { required: [], optional: ['identifier'] },
  ListSets: { required: [], optional: [], exclusive: 'resumptionToken' },
  ListIdentifiers: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
  ListRecords: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
  GetRecord: { required: ['identifier', 'metadataPrefix'], optional: [] },
};

const FORMATS: Record<string, { schema: string; namespace: string }> = {
  oai_dc: { schema: 'http://www.openarchives.org/OAI/2.0/oai_dc.xsd', namespace: 'http://www.openarchives.org/OAI/2.0/oai_dc/' },
  marc21: { schema: 'http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd', namespace: 'http://www.loc.gov/MARC21/slim' },
};

class OaiError extends Error {
  constructor(
    readonly oaiCode: string,
    message: string,
  ) {
    super(message);
  }
}

const isoSecond = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A domain name as the oai-identifier scheme wants it: words of letters, digits and hyphens, each starting with a letter, two or more. */
const DOMAIN_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/i;

/**
 * The repository identifier of the oai-identifier scheme, which Identify announces and every
 * identifier carries: the configured one, else the host name of the public address. A host that is
 * no domain name (localhost, an IP address) is made one under the reserved `.invalid` top-level
 * domain, so the answers stay valid: `localhost.invalid`, `ip-192-168-1-10.invalid`.
 */
export function repositoryIdentifier(configured: string | undefined, host: string): string {
  const name = (configured || host).toLowerCase().replace(/^\[|\]$/g, '');
  if (DOMAIN_NAME.test(name)) return name;
  const word = name.replace(/[^a-z0-9-]+/g, '-');
  return `${/^[a-z]/.test(word) ? word : `ip-${word}`}.invalid`;
}

/** 'YYYY-MM-DD' or 'YYYY-MM-DDThh:mm:ssZ'; `end` makes a day cover all of itself. */
function parseDatestamp(value: string, end: boolean): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const d = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(d.getTime())) throw new OaiError('badArgument', `bad date ${value}`);
    return end ? new Date(d.getTime() + 86_400_000 - 1) : d;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value)) {
    const d = new Date(value);
    if (Number.isNaN(d.getTime())) throw new OaiError('badArgument', `bad date ${value}`);
    return end ? new Date(d.getTime() + 999) : d;
  }
  throw new OaiError('badArgument', `bad date ${value}`);
}

interface ListQuery {
  prefix: string;
  from?: string;
  until?: string;
  set?: string;
  /** Items after this work id have not been sent yet. */
  after: number;
}

const encodeToken = (q: ListQuery) => Buffer.from(JSON.stringify(q)).toString('base64url');

function decodeToken(token: string): ListQuery {
  try {
    const q = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ListQuery;
    if (typeof q.prefix !== 'string' || !Number.isInteger(q.after)) throw new Error('shape');
    return q;
  } catch {
    throw new OaiError('badResumptionToken', 'The resumption token is not valid');
  }
}

function checkArguments(verb: string | undefined, args: Args) {
  if (!verb || !VERBS[verb]) throw new OaiError('badVerb', 'Illegal or missing verb');
  const spec = VERBS[verb]!;
  const given = Object.keys(args).filter((k) => k !== 'verb' && args[k] !== undefined);
  if (spec.exclusive && args[spec.exclusive] !== undefined) {
    if (given.length > 1) throw new OaiError('badArgument', `${spec.exclusive} is an exclusive argument`);
    return;
  }
  for (const k of given) if (![...spec.required, ...spec.optional].includes(k)) throw new OaiError('badArgument', `Illegal argument ${k}`);
  for (const k of spec.required) if (!args[k]) throw new OaiError('badArgument', `Missing argument ${k}`);
}

export async function handleOai(db: Executor, args: Args, options: OaiOptions): Promise<string> {
  const now = options.now ?? new Date();
  const verb = args.verb;
  const requestAttrs = Object.entries(args)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(v!)}"`)
    .join('');
  let body: string;
  let echo = true;
  try {
    checkArguments(verb, args);
    body = await respond(db, verb!, args, options);
  } catch (err) {
    if (!(err instanceof OaiError)) throw err;
    // a request with a bad verb or arguments is echoed without its attributes (OAI-PMH 3.2)
    echo = !['badVerb', 'badArgument'].includes(err.oaiCode);
    body = `<error code="${err.oaiCode}">${escapeXml(err.message)}</error>`;
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">',
    `<responseDate>${isoSecond(now)}</responseDate>`,
    `<request${echo ? requestAttrs : ''}>${escapeXml(options.baseUrl)}</request>`,
    body,
    '</OAI-PMH>',
    '',
  ].join('\n');
}

async function respond(db: Executor, verb: string, args: Args, options: OaiOptions): Promise<string> {
  switch (verb) {
    case 'Identify':
      return identify(db, options);
    case 'ListMetadataFormats':
      if (args.identifier) await findItem(db, args.identifier, options);
      return `<ListMetadataFormats>${Object.entries(FORMATS)
        .map(([p, f]) => `<metadataFormat><metadataPrefix>${p}</metadataPrefix><schema>${f.schema}</schema><metadataNamespace>${f.namespace}</metadataNamespace></metadataFormat>`)
        .join('')}</ListMetadataFormats>`;
    case 'ListSets':
      return listSets(db);
    case 'GetRecord': {
      checkPrefix(args.metadataPrefix!);
      const item = await findItem(db, args.identifier!, options);
      return `<GetRecord>${await renderItems(db, [item], args.metadataPrefix!, true, options)}</GetRecord>`;
    }
    default:
      return list(db, verb as 'ListIdentifiers' | 'ListRecords', args, options);
  }
}

async function identify(db: Executor, options: OaiOptions): Promise<string> {
  // the lower limit of every datestamp given: of the works and of the deleted records' tombstones
  const [works, gone] = await Promise.all([
    db.selectFrom('catalog.works').select((eb) => eb.fn.min('updated_at').as('t')).executeTakeFirst(),
    db.selectFrom('interop.deleted_records').select((eb) => eb.fn.min('deleted_at').as('t')).executeTakeFirst(),
  ]);
  const times = [works?.t, gone?.t].filter((t) => t !== null && t !== undefined).map((t) => new Date(t as Date).getTime());
  const t = times.length ? new Date(Math.min(...times)) : new Date(0);
  return [
    '<Identify>',
    '<repositoryName>Kitaphana</repositoryName>',
    `<baseURL>${escapeXml(options.baseUrl)}</baseURL>`,
    '<protocolVersion>2.0</protocolVersion>',
    '<adminEmail>admin@kitaphana.invalid</adminEmail>',
    `<earliestDatestamp>${isoSecond(t)}</earliestDatestamp>`,
    '<deletedRecord>transient</deletedRecord>',
    '<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>',
    '<description><oai-identifier xmlns="http://www.openarchives.org/OAI/2.0/oai-identifier" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai-identifier http://www.openarchives.org/OAI/2.0/oai-identifier.xsd">',
    `<scheme>oai</scheme><repositoryIdentifier>${escapeXml(options.repositoryId)}</repositoryIdentifier><delimiter>:</delimiter><sampleIdentifier>${identifierOf(1, options)}</sampleIdentifier>`,
    '</oai-identifier></description>',
    '</Identify>',
  ].join('');
}

async function listSets(db: Executor): Promise<string> {
  const rows = await db
    .selectFrom('org.organisations as o')
    .select(['o.id', 'o.name'])
    .where(({ exists, selectFrom }) => exists(selectFrom('fund.copies as c').select('c.id').whereRef('c.organisation_id', '=', 'o.id')))
    .orderBy('o.id')
    .execute();
  if (!rows.length) throw new OaiError('noSetHierarchy', 'No library has copies yet');
  return `<ListSets>${rows.map((r) => `<set><setSpec>org:${r.id}</setSpec><setName>${escapeXml(r.name)}</setName></set>`).join('')}</ListSets>`;
}

const identifierOf = (workId: number, options: OaiOptions) => `oai:${options.repositoryId}:work/${workId}`;

function checkPrefix(prefix: string) {
  if (!FORMATS[prefix]) throw new OaiError('cannotDisseminateFormat', `Format ${prefix} is not supported`);
}

interface Item {
  workId: number;
  datestamp: Date;
  deleted: boolean;
  sets: string[];
}

async function findItem(db: Executor, identifier: string, options: OaiOptions): Promise<Item> {
  const prefix = `oai:${options.repositoryId}:work/`;
  const id = identifier.startsWith(prefix) ? Number(identifier.slice(prefix.length)) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) throw new OaiError('idDoesNotExist', `No item ${identifier}`);
  const items = await itemsAfter(db, { prefix: 'oai_dc', after: id - 1 }, 1);
  if (!items.length || items[0]!.workId !== id) throw new OaiError('idDoesNotExist', `No item ${identifier}`);
  return items[0]!;
}

/** Works and tombstones in id order after `q.after`, filtered by datestamp and set. */
async function itemsAfter(db: Executor, q: ListQuery, limit: number): Promise<Item[]> {
  const from = q.from ? parseDatestamp(q.from, false) : undefined;
  const until = q.until ? parseDatestamp(q.until, true) : undefined;
  const orgId = q.set ? Number(q.set.replace(/^org:/, '')) : undefined;
  let works = db.selectFrom('catalog.works as w').select(['w.id', 'w.updated_at']).where('w.id', '>', q.after);
  let gone = db.selectFrom('interop.deleted_records as d').select(['d.work_id', 'd.deleted_at']).where('d.work_id', '>', q.after);
  if (from) {
    works = works.where('w.updated_at', '>=', from);
    gone = gone.where('d.deleted_at', '>=', from);
  }
  if (until) {
    works = works.where('w.updated_at', '<=', until);
    gone = gone.where('d.deleted_at', '<=', until);
  }
  if (orgId !== undefined) {
    works = works.where(({ exists, selectFrom }) =>
      exists(selectFrom('fund.copies as c').select('c.id').whereRef('c.work_id', '=', 'w.id').where('c.organisation_id', '=', orgId)),
    );
    gone = gone.where('d.organisation_id', '=', orgId);
  }
  const [live, dead] = await Promise.all([works.orderBy('w.id').limit(limit).execute(), gone.orderBy('d.work_id').limit(limit).execute()]);
  const items: Item[] = [
    ...live.map((r) => ({ workId: r.id, datestamp: new Date(r.updated_at), deleted: false, sets: [] as string[] })),
    ...dead.map((r) => ({ workId: r.work_id, datestamp: new Date(r.deleted_at), deleted: true, sets: [] as string[] })),
  ]
    .sort((a, b) => a.workId - b.workId)
    .slice(0, limit);
  const liveIds = items.filter((i) => !i.deleted).map((i) => i.workId);
  if (liveIds.length) {
    const sets = await db.selectFrom('fund.copies').select(['work_id', 'organisation_id']).distinct().where('work_id', 'in', liveIds).execute();
    for (const s of sets) items.find((i) => i.workId === s.work_id)!.sets.push(`org:${s.organisation_id}`);
  }
  return items;
}

async function list(db: Executor, verb: 'ListIdentifiers' | 'ListRecords', args: Args, options: OaiOptions): Promise<string> {
  const pageSize = options.pageSize ?? 100;
  const q: ListQuery = args.resumptionToken
    ? decodeToken(args.resumptionToken)
    : { prefix: args.metadataPrefix!, from: args.from, until: args.until, set: args.set, after: 0 };
  checkPrefix(q.prefix);
  if (q.from) parseDatestamp(q.from, false);
  if (q.until) parseDatestamp(q.until, true);
  if (q.from && q.until && q.from.length !== q.until.length) throw new OaiError('badArgument', 'from and until differ in granularity');
  if (q.set && !/^org:\d+$/.test(q.set)) throw new OaiError('badArgument', `Unknown set ${q.set}`);
  const items = await itemsAfter(db, q, pageSize + 1);
  if (!items.length) {
    if (args.resumptionToken) throw new OaiError('badResumptionToken', 'The resumption token is not valid');
    throw new OaiError('noRecordsMatch', 'No records match');
  }
  const page = items.slice(0, pageSize);
  const more = items.length > pageSize;
  const token = more ? encodeToken({ ...q, after: page[page.length - 1]!.workId }) : '';
  const rendered = await renderItems(db, page, q.prefix, verb === 'ListRecords', options);
  const resumption = more || args.resumptionToken ? `<resumptionToken>${token}</resumptionToken>` : '';
  return `<${verb}>${rendered}${resumption}</${verb}>`;
}

async function renderItems(db: Executor, items: Item[], prefix: string, withMetadata: boolean, options: OaiOptions): Promise<string> {
  const works = withMetadata ? await loadExportWorks(db, items.filter((i) => !i.deleted).map((i) => i.workId)) : [];
  const byId = new Map(works.map((w) => [w.id, w]));
  return items
    .map((item) => {
      const header = `<header${item.deleted ? ' status="deleted"' : ''}><identifier>${identifierOf(item.workId, options)}</identifier><datestamp>${isoSecond(item.datestamp)}</datestamp>${item.sets
        .map((s) => `<setSpec>${s}</setSpec>`)
        .join('')}</header>`;
      if (!withMetadata) return header;
      const work = byId.get(item.workId);
      if (item.deleted || !work) return `<record>${header}</record>`;
      const metadata = prefix === 'marc21' ? writeMarcXmlRecord(workToMarc21(work)) : dublinCore(work);
      return `<record>${header}<metadata>${metadata}</metadata></record>`;
    })
    .join('\n');
}

export function dublinCore(work: ExportWork): string {
  const el = (name: string, value: string | number | null | undefined) => (value === null || value === undefined || value === '' ? '' : `<dc:${name}>${escapeXml(String(value))}</dc:${name}>`);
  return [
    '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd">',
    el('title', work.subtitle ? `${work.title} : ${work.subtitle}` : work.title),
    ...work.authors.map((a) => el(a.role === 'author' ? 'creator' : 'contributor', a.name)),
    ...work.subjects.map((s) => el('subject', s)),
    el('subject', work.udc ? `UDC ${work.udc}` : null),
    el('subject', work.bbk ? `BBK ${work.bbk}` : null),
    el('description', work.annotation),
    el('publisher', work.publisher),
    el('date', work.publishYear),
    el('type', 'Text'),
    el('identifier', work.isbn ? `urn:isbn:${work.isbn}` : null),
    el('language', work.language),
    '</oai_dc:dc>',
  ].join('');
}
