import fs from 'node:fs';
import { z } from 'zod';
import type { Routes } from '../http/types.js';
import { audit } from '../org/audit.js';
import { AppError, conflict, notFound } from '../shared/errors.js';
import { backupPath, listBackups, makeBackup } from './backup.js';
import { allow } from '../auth/guard.js';

const fileSchema = z.object({
  name: z.string().describe('file name in the backup folder'),
  bytes: z.number(),
  createdAt: z.string().describe('when the backup was made (ISO 8601, UTC)'),
  encrypted: z.boolean().describe('encrypted with the backup passphrase (AES-256-GCM)'),
});

/** Backups hold every reader's personal data and the password hashes: admins only. */
export const backupRoutes: Routes = async (app) => {
  const tags = ['backups'];

  app.get(
    '/api/backups',
    {
      schema: {
        tags,
        summary: "The embedded database's backups, newest first, and where and how often the server writes them",
        response: {
          200: z.object({
            database: z.enum(['pglite', 'postgres']),
            dir: z.string().nullable(),
            keepDays: z.number().describe('backups older than this are removed; the newest always stays'),
            encrypted: z.boolean().describe('a backup passphrase is set: new backups are encrypted'),
            everyHours: z.number(),
            items: z.array(fileSchema),
          }),
        },
      },
    },
    async (req) => {
      allow(req.actor, 'admin');
      const config = app.backupConfig;
      const embedded = app.dbKind === 'pglite';
      return { database: app.dbKind, dir: embedded ? config.dir : null, keepDays: config.keepDays, encrypted: !!config.key, everyHours: embedded ? config.everyHours : 0, items: embedded ? listBackups(config.dir) : [] };
    },
  );

  app.post(
    '/api/backups',
    { schema: { tags, summary: 'Make a backup of the embedded database now', response: { 201: fileSchema } } },
    async (req, reply) => {
      const actor = allow(req.actor, 'admin');
      if (app.dbKind !== 'pglite') throw conflict('backup.server');
      if (!app.backupConfig.key && !app.backupConfig.allowPlain) throw conflict('backup.no_passphrase');
      let file;
      try {
        file = await makeBackup(app.database, app.backupConfig);
      } catch (err) {
        throw new AppError('backup.failed', 500, { reason: (err as Error).message.slice(0, 300) });
      }
      await audit(app.db, actor, 'create', 'backup', file.name, { bytes: file.bytes });
      return reply.status(201).send(file);
    },
  );

  app.get(
    '/api/backups/:name',
    {
      schema: {
        tags,
        summary: 'Download one backup (encrypted with the backup passphrase; put back with `npm run restore`); every download is audited',
        params: z.object({ name: z.string().max(100) }),
      },
    },
    async (req, reply) => {
      const actor = allow(req.actor, 'admin');
      const file = app.dbKind === 'pglite' ? backupPath(app.backupConfig.dir, req.params.name) : null;
      if (!file) throw notFound('backup', req.params.name);
      await audit(app.db, actor, 'download', 'backup', req.params.name);
      return reply
        .header('content-type', req.params.name.endsWith('.kbak') ? 'application/octet-stream' : 'application/gzip')
        .header('content-disposition', `attachment; filename="${req.params.name}"`)
        .send(fs.createReadStream(file));
    },
  );
};
