import { z } from 'zod';
import { allow } from '../../auth/guard.js';
import { inTransaction } from '../../db/transaction.js';
import type { Routes } from '../../http/types.js';
import { decideMatch, entryMatches, linkCandidates, linkWork, matchingEntries, reviewQueue, runMatching, unlinkMatch } from '../matching.js';
import { category, idParam, page, tags, year } from './shared.js';

const matchStatus = z.enum(['confirmed', 'pending', 'rejected']);
const listEntrySchema = z.object({ title: z.string(), author: z.string(), category, isbn: z.string().nullable() });

const linkedWork = z.object({
  id: z.number(),
  title: z.string(),
  subtitle: z.string().nullable(),
  authors: z.string(),
  isbn: z.string().nullable(),
  publishYear: z.number().nullable(),
  publisher: z.string().nullable(),
  language: z.string().nullable(),
});

/** Matching the list's titles to catalogue records: the automatic run, the review queue, and linking by hand what the matcher missed or got wrong. */
export const matchingRoutes: Routes = (app) => {
  app.post(
    '/api/reclist/matching/run',
    {
      schema: {
        tags,
        summary: 'Matches the list\'s titles to catalogue records: confident matches applied, uncertain ones queued for review',
        body: z.object({ year: year.optional() }).optional(),
        response: {
          200: z.object({ year: z.number(), titles: z.number(), matchedTitles: z.number(), confirmed: z.number(), pending: z.number() }),
        },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'staff');
      return inTransaction(app.db, (trx) => runMatching(trx, actor, req.body?.year ?? null));
    },
  );

  app.get(
    '/api/reclist/matching/queue',
    {
      schema: {
        tags,
        summary: 'Proposed matches waiting for a person, the list title beside the catalogue record',
        querystring: z.object(page),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.number(),
                method: z.string(),
                entry: z.object({ title: z.string(), author: z.string(), category, isbn: z.string().nullable() }),
                work: z.object({
                  id: z.number(),
                  title: z.string(),
                  authors: z.string(),
                  isbn: z.string().nullable(),
                  publishYear: z.number().nullable(),
                  publisher: z.string().nullable(),
                  language: z.string().nullable(),
                }),
              }),
            ),
            total: z.number(),
          }),
        },
      },
    },
    async (req) => {
      allow(req.actor, 'staff');
      return reviewQueue(app.db, req.query);
    },
  );

  for (const [action, decision] of [
    ['confirm', 'confirmed'],
    ['reject', 'rejected'],
  ] as const) {
    app.post(
      `/api/reclist/matches/:id/${action}`,
      {
        schema: {
          tags,
          summary: decision === 'confirmed' ? 'Confirms that a catalogue record is an edition of the list title' : 'Rejects a proposed match for good',
          params: idParam,
          response: { 200: z.object({ id: z.number(), status: z.enum(['confirmed', 'pending', 'rejected']) }) },
        },
      },
      async (req) => {
        const actor = allow(req.actor, 'staff');
        return inTransaction(app.db, (trx) => decideMatch(trx, actor, req.params.id, decision));
      },
    );
  }

  // ---- manual linking: what the matcher missed, and undoing what it got wrong ----
  app.get(
    '/api/reclist/matching/entries',
    {
      schema: {
        tags,
        summary: 'Titles of a year\'s list (the latest by default) with their linked editions and waiting proposals counted; q is folded like the catalogue search',
        querystring: z.object({
          year: year.optional(),
          q: z.string().max(200).optional(),
          unmatched: z.enum(['true', 'false']).optional().describe('only the titles without a confirmed edition'),
          ...page,
        }),
        response: {
          200: z.object({
            year: z.number(),
            items: z.array(
              z.object({
                id: z.number(),
                position: z.number(),
                title: z.string(),
                author: z.string(),
                category,
                isbn: z.string().nullable(),
                confirmed: z.number(),
                pending: z.number(),
              }),
            ),
            total: z.number(),
          }),
        },
      },
    },
    async (req) => {
      allow(req.actor, 'staff');
      return matchingEntries(app.db, { ...req.query, unmatched: req.query.unmatched === 'true' });
    },
  );

  app.get(
    '/api/reclist/entries/:id/matches',
    {
      schema: {
        tags,
        summary: 'One list title and every catalogue record linked, proposed or rejected for it',
        params: idParam,
        response: {
          200: z.object({
            entry: listEntrySchema.extend({ id: z.number(), year: z.number() }),
            matches: z.array(z.object({ id: z.number(), status: matchStatus, method: z.string(), decidedAt: z.string().nullable(), work: linkedWork })),
          }),
        },
      },
    },
    async (req) => {
      allow(req.actor, 'staff');
      return entryMatches(app.db, req.params.id);
    },
  );

  app.get(
    '/api/reclist/entries/:id/candidates',
    {
      schema: {
        tags,
        summary: 'Catalogue records to link to a list title, found by the folded catalogue search, with any decision already taken',
        params: idParam,
        querystring: z.object({ q: z.string().min(1).max(200), limit: z.coerce.number().int().min(1).max(50).default(20) }),
        response: {
          200: z.object({
            items: z.array(linkedWork.extend({ match: z.object({ id: z.number(), status: matchStatus }).nullable() })),
            total: z.number(),
          }),
        },
      },
    },
    async (req) => {
      allow(req.actor, 'staff');
      return linkCandidates(app.db, req.params.id, req.query);
    },
  );

  app.post(
    '/api/reclist/entries/:id/matches',
    {
      schema: {
        tags,
        summary: 'Links a catalogue record to a list title as one of its editions (a manual match, or confirms a proposed or rejected pair)',
        params: idParam,
        body: z.object({ workId: z.number().int().positive() }),
        response: { 200: z.object({ id: z.number(), status: matchStatus, method: z.string(), changed: z.boolean() }) },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'staff');
      return inTransaction(app.db, (trx) => linkWork(trx, actor, req.params.id, req.body.workId));
    },
  );

  app.post(
    '/api/reclist/matches/:id/unlink',
    {
      schema: {
        tags,
        summary: 'Unlinks a wrong confirmed match; the pair is remembered as rejected so matching never proposes it again',
        params: idParam,
        response: { 200: z.object({ id: z.number(), status: matchStatus }) },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'staff');
      return inTransaction(app.db, (trx) => unlinkMatch(trx, actor, req.params.id));
    },
  );
};
