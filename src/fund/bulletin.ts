import { sql } from 'kysely';
import { authorsOf } from '../catalog/works.js';
import { t } from '../i18n/index.js';
import type { Executor } from '../db/executor.js';
import type { Locale } from '../org/schema.js';
import { invalid, notFound } from '../shared/errors.js';
import { libraryToday } from '../shared/library-time.js';
import { newPdf, pdfToBuffer } from '../shared/pdf.js';
import { KNOWLEDGE_GROUPS, type KnowledgeGroup } from './accounting/schema.js';
import { printDate } from '../shared/print-date.js';

/**
 * The new acquisitions bulletin (жаңа түсімдер бюллетені) of one library for any period: the titles its receipt
 * documents brought, grouped by the knowledge domain each receipt line was booked under, each with its
 * bibliographic description and the number of copies. Public, like the catalogue: no prices, suppliers or
 * inventory numbers. Textbooks (booked by count in the textbook fund) are not in it.
 */
export interface BulletinEntry {
  workId: number;
  description: string;
  title: string;
  authors: string;
  publishYear: number | null;
  bbk: string | null;
  authorSign: string | null;
  ageCategory: string | null;
  copies: number;
  receivedOn: string;
}

export interface Bulletin {
  organisationId: number;
  library: string;
  from: string;
  to: string;
  titles: number;
  copies: number;
  groups: { group: KnowledgeGroup; titles: number; copies: number; entries: BulletinEntry[] }[];
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

/** «Есенберлин І. Көшпенділер : роман / І. Есенберлин. — Алматы : Жазушы, 2019. — 672 б.» in the ГОСТ 7.1 manner. */
function describe(w: { title: string; subtitle: string | null; responsibility: string | null; edition: string | null; publish_place: string | null; publisher: string | null; publish_year: number | null; pages: number | null }, authors: string[]): string {
  const head = authors[0] ? `${authors[0]}. ` : '';
  let text = `${head}${w.title}${w.subtitle ? ` : ${w.subtitle}` : ''}${w.responsibility ? ` / ${w.responsibility}` : ''}`;
  if (w.edition) text += `. — ${w.edition}`;
  const imprint = [w.publish_place, w.publisher].filter(Boolean).join(' : ');
  if (imprint || w.publish_year) text += `. — ${imprint}${imprint && w.publish_year ? ', ' : ''}${w.publish_year ?? ''}`;
  if (w.pages) text += `. — ${w.pages} б.`;
  return text;
}

export async function buildBulletin(db: Executor, input: { organisationId: number; from?: string; to?: string }): Promise<Bulletin> {
  const org = await db.selectFrom('org.organisations').select(['id', 'name', 'kind']).where('id', '=', input.organisationId).executeTakeFirst();
  if (!org || org.kind === 'republic' || org.kind === 'region' || org.kind === 'district') throw notFound('organisation', input.organisationId);
  const today = await libraryToday(db, org.id);
  const to = input.to ?? today;
  const from = input.from ?? `${to.slice(0, 7)}-01`;
  if (!ISO.test(from) || !ISO.test(to) || Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to)) || from > to) {
    throw invalid('fund.bulletin_bad_period', { from, to });
  }
  const { rows } = await sql<{
    work_id: number; knowledge_group: KnowledgeGroup; copies: number; received_on: string; title: string; subtitle: string | null; responsibility: string | null;
    edition: string | null; publish_place: string | null; publisher: string | null; publish_year: number | null; pages: number | null; bbk: string | null;
    author_sign: string | null; age_rating: string | null; sort_key: string;
  }>`
    SELECT l.work_id, l.knowledge_group, sum(l.copies_count)::int AS copies, min(r.received_on)::text AS received_on,
           w.title, w.subtitle, w.responsibility, w.edition, w.publish_place, w.publisher, w.publish_year, w.pages, w.bbk, w.author_sign, w.age_rating, w.sort_key
      FROM fund.receipt_lines l JOIN fund.receipts r ON r.id = l.receipt_id JOIN catalog.works w ON w.id = l.work_id
     WHERE r.organisation_id = ${org.id} AND r.received_on BETWEEN ${from} AND ${to} AND l.fund <> 'textbook' AND l.knowledge_group <> 'textbooks'
     GROUP BY l.work_id, l.knowledge_group, w.id
     ORDER BY w.sort_key`.execute(db);
  const authors = await authorsOf(db, [...new Set(rows.map((r) => r.work_id))]);
  const groups = KNOWLEDGE_GROUPS.map((group) => {
    const entries = rows.filter((r) => r.knowledge_group === group).map((r) => {
      const names = (authors.get(r.work_id) ?? []).filter((a) => a.role === 'author').map((a) => a.name);
      return {
        workId: r.work_id,
        description: describe(r, names),
        title: r.title,
        authors: names.join(', '),
        publishYear: r.publish_year,
        bbk: r.bbk,
        authorSign: r.author_sign,
        ageCategory: r.age_rating,
        copies: Number(r.copies),
        receivedOn: r.received_on,
      };
    });
    return { group, titles: entries.length, copies: entries.reduce((s, e) => s + e.copies, 0), entries };
  }).filter((g) => g.titles > 0);
  return {
    organisationId: org.id,
    library: org.name,
    from,
    to,
    titles: groups.reduce((s, g) => s + g.titles, 0),
    copies: groups.reduce((s, g) => s + g.copies, 0),
    groups,
  };
}


export async function bulletinPdf(bulletin: Bulletin, locale: Locale): Promise<Buffer> {
  const doc = newPdf();
  doc.font('regular').fontSize(10).text(bulletin.library, { align: 'center' });
  doc.moveDown(0.5);
  doc.font('bold').fontSize(16).text(t(locale, 'fund.bulletin.title'), { align: 'center' });
  doc.font('regular').fontSize(11).text(t(locale, 'fund.bulletin.period', { from: printDate(bulletin.from), to: printDate(bulletin.to) }), { align: 'center' });
  doc.fontSize(10).text(t(locale, 'fund.bulletin.totals', { titles: bulletin.titles, copies: bulletin.copies }), { align: 'center' });
  doc.moveDown();
  if (!bulletin.groups.length) doc.fontSize(11).text(t(locale, 'fund.bulletin.empty'));
  let n = 0;
  for (const g of bulletin.groups) {
    doc.moveDown(0.5);
    doc.font('bold').fontSize(12).text(t(locale, `fund.bulletin.group.${g.group}`));
    doc.moveDown(0.3);
    for (const e of g.entries) {
      n += 1;
      const shelf = [e.bbk, e.authorSign].filter(Boolean).join(' ');
      doc.font('regular').fontSize(10).text(`${n}. ${e.description}${e.ageCategory ? ` (${e.ageCategory})` : ''}`, { indent: 0 });
      if (shelf) doc.font('condensed').fontSize(8).fillColor('#555').text(shelf, { indent: 14 }).fillColor('black');
      doc.moveDown(0.2);
    }
  }
  return pdfToBuffer(doc);
}
