import { z } from 'zod';
import { allow } from '../../auth/guard.js';
import type { Routes } from '../../http/types.js';
import { auditFacets, listAudit } from '../audit.js';

const auditOrg = z.coerce.number().int().positive().optional().describe('whose log: the own organisation when absent (only an admin may name another)');
const auditLine = z.object({
  id: z.number(),
  at: z.string().describe('when, ISO 8601'),
  userId: z.number().nullable().describe('who; null for the system'),
  userFullName: z.string().nullable(),
  userLogin: z.string().nullable(),
  action: z.string().describe("what was done: 'create', 'update', 'issue', …"),
  entity: z.string().describe("to what: 'reader', 'copy', 'loan', …"),
  entityId: z.string().nullable().describe('the id of the thing changed'),
  details: z.record(z.string(), z.unknown()).describe('what changed, by field'),
});

/** The audit log of an organisation, and the values its filters offer. */
export const auditRoutes: Routes = (app) => {
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['organisations'],
        summary: 'The audit log of the own organisation (admins: any), newest first, paged by id',
        querystring: z.object({
          organisationId: auditOrg,
          before: z.coerce.number().int().positive().optional().describe('only lines with a smaller id: the nextBefore of the previous page'),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          entity: z.string().min(1).max(60).optional().describe('only lines about this entity'),
          action: z.string().min(1).max(60).optional().describe('only lines of this action'),
          userId: z.coerce.number().int().positive().optional().describe('only lines written by this user'),
          from: z.iso.date().optional().describe('first day, inclusive (YYYY-MM-DD, the library’s calendar)'),
          to: z.iso.date().optional().describe('last day, inclusive (YYYY-MM-DD)'),
        }),
        response: {
          200: z.object({
            items: z.array(auditLine),
            nextBefore: z.number().nullable().describe('pass as before for the next page; null on the last page'),
          }),
        },
      },
    },
    async (req) => listAudit(app.db, allow(req.actor, 'staff'), req.query),
  );

  app.get(
    '/api/audit/facets',
    {
      schema: {
        tags: ['organisations'],
        summary: 'The entities, actions and people present in the audit log, for its filters',
        querystring: z.object({ organisationId: auditOrg }),
        response: {
          200: z.object({
            entities: z.array(z.string()),
            actions: z.array(z.string()),
            pairs: z.array(z.object({ entity: z.string(), action: z.string() })).describe('the actions each entity has'),
            users: z.array(z.object({ id: z.number(), fullName: z.string(), login: z.string() })).describe('people with a line in the log'),
          }),
        },
      },
    },
    async (req) => auditFacets(app.db, allow(req.actor, 'staff'), req.query.organisationId),
  );
};
