import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Actor } from '../auth/actor.js';
import { belongsTo } from '../auth/guard.js';
import type { Executor } from '../db/executor.js';
import { auditedChange } from '../db/transaction.js';
import { forbidden, invalid, notFound } from '../shared/errors.js';
import { libraryToday } from '../shared/library-time.js';
import { referenceStaff } from './service.js';
import type { DocumentAccess } from './schema.js';

/** The largest file a library may keep for one document. */
export const DOCUMENT_LIMIT = 200 * 1024 * 1024;
const CHUNK = 1024 * 1024;

export interface DocumentInput {
  kind: 'book' | 'article' | 'other';
  title: string;
  authors?: string | null;
  workId?: number | null;
  articleId?: number | null;
  pages?: number | null;
  access: DocumentAccess;
  licenceNote?: string | null;
}

const trimmed = (s: string | null | undefined) => (s && s.trim() ? s.trim() : null);
const PAGE = /\/Type\s*\/Page(?![s\w])/g;

/** Pages of a PDF, counted from its page objects as the bytes go by (used when the librarian gives none). */
class PageCounter {
  private tail = '';
  pages = 0;
  push(chunk: Buffer) {
    const text = this.tail + chunk.toString('latin1');
    this.pages += (text.match(PAGE) ?? []).length;
    // a short overlap with the next piece, minus any match already counted in it
    this.tail = text.slice(Math.max(0, text.length - 16)).replace(PAGE, '');
  }
}

/**
 * Takes a digitised document in as a stream: checked to be a PDF by its first bytes, refused
 * past the size limit, stored in pieces of 1 MB. A refused file leaves nothing behind.
 */
export async function storeDocument(
  db: Executor,
  actor: Actor,
  input: DocumentInput,
  file: { stream: AsyncIterable<Buffer>; filename: string; truncated: () => boolean },
  limit = DOCUMENT_LIMIT,
): Promise<{ id: number; pages: number; bytes: number }> {
  const { who, org } = referenceStaff(actor);
  const title = input.title.trim();
  if (!title) throw invalid('reference.title_missing');
  if (input.access === 'licence' && !trimmed(input.licenceNote)) throw invalid('reference.licence_missing');
  if (input.workId != null && !(await db.selectFrom('catalog.works').select('id').where('id', '=', input.workId).executeTakeFirst())) throw notFound('work', input.workId);
  if (input.articleId != null && !(await db.selectFrom('reference.articles').select('id').where('id', '=', input.articleId).where('organisation_id', '=', org).executeTakeFirst())) {
    throw notFound('article', input.articleId);
  }
  return auditedChange(
    db,
    who,
    (r: { id: number; pages: number; bytes: number }) => ({ action: 'create', entity: 'document', entityId: r.id, details: { title, bytes: r.bytes, access: input.access } }),
    async (trx) => {
      const doc = await trx
        .insertInto('reference.documents')
        .values({
          organisation_id: org,
          kind: input.kind,
          title,
          authors: trimmed(input.authors),
          work_id: input.workId ?? null,
          article_id: input.articleId ?? null,
          access: input.access,
          licence_note: trimmed(input.licenceNote),
          file_name: file.filename.slice(0, 250) || null,
          created_by: who.userId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const id = Number(doc.id);
      const hash = createHash('sha256');
      const counter = new PageCounter();
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let total = 0;
      let n = 0;
      let checked = false;
      const flush = async () => {
        if (pendingBytes === 0) return;
        const bytes = Buffer.concat(pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
        await trx.insertInto('reference.document_chunks').values({ document_id: id, n: n++, bytes }).execute();
      };
      for await (const part of file.stream) {
        total += part.length;
        if (total > limit) throw invalid('reference.file_too_large', { max: Math.round(limit / 1024 / 1024) });
        pending.push(part);
        pendingBytes += part.length;
        if (!checked && pendingBytes >= 5) {
          if (!Buffer.concat(pending).subarray(0, 5).equals(Buffer.from('%PDF-'))) throw invalid('reference.not_pdf');
          checked = true;
        }
        hash.update(part);
        counter.push(part);
        if (pendingBytes >= CHUNK) await flush();
      }
      if (file.truncated()) throw invalid('reference.file_too_large', { max: 200 });
      if (!checked) throw invalid('reference.not_pdf');
      await flush();
      const pages = input.pages ?? counter.pages;
      await trx.updateTable('reference.documents').set({ file_size: total, file_sha256: hash.digest('hex'), pages }).where('id', '=', id).execute();
      return { id, pages, bytes: total };
    },
  );
}

export async function listDocuments(db: Executor, actor: Actor) {
  const { org } = referenceStaff(actor);
  return documentsOf(db, org, false);
}

export async function documentsOf(db: Executor, org: number, publicOnly: boolean) {
  let q = db
    .selectFrom('reference.documents as d')
    .selectAll('d')
    .select((eb) => [
      eb.selectFrom('reference.document_uses as u').select(eb.fn.countAll<number>().as('n')).whereRef('u.document_id', '=', 'd.id').where('u.action', '=', 'view').as('views'),
      eb.selectFrom('reference.document_uses as u').select(eb.fn.countAll<number>().as('n')).whereRef('u.document_id', '=', 'd.id').where('u.action', '=', 'download').as('downloads'),
    ])
    .where('d.organisation_id', '=', org)
    .where('d.file_size', 'is not', null);
  if (publicOnly) q = q.where('d.access', '=', 'public');
  const rows = await q.orderBy('d.id', 'desc').limit(1000).execute();
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    title: r.title,
    authors: r.authors,
    pages: r.pages,
    access: r.access,
    licenceNote: r.licence_note,
    fileSize: Number(r.file_size ?? 0),
    views: Number(r.views ?? 0),
    downloads: Number(r.downloads ?? 0),
  }));
}

