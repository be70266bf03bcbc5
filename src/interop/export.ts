import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { foldQuery } from '../catalog/folding.js';
import { authorsOf } from '../catalog/works.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { invalid } from '../shared/errors.js';
import { ENCODINGS, type Encoding } from './marc/encoding.js';
import { readIso2709, RecordTooLongError, writeIso2709 } from './marc/iso2709.js';
import { readMarcXml, writeMarcXmlCollection } from './marc/marcxml.js';
import { controlValue, type DataField, type Field, type MarcRecord } from './marc/record.js';
import { mapRecord } from './mapping.js';
import { libraryOf } from '../auth/guard.js';

export const EXPORT_LIMIT = 100_000;
/** 003 of the records this catalogue makes: configurable, so two deployments' exports are told apart. */
export const marcOrgCode = () => process.env.KITAPHANA_MARC_ORG_CODE || 'KITAPHANA';

const RELATOR: Record<string, string> = { author: 'aut', editor: 'edt', translator: 'trl', illustrator: 'ill', compiler: 'com' };

export interface ExportCopy {
  inventoryNumber: string;
  barcode: string;
  priceTiyn: number;
  location: string | null;
  acquiredOn: string;
  status: string;
}

export interface ExportWork {
  id: number;
  title: string;
  subtitle: string | null;
  isbn: string | null;
  publisher: string | null;
  publishPlace: string | null;
  publishYear: number | null;
  language: string | null;
  pages: number | null;
  udc: string | null;
  bbk: string | null;
  annotation: string | null;
  updatedAt: Date;
  createdAt: Date;
  authors: { name: string; role: string }[];
  subjects: string[];
  notes: string[];
  holdings?: { library: string; copies: ExportCopy[] };
  /** The MARC 21 record the work was imported from (the latest), decoded: exported as it came. */
  source?: MarcRecord;
}

const df = (tag: string, ind1: string, ind2: string, ...pairs: [string, string | null | undefined][]): DataField | null => {
  const subfields = pairs.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([code, value]) => ({ code, value: value! }));
  return subfields.length ? { tag, ind1, ind2, subfields } : null;
};

const stamp = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + '.0';

/** A catalogue work as a MARC 21 bibliographic record, with the library's copies in 852 and 876. */
export function workToMarc21(work: ExportWork): MarcRecord {
  const made = catalogueRecord(work);
  return work.source ? mergeIntoSource(work.source, made, work) : made;
}

/** The tags that carry each part of a work the catalogue keeps, in a MARC 21 record. */
const OWNED: { tags: string[]; value: (w: MappedLike) => unknown }[] = [
  { tags: ['245'], value: (w) => [w.title, w.subtitle] },
  { tags: ['020'], value: (w) => w.isbn },
  { tags: ['260', '264'], value: (w) => [w.publishPlace, w.publisher, w.publishYear] },
  { tags: ['300'], value: (w) => w.pages },
  { tags: ['041'], value: (w) => w.language },
  { tags: ['080'], value: (w) => w.udc },
  { tags: ['084'], value: (w) => w.bbk },
  { tags: ['520'], value: (w) => w.annotation },
  { tags: ['100', '110', '111', '700', '710', '711'], value: (w) => w.authors.map((a) => `${a.name}|${a.role}`) },
];

type MappedLike = Pick<ExportWork, 'title' | 'subtitle' | 'isbn' | 'publishPlace' | 'publisher' | 'publishYear' | 'pages' | 'language' | 'udc' | 'bbk' | 'annotation' | 'authors'>;

/**
 * The source record as it came — every field, indicator and subfield, 880 and its 066, local 9XX
 * fields, the material type of leader/06 — with our control fields, and with the catalogue's own
 * version of each part a librarian changed after the import in place of the source's fields.
 */
function mergeIntoSource(source: MarcRecord, made: MarcRecord, work: ExportWork): MarcRecord {
  const read = mapRecord(source, 'marc21').work;
  const replaced = new Set<string>();
  if (read) {
    for (const part of OWNED) {
      if (JSON.stringify(part.value(read)) !== JSON.stringify(part.value(work))) part.tags.forEach((t) => replaced.add(t));
    }
  }
  const sourceId = controlValue(source, '001');
  const sourceOrg = controlValue(source, '003');
  const ours = made.fields.filter((f) => ['001', '003', '005'].includes(f.tag));
  const kept = source.fields.filter((f) => !['001', '003', '005'].includes(f.tag) && !replaced.has(f.tag));
  // the source's own number stays findable, as MARC 21 keeps a system control number
  const was: Field[] = sourceId ? [{ tag: '035', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: sourceOrg ? `(${sourceOrg})${sourceId}` : sourceId }] }] : [];
  const changed = made.fields.filter((f) => replaced.has(f.tag) && !(f.tag === '041' && !work.language));
  const holdings = work.holdings?.copies.length ? made.fields.filter((f) => f.tag === '852' || f.tag === '876') : [];
  const fields = [...ours, ...was.filter(() => !kept.some((f) => f.tag === '035' && JSON.stringify(f) === JSON.stringify(was[0]))), ...kept, ...changed, ...holdings];
  fields.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  // a stable sort keeps repeated fields (and an 880 after its pair) in the order they came
  const leader = source.leader.padEnd(24, ' ');
  return { leader: `${leader.slice(0, 9)}a${leader.slice(10)}`, fields };
}

