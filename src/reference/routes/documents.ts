import { z } from 'zod';
import { allow } from '../../auth/guard.js';
import { publicLibrary } from '../../events/public.js';
import type { Routes } from '../../http/types.js';
import { AppError } from '../../shared/errors.js';
import { referenceFigures } from '../counts.js';
import { DOCUMENT_LIMIT, documentsOf, listDocuments, openDocument, storeDocument } from '../documents.js';
import { DOCUMENT_ACCESS } from '../schema.js';
import { referenceStaff } from '../service.js';
import { date, id, tags } from './shared.js';

const documentSchema = z.object({ id: z.number(), kind: z.string(), title: z.string(), authors: z.string().nullable(), pages: z.number(), access: z.enum(DOCUMENT_ACCESS), licenceNote: z.string().nullable(), fileSize: z.number(), views: z.number(), downloads: z.number() });

/** Digitised documents (for the library's readers, and public-domain ones for everyone), and the figures of the reference service. */
export const documentRoutes: Routes = (app) => {
  app.get('/api/reference/documents', { schema: { tags, summary: 'Digitised documents of the library with their use', response: { 200: z.object({ items: z.array(documentSchema) }) } } }, async (req) => ({
    items: await listDocuments(app.db, allow(req.actor, 'staff')),
  }));

  app.post(
    '/api/reference/documents',
    {
      schema: {
        tags,
        summary: `Upload a digitised document: multipart with the fields first (title, kind, access, authors, pages, licenceNote, workId) and then one PDF \`file\` of up to ${DOCUMENT_LIMIT / 1024 / 1024} MB, streamed`,
        consumes: ['multipart/form-data'],
        response: { 201: z.object({ id: z.number(), pages: z.number(), bytes: z.number() }) },
      },
    },
    async (req, reply) => {
      const { who: actor } = referenceStaff(req.actor);
      if (!req.isMultipart()) throw new AppError('reference.no_file', 400);
      const part = await req.file({ limits: { fileSize: DOCUMENT_LIMIT } });
      if (!part) throw new AppError('reference.no_file', 400);
      const field = (name: string) => {
        const f = part.fields[name] as { value?: unknown } | undefined;
        return f && typeof f.value === 'string' && f.value.trim() ? f.value.trim() : null;
      };
      const kindValue = field('kind') ?? 'book';
      const access = field('access') ?? 'readers';
      if (!['book', 'article', 'other'].includes(kindValue) || !(DOCUMENT_ACCESS as readonly string[]).includes(access)) {
        part.file.resume();
        throw new AppError('reference.bad_fields', 400);
      }
      const num = (v: string | null) => (v && /^\d{1,9}$/.test(v) ? Number(v) : null);
      try {
        const r = await storeDocument(
          app.db,
          actor,
          { kind: kindValue as 'book', title: field('title') ?? '', authors: field('authors'), pages: num(field('pages')), access: access as 'readers', licenceNote: field('licenceNote'), workId: num(field('workId')) },
          { stream: part.file, filename: part.filename ?? '', truncated: () => part.file.truncated },
        );
        reply.status(201);
        return r;
      } finally {
        part.file.resume();
      }
    },
  );

  app.get(
    '/api/reference/documents/:id/file',
    { schema: { tags, summary: 'View (or, with download=true, download) a digitised document; each use is counted', params: z.object({ id }), querystring: z.object({ download: z.enum(['true', 'false']).optional() }), produces: ['application/pdf'], response: { 200: z.any() } } },
    async (req, reply) => {
      const actor = allow(req.actor, 'libraryMembers');
      const download = req.query.download === 'true';
      const f = await openDocument(app.db, actor, req.params.id, download ? 'download' : 'view');
      return reply
        .type('application/pdf')
        .header('content-length', f.size)
        .header('content-disposition', `${download ? 'attachment' : 'inline'}; filename="${encodeURIComponent(f.name)}"`)
        .send(f.stream);
    },
  );

  app.get('/api/public/:library/documents', { schema: { tags, summary: 'Public-domain documents digitised by a library', params: z.object({ library: z.string().max(40) }), response: { 200: z.object({ items: z.array(documentSchema.omit({ views: true, downloads: true, licenceNote: true })) }) } } }, async (req) => {
    const org = await publicLibrary(app.db, req.params.library);
    const items = await documentsOf(app.db, Number(org.id), true);
    return { items: items.map(({ views: _v, downloads: _d, licenceNote: _l, ...rest }) => rest) };
  });

  app.get('/api/public/:library/documents/:id', { schema: { tags, summary: 'A public-domain document of a library (PDF); each view is counted', params: z.object({ library: z.string().max(40), id }), produces: ['application/pdf'], response: { 200: z.any() } } }, async (req, reply) => {
    const org = await publicLibrary(app.db, req.params.library);
    const f = await openDocument(app.db, null, req.params.id, 'view', Number(org.id));
    return reply.type('application/pdf').header('content-length', f.size).header('content-disposition', `inline; filename="${encodeURIComponent(f.name)}"`).send(f.stream);
  });

  // ---- figures ----
  app.get(
    '/api/reference/counts',
    { schema: { tags, summary: 'References by kind, periodicals and digitisation of this library over a period (a school year by default)', querystring: z.object({ from: date.optional(), to: date.optional() }), response: { 200: z.any() } } },
    async (req) => referenceFigures(app.db, req.actor, req.query),
  );
};
