import { z } from 'zod';
import { allow, belongsTo } from '../../auth/guard.js';
import { inTransaction } from '../../db/transaction.js';
import { copySchema } from '../../fund/copies-schemas.js';
import { listCopies } from '../../fund/copies.js';
import type { Routes } from '../../http/types.js';
import { AppError, invalid } from '../../shared/errors.js';
import { MAX_COVER_BYTES, readCover, removeCover, saveCover } from '../covers.js';
import { catalogueWork, editWork, getWork } from '../works.js';
import { idParams, tags, workFields, workSchema } from './shared.js';

/** Records of the shared catalogue and their covers. */
export const workRoutes: Routes = (app) => {
  app.get(
    '/api/catalog/works/:id',
    {
      schema: {
        tags,
        summary: 'One bibliographic record; a librarian also gets the copies of the own library',
        params: idParams,
        response: { 200: workSchema.extend({ copies: z.array(copySchema).optional() }) },
      },
    },
    async (req) => {
      const work = await getWork(app.db, req.params.id);
      const actor = req.actor;
      if (!actor || !belongsTo(actor, 'staff')) return work;
      const copies = await listCopies(app.db, actor, { workId: work.id, limit: 1000, offset: 0 });
      return { ...work, copies: copies.items };
    },
  );

  app.post(
    '/api/catalog/works',
    {
      schema: {
        tags,
        summary: 'Add a record to the shared catalogue; an ISBN already catalogued answers 409 with the existing id unless force',
        body: z.object({ ...workFields, force: z.boolean().optional() }),
        response: { 201: workSchema },
      },
    },
    async (req, reply) => {
      const id = await catalogueWork(app.db, allow(req.actor, 'staff'), req.body);
      return reply.status(201).send(await getWork(app.db, id));
    },
  );

  app.put(
    '/api/catalog/works/:id',
    {
      schema: {
        tags,
        summary: 'Edit a record of the shared catalogue; authors given replace the old ones',
        params: idParams,
        body: z.object(workFields).partial(),
        response: { 200: workSchema },
      },
    },
    async (req) => {
      await editWork(app.db, allow(req.actor, 'staff'), req.params.id, req.body);
      return getWork(app.db, req.params.id);
    },
  );

  app.post(
    '/api/catalog/works/:id/cover',
    {
      schema: {
        tags,
        summary: `Upload a cover image (JPEG or PNG, up to ${MAX_COVER_BYTES / 1024 / 1024} MB) as multipart/form-data field \`file\``,
        params: idParams,
        response: { 200: workSchema },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'staff');
      if (!req.isMultipart()) throw new AppError('catalog.cover_no_file', 400);
      const part = await req.file({ limits: { fileSize: MAX_COVER_BYTES + 1 } });
      if (!part) throw new AppError('catalog.cover_no_file', 400);
      const bytes = await part.toBuffer().catch((err: { code?: string }) => {
        if (err.code === 'FST_REQ_FILE_TOO_LARGE') throw invalid('catalog.cover_too_large', { max: MAX_COVER_BYTES / 1024 / 1024 });
        throw err;
      });
      await inTransaction(app.db, (trx) => saveCover(trx, actor, req.params.id, bytes));
      return getWork(app.db, req.params.id);
    },
  );

  app.get(
    '/api/catalog/works/:id/cover',
    { schema: { tags, summary: 'The uploaded cover image of a record (public, like the record)', params: idParams } },
    async (req, reply) => {
      const cover = await readCover(app.db, req.params.id);
      return reply
        .header('content-type', cover.mime)
        .header('cache-control', 'public, max-age=86400')
        .header('last-modified', cover.updatedAt.toUTCString())
        .send(cover.bytes);
    },
  );

  app.delete(
    '/api/catalog/works/:id/cover',
    { schema: { tags, summary: 'Remove the uploaded cover of a record', params: idParams, response: { 200: workSchema } } },
    async (req) => {
      const actor = allow(req.actor, 'staff');
      await inTransaction(app.db, (trx) => removeCover(trx, actor, req.params.id));
      return getWork(app.db, req.params.id);
    },
  );

};