function catalogueRecord(work: ExportWork): MarcRecord {
  const language = (work.language ?? '').padEnd(3, ' ').slice(0, 3);
  const year = work.publishYear ? String(work.publishYear) : '    ';
  const f008 = `${work.createdAt.toISOString().slice(2, 10).replace(/-/g, '')}${work.publishYear ? 's' : 'n'}${year}    xx            000 0 ${language} d`;
  const [first, ...rest] = work.authors;
  const main = first && first.role === 'author' ? first : undefined;
  const added = main ? rest : work.authors;
  const fields: (Field | null)[] = [
    { tag: '001', value: String(work.id) },
    { tag: '003', value: marcOrgCode() },
    { tag: '005', value: stamp(work.updatedAt) },
    { tag: '008', value: f008 },
    df('020', ' ', ' ', ['a', work.isbn]),
    df('041', '0', ' ', ['a', work.language]),
    df('080', ' ', ' ', ['a', work.udc]),
    df('084', ' ', ' ', ['a', work.bbk], ['2', work.bbk ? 'rubbk' : null]),
    main ? df('100', '1', ' ', ['a', main.name], ['4', 'aut']) : null,
    df('245', main ? '1' : '0', '0', ['a', work.title], ['b', work.subtitle]),
    df('264', ' ', '1', ['a', work.publishPlace], ['b', work.publisher], ['c', work.publishYear ? String(work.publishYear) : null]),
    df('300', ' ', ' ', ['a', work.pages ? `${work.pages} p.` : null]),
    ...work.notes.map((n) => df('500', ' ', ' ', ['a', n])),
    df('520', ' ', ' ', ['a', work.annotation]),
    ...work.subjects.map((s) => {
      const [head, ...subdivisions] = s.split(' -- ');
      return df('650', ' ', '4', ['a', head], ...subdivisions.map((x): [string, string] => ['x', x]));
    }),
    ...added.map((a) => df('700', '1', ' ', ['a', a.name], ['4', RELATOR[a.role] ?? 'aut'])),
  ];
  if (work.holdings?.copies.length) {
    fields.push(df('852', ' ', ' ', ['a', work.holdings.library]));
    for (const c of work.holdings.copies) {
      fields.push(
        df('876', ' ', ' ', ['a', c.inventoryNumber], ['p', c.barcode], ['c', (c.priceTiyn / 100).toFixed(2)], ['d', c.acquiredOn], ['l', c.location], ['j', c.status]),
      );
    }
  }
  return { leader: '00000nam a2200000 i 4500', fields: fields.filter((f): f is Field => f !== null) };
}

/** Works with their authors and the subjects and notes their original records carried, in id order. */
export async function loadExportWorks(db: Executor, workIds: number[], holdingsOf?: { organisationId: number; library: string }): Promise<ExportWork[]> {
  if (!workIds.length) return [];
  const rows = await db.selectFrom('catalog.works').selectAll().where('id', 'in', workIds).orderBy('id').execute();
  const authors = await authorsOf(db, workIds);
  const sources = await db
    .selectFrom('interop.source_records')
    .select(['work_id', 'subjects', 'notes', 'format', 'encoding', 'raw', 'xml'])
    .where('work_id', 'in', workIds)
    .where('action', 'in', ['created', 'merged'])
    .orderBy('id')
    .execute();
  const extras = new Map<number, { subjects: string[]; notes: string[] }>();
  // the latest MARC 21 record each work came from (a UNIMARC record is not MARC 21's to pass on)
  const latest = new Map<number, MarcRecord>();
  for (const s of sources) {
    if (s.format !== 'marc21') continue;
    const record = sourceRecordOf(s);
    if (record) latest.set(s.work_id!, record);
  }
  for (const s of sources) {
    const e = extras.get(s.work_id!) ?? { subjects: [], notes: [] };
    e.subjects.push(...(s.subjects ?? []).filter((x) => !e.subjects.includes(x)));
    e.notes.push(...(s.notes ?? []).filter((x) => !e.notes.includes(x)));
    extras.set(s.work_id!, e);
  }
  const copies = new Map<number, ExportCopy[]>();
  if (holdingsOf) {
    const list = await db
      .selectFrom('fund.copies')
      .select(['work_id', 'inventory_number', 'barcode', 'price_tiyn', 'location', 'acquired_on', 'status'])
      .where('organisation_id', '=', holdingsOf.organisationId)
      .where('work_id', 'in', workIds)
      .where('status', '!=', 'written_off')
      .orderBy('id')
      .execute();
    for (const c of list) {
      const entry = copies.get(c.work_id) ?? [];
      entry.push({ inventoryNumber: c.inventory_number, barcode: c.barcode, priceTiyn: c.price_tiyn, location: c.location, acquiredOn: c.acquired_on, status: c.status });
      copies.set(c.work_id, entry);
    }
  }
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    subtitle: r.subtitle,
    isbn: r.isbn,
    publisher: r.publisher,
    publishPlace: r.publish_place,
    publishYear: r.publish_year,
    language: r.language,
    pages: r.pages,
    udc: r.udc,
    bbk: r.bbk,
    annotation: r.annotation,
    updatedAt: new Date(r.updated_at),
    createdAt: new Date(r.created_at),
    authors: (authors.get(r.id) ?? []).map((a) => ({ name: a.name, role: a.role })),
    subjects: extras.get(r.id)?.subjects ?? [],
    notes: extras.get(r.id)?.notes ?? [],
    holdings: holdingsOf ? { library: holdingsOf.library, copies: copies.get(r.id) ?? [] } : undefined,
    source: latest.get(r.id),
  }));
}