/** The reader group a use is counted under. */
async function readerGroupOf(db: Executor, actor: Actor | null): Promise<string> {
  if (!actor) return 'public';
  if (actor.role === 'teacher') return 'teachers';
  if (actor.role === 'parent') return 'parents';
  if (actor.role === 'student') {
    const r = actor.readerId ? await db.selectFrom('readers.readers').select('grade').where('id', '=', actor.readerId).executeTakeFirst() : undefined;
    const g = r?.grade ?? null;
    return g === null ? 'others' : g <= 4 ? '1-4' : g <= 9 ? '5-9' : '10-11';
  }
  return 'staff';
}

/**
 * Opens a document's file for viewing or downloading and counts the use. A visitor (no actor)
 * reaches only public documents of the library named; signed-in users only their own library's.
 */
export async function openDocument(db: Executor, actor: Actor | null, id: number, action: 'view' | 'download', publicLibraryId?: number) {
  if (actor && !belongsTo(actor, 'libraryMembers')) throw forbidden();
  const org = actor ? actor.organisationId : publicLibraryId!;
  const doc = await db.selectFrom('reference.documents').selectAll().where('id', '=', id).where('organisation_id', '=', org).where('file_size', 'is not', null).executeTakeFirst();
  if (!doc || (!actor && doc.access !== 'public')) throw notFound('document', id);
  const group = await readerGroupOf(db, actor);
  const today = await libraryToday(db, org);
  await db.insertInto('reference.document_uses').values({ organisation_id: org, document_id: id, used_on: today, action, reader_group: group }).execute();
  const count = await db.selectFrom('reference.document_chunks').select((eb) => eb.fn.countAll<number>().as('n')).where('document_id', '=', id).executeTakeFirstOrThrow();
  const chunks = Number(count.n);
  async function* read() {
    for (let n = 0; n < chunks; n++) {
      const c = await db.selectFrom('reference.document_chunks').select('bytes').where('document_id', '=', id).where('n', '=', n).executeTakeFirstOrThrow();
      yield Buffer.from(c.bytes);
    }
  }
  return { stream: Readable.from(read()), size: Number(doc.file_size), name: doc.file_name ?? `document-${id}.pdf` };
}
