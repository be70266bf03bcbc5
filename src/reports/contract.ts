import { z } from 'zod';
import { CONTACT_KINDS } from '../circulation/schema.js';
import { figuresSchema, indicatorsSchema, planSchema } from './figures.js';

/** The contract of the annual report's API: the route and the web pages use these schemas. */
export const periodQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  schoolYear: z.string().max(9).optional(),
});
export const reportQuery = periodQuery.extend({ organisationId: z.coerce.number().int().positive().optional() });

const orgKind = z.enum(['republic', 'region', 'district', 'school', 'college', 'children_library']);

export const childSchema = z.object({
  organisationId: z.number(),
  name: z.string(),
  kind: orgKind,
  closed: z.boolean(),
  libraries: z.number(),
  librariesClosed: z.number(),
  indicators: indicatorsSchema,
});

export const reportSchema = z.object({
  period: z.object({ key: z.string(), kind: z.enum(['year', 'schoolYear']), from: z.string(), to: z.string() }),
  organisation: z.object({ id: z.number(), name: z.string(), kind: orgKind, isLibrary: z.boolean() }),
  closed: z.boolean(),
  closedAt: z.string().nullable(),
  libraries: z.number(),
  librariesClosed: z.number(),
  indicators: indicatorsSchema,
  plan: planSchema,
  lastYear: indicatorsSchema,
  lastYearPlan: planSchema,
  figures: figuresSchema,
  children: z.array(childSchema),
  pendingSections: z.array(z.object({ section: z.string(), note: z.string() })),
  texts: z.record(z.string(), z.string()),
});
export type AnnualReportReply = z.infer<typeof reportSchema>;

export const historySchema = z.object({
  items: z.array(z.object({ period: z.string(), indicators: indicatorsSchema, plan: planSchema, closed: z.boolean() })),
});
export type HistoryReply = z.infer<typeof historySchema>;

export const planBody = planSchema.partial();

const m2 = z.number().min(0).max(1e6);
const count = z.number().int().min(0).max(1e7);
export const passportSchema = z.object({
  areaM2: m2,
  readingRoomM2: m2,
  storageM2: m2,
  seats: count,
  computers: count,
  internetComputers: count,
  openAccessCopies: count,
  texts: z.record(z.string().max(40), z.string().max(20000)),
});
export type PassportReply = z.infer<typeof passportSchema> & { period: string };

export const scheduleSchema = z.object({
  period: z.string(),
  organisationId: z.number(),
  dueOn: z.string().nullable(),
  reported: z.number(),
  late: z.number(),
  libraries: z.array(
    z.object({
      organisationId: z.number(),
      name: z.string(),
      dueOn: z.string().nullable(),
      closedAt: z.string().nullable(),
      origin: z.enum(['local', 'package']).nullable(),
      status: z.enum(['reported', 'late_reported', 'late', 'waiting']),
    }),
  ),
});
export type ScheduleReply = z.infer<typeof scheduleSchema>;

export const contactBody = z.object({
  kind: z.enum(CONTACT_KINDS),
  day: z.string().max(10).optional(),
  quantity: z.number().int().min(1).max(100000),
  readerId: z.number().int().positive().nullable().optional(),
  note: z.string().max(500).nullable().optional(),
});
export const readingRoomBody = z.object({
  readerId: z.number().int().positive(),
  day: z.string().max(10).optional(),
  items: z.number().int().min(1).max(1000),
  copyId: z.number().int().positive().nullable().optional(),
});
export const registerClassBody = z.object({
  schoolYear: z.string().max(9),
  grade: z.number().int().min(0).max(12).optional(),
  classLetter: z.string().max(5).optional(),
  teachers: z.boolean().optional(),
});
