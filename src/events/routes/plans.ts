import { z } from 'zod';
import { allow } from '../../auth/guard.js';
import type { Routes } from '../../http/types.js';
import { checkSchoolYear } from '../access.js';
import { addPlanEntry, approvePlan, copyPlan, deletePlanEntry, getPlan, listPlans, planPdf, planSubmissions, setEntryStatus, submitPlan, updatePlanEntry } from '../plans.js';
import { ENTRY_STATUSES, EVENT_FORMS, PLAN_SECTIONS, PLAN_STATUSES, WHEN_KINDS } from '../schema.js';
import { created, date, id, month, ok, schoolYear, tags, text } from './shared.js';

const entryBody = z.object({
  section: z.enum(PLAN_SECTIONS),
  title: text(1000),
  form: z.enum(EVENT_FORMS).nullable().optional(),
  target: text(200).nullable().optional(),
  whenKind: z.enum(WHEN_KINDS),
  monthFrom: month.nullable().optional(),
  monthTo: month.nullable().optional(),
  responsible: text(200).nullable().optional(),
  status: z.enum(ENTRY_STATUSES).optional(),
  note: text(2000).nullable().optional(),
});

const entrySchema = z.object({
  id: z.number(),
  position: z.number(),
  section: z.enum(PLAN_SECTIONS),
  title: z.string(),
  form: z.string().nullable(),
  target: z.string().nullable(),
  whenKind: z.enum(WHEN_KINDS),
  monthFrom: z.number().nullable(),
  monthTo: z.number().nullable(),
  responsible: z.string().nullable(),
  status: z.enum(ENTRY_STATUSES),
  note: z.string().nullable(),
  eventsHeld: z.number(),
});

const planSchema = z.object({
  id: z.number(),
  organisationId: z.number(),
  schoolYear: z.string(),
  status: z.enum(PLAN_STATUSES),
  approvedBy: z.string().nullable(),
  approvedOn: z.string().nullable(),
  submittedAt: z.string().nullable(),
  entries: z.array(entrySchema),
});

/** The annual work plan: its entries, the head's approval, the submission to the district. */
export const planRoutes: Routes = (app) => {
  app.get('/api/events/plans', { schema: { tags, summary: 'The work plans of this library, newest first', response: { 200: z.object({ items: z.array(z.object({ id: z.number(), schoolYear: z.string(), status: z.enum(PLAN_STATUSES), entries: z.number() })) }) } } }, async (req) => ({
    items: await listPlans(app.db, allow(req.actor, 'staffAndTeachers')),
  }));

  app.get('/api/events/plans/:schoolYear', { schema: { tags, summary: 'The work plan of a school year (null when not started)', params: z.object({ schoolYear }), response: { 200: z.object({ plan: planSchema.nullable() }) } } }, async (req) => ({
    plan: await getPlan(app.db, allow(req.actor, 'staffAndTeachers'), req.params.schoolYear),
  }));

  app.get(
    '/api/events/plans/:schoolYear/pdf',
    { schema: { tags, summary: 'The work plan printed for the head’s approval (PDF)', params: z.object({ schoolYear }), produces: ['application/pdf'], response: { 200: z.any().describe('application/pdf') } } },
    async (req, reply) => {
      const pdf = await planPdf(app.db, allow(req.actor, 'staffAndTeachers'), checkSchoolYear(req.params.schoolYear), req.locale);
      return reply.type('application/pdf').header('content-disposition', `inline; filename="work-plan-${req.params.schoolYear}.pdf"`).send(pdf);
    },
  );

  app.post('/api/events/plans/:schoolYear/entries', { schema: { tags, summary: 'Add an entry to the plan of a school year (the plan is started if need be)', params: z.object({ schoolYear }), body: entryBody, response: { 201: created } } }, async (req, reply) => {
    const newId = await addPlanEntry(app.db, allow(req.actor, 'staff'), req.params.schoolYear, req.body);
    reply.status(201);
    return { id: newId };
  });

  app.put('/api/events/plan-entries/:id', { schema: { tags, summary: 'Change a plan entry', params: z.object({ id }), body: entryBody, response: { 200: ok } } }, async (req) => {
    await updatePlanEntry(app.db, allow(req.actor, 'staff'), req.params.id, req.body);
    return { ok: true as const };
  });

  app.post('/api/events/plan-entries/:id/status', { schema: { tags, summary: 'Mark a plan entry planned, held, moved or cancelled', params: z.object({ id }), body: z.object({ status: z.enum(ENTRY_STATUSES) }), response: { 200: ok } } }, async (req) => {
    await setEntryStatus(app.db, allow(req.actor, 'staff'), req.params.id, req.body.status);
    return { ok: true as const };
  });

  app.delete('/api/events/plan-entries/:id', { schema: { tags, summary: 'Remove a plan entry', params: z.object({ id }), response: { 200: ok } } }, async (req) => {
    await deletePlanEntry(app.db, allow(req.actor, 'staff'), req.params.id);
    return { ok: true as const };
  });

  app.post('/api/events/plans/copy', { schema: { tags, summary: 'Start a school year’s plan from another year’s, in one action', body: z.object({ fromYear: schoolYear, toYear: schoolYear }), response: { 200: z.object({ planId: z.number(), copied: z.number() }) } } }, async (req) =>
    copyPlan(app.db, allow(req.actor, 'staff'), req.body.fromYear, req.body.toYear),
  );

  app.post('/api/events/plans/:schoolYear/approve', { schema: { tags, summary: 'Record the head’s approval of the plan', params: z.object({ schoolYear }), body: z.object({ approvedBy: text(200), approvedOn: date }), response: { 200: ok } } }, async (req) => {
    await approvePlan(app.db, allow(req.actor, 'staff'), req.params.schoolYear, req.body);
    return { ok: true as const };
  });

  app.post('/api/events/plans/:schoolYear/submit', { schema: { tags, summary: 'Submit the plan to the district', params: z.object({ schoolYear }), response: { 200: ok } } }, async (req) => {
    await submitPlan(app.db, allow(req.actor, 'staff'), req.params.schoolYear);
    return { ok: true as const };
  });

  app.get(
    '/api/events/plan-submissions',
    {
      schema: {
        tags,
        summary: 'For a methodologist: the libraries below and whether their plan of the year is submitted',
        querystring: z.object({ schoolYear }),
        response: { 200: z.object({ items: z.array(z.object({ organisationId: z.number(), name: z.string(), status: z.string(), entries: z.number(), approvedOn: z.string().nullable(), submittedAt: z.string().nullable() })) }) },
      },
    },
    async (req) => ({ items: await planSubmissions(app.db, allow(req.actor, 'overseers'), req.query.schoolYear) }),
  );
};
