import { z } from 'zod';
import { allow } from '../../auth/guard.js';
import { inTransaction } from '../../db/transaction.js';
import type { Routes } from '../../http/types.js';
import { createOrganisation, visibleOrganisations } from '../organisations.js';
import { listPeople, openAccount, updatePerson } from '../people.js';
import { localeSchema, orgKindSchema, roleSchema } from './shared.js';

const orgSchema = z.object({
  id: z.number(),
  parentId: z.number().nullable(),
  kind: orgKindSchema,
  name: z.string(),
  nameRu: z.string().nullable(),
  nameEn: z.string().nullable(),
  code: z.string().nullable(),
});

const personSchema = z.object({
  id: z.number(),
  login: z.string(),
  fullName: z.string(),
  role: roleSchema,
  classGrade: z.number().nullable(),
  classLetter: z.string().nullable(),
  readerId: z.number().nullable(),
  readerName: z.string().nullable().describe('the reader a student or parent account is linked to'),
  active: z.boolean(),
  createdAt: z.string(),
  lastSeenAt: z.string().nullable().describe('latest use of any open session'),
});

/** The organisations a user may see, and the accounts of a library. */
export const organisationRoutes: Routes = (app) => {
  app.get(
    '/api/organisations',
    { schema: { tags: ['organisations'], summary: 'Organisations the user may see', response: { 200: z.array(orgSchema) } } },
    async (req) => visibleOrganisations(app.db, allow(req.actor, 'signedIn')),
  );

  app.post(
    '/api/organisations',
    {
      schema: {
        tags: ['organisations'],
        body: z.object({
          parentId: z.number().int().nullable(),
          kind: orgKindSchema,
          name: z.string().min(1).max(300),
          nameRu: z.string().max(300).nullish(),
          nameEn: z.string().max(300).nullish(),
          code: z.string().max(50).nullish(),
        }),
        response: { 201: z.object({ id: z.number() }) },
      },
    },
    async (req, reply) => {
      const actor = allow(req.actor, 'admin');
      const created = await inTransaction(app.db, (trx) => createOrganisation(trx, actor, req.body));
      return reply.status(201).send({ id: created.id });
    },
  );

  app.post(
    '/api/users',
    {
      schema: {
        tags: ['organisations'],
        summary: 'Create a user. Admins create anyone; a librarian creates teachers, students and parents of the own library',
        body: z.object({
          login: z.string().min(3).max(100),
          password: z.string().min(1).max(200),
          fullName: z.string().min(1).max(300),
          role: roleSchema,
          organisationId: z.number().int(),
          classGrade: z.number().int().min(0).max(12).nullish(),
          classLetter: z.string().max(5).nullish(),
          readerId: z.number().int().nullish(),
          locale: localeSchema.optional(),
        }),
        response: { 201: z.object({ id: z.number() }) },
      },
    },
    async (req, reply) => {
      const actor = allow(req.actor, 'staff');
      const id = await inTransaction(app.db, (trx) => openAccount(trx, actor, req.body));
      return reply.status(201).send({ id });
    },
  );
  app.get(
    '/api/users',
    {
      schema: {
        tags: ['organisations'],
        summary: "Accounts of the own library (an admin: of any organisation), by role and name",
        querystring: z.object({ organisationId: z.coerce.number().int().positive().optional().describe('only an admin may name another organisation') }),
        response: { 200: z.array(personSchema) },
      },
    },
    async (req) => listPeople(app.db, allow(req.actor, 'staff'), req.query.organisationId),
  );

  app.patch(
    '/api/users/:id',
    {
      schema: {
        tags: ['organisations'],
        summary: "Change an account: name, class, a new password, or close it (signs the person out). A librarian changes the own library's teachers, students and parents",
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: z.object({
          fullName: z.string().trim().min(1).max(300).optional(),
          password: z.string().min(1).max(200).optional(),
          active: z.boolean().optional(),
          classGrade: z.number().int().min(0).max(12).nullish(),
          classLetter: z.string().max(5).nullish(),
        }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      const actor = allow(req.actor, 'staff');
      await inTransaction(app.db, (trx) => updatePerson(trx, actor, req.params.id, req.body));
      return reply.status(204).send(null);
    },
  );
};