/** A stored source record read back: ISO 2709 bytes in the encoding the import read them in, or MARCXML. */
function sourceRecordOf(s: { raw: Uint8Array | null; xml: string | null; encoding: string | null }): MarcRecord | undefined {
  if (s.raw) {
    // stored as the file held it, without the record terminator
    const raw = { number: 1, offset: 0, bytes: s.raw, terminated: true };
    const read = readIso2709(raw, (ENCODINGS as readonly string[]).includes(s.encoding ?? '') ? (s.encoding as Encoding) : undefined);
    return read.ok ? read.record : undefined;
  }
  if (s.xml) return readMarcXml(s.xml)[0]?.record ?? undefined;
  return undefined;
}

export interface ExportRequest {
  workIds?: number[];
  /** A catalogue search (any script): every word must occur in the title, authors or ISBN. */
  query?: string;
  format: 'iso2709' | 'marcxml';
  holdings: boolean;
}

export async function selectWorkIds(db: Executor, request: Pick<ExportRequest, 'workIds' | 'query'>): Promise<number[]> {
  let q = db.selectFrom('catalog.works').select('id').orderBy('id').limit(EXPORT_LIMIT);
  if (request.workIds) q = q.where('id', 'in', request.workIds.length ? request.workIds : [-1]);
  if (request.query !== undefined) {
    for (const word of foldQuery(request.query)) q = q.where(sql<boolean>`search_key like ${'%' + word + '%'}`);
  }
  return (await q.execute()).map((r) => r.id);
}

/** A selection of the catalogue as a MARC 21 file (UTF-8), with the own library's copies when asked. */
export async function exportWorks(
  db: Executor,
  actor: Actor,
  request: ExportRequest,
): Promise<{ content: Buffer; count: number; skipped: { workId: number; bytes: number }[] }> {
  const organisationId = libraryOf(actor);
  if (!request.workIds && request.query === undefined) throw invalid('interop.export_selection_required');
  const ids = await selectWorkIds(db, request);
  const library = await db.selectFrom('org.organisations').select('name').where('id', '=', organisationId).executeTakeFirstOrThrow();
  const records: MarcRecord[] = [];
  const encoded: Buffer[] = [];
  const skipped: { workId: number; bytes: number }[] = [];
  for (let i = 0; i < ids.length; i += 1000) {
    const works = await loadExportWorks(db, ids.slice(i, i + 1000), request.holdings ? { organisationId, library: library.name } : undefined);
    for (const work of works) {
      const record = workToMarc21(work);
      if (request.format === 'marcxml') {
        records.push(record);
        continue;
      }
      // a record ISO 2709 cannot hold is reported and left out; the rest of the selection is exported
      try {
        encoded.push(writeIso2709(record));
      } catch (err) {
        if (!(err instanceof RecordTooLongError)) throw err;
        skipped.push({ workId: work.id, bytes: err.bytes });
      }
    }
  }
  const count = request.format === 'marcxml' ? records.length : encoded.length;
  await audit(db, actor, 'export', 'work', null, { count, format: request.format, holdings: request.holdings, skipped: skipped.map((s) => s.workId) });
  const content = request.format === 'iso2709' ? Buffer.concat(encoded) : Buffer.from(writeMarcXmlCollection(records), 'utf8');
  return { content, count, skipped };
}
