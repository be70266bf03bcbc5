import { audit } from '../org/audit.js';
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { Routes } from '../http/types.js';
import { libraryToday } from '../shared/library-time.js';
import { isIsoDate } from './dates.js';
import { listDebtors } from './debtors.js';
import { debtorsPdf } from './debtors-pdf.js';
import { readerPanel, scan } from './desk.js';
import { listLoans } from './loan-list.js';
import { issueCopy, renewLoan, returnCopy } from './loans.js';
import { myLoans, renewMyLoan } from './my-loans.js';
import { listLoanRules, replaceLoanRules } from './rules.js';
import { circulationStats, READER_GROUPS } from './stats.js';
import { notifyHoldsSoon } from './reservation-mail.js';
import { inTransaction } from '../db/transaction.js';
import { allow } from '../auth/guard.js';

const tags = ['circulation'];
const readerKind = z.enum(['student', 'teacher', 'staff', 'parent', 'other']);
const fund = z.enum(['main', 'textbook', 'periodical', 'electronic', 'off_balance']);
const isoDate = z.string().refine(isIsoDate, { message: 'Expected a date YYYY-MM-DD' });
const id = z.coerce.number().int().positive();
const barcode = z.string().trim().min(1).max(64);

const loanRule = z.object({
  organisationId: z.number().nullable(),
  readerKind: readerKind.nullable(),
  fund: fund.nullable(),
  loanDays: z.number().int(),
  maxRenewals: z.number().int(),
  maxLoans: z.number().int().nullable(),
});

const libraryRule = z.object({
  readerKind: readerKind.nullable(),
  fund: fund.nullable(),
  loanDays: z.number().int().min(1).max(366),
  maxRenewals: z.number().int().min(0).max(20),
  maxLoans: z.number().int().min(1).max(500).nullable(),
});

const loan = z.object({
  loanId: z.number(),
  copyId: z.number(),
  barcode: z.string(),
  inventoryNumber: z.string(),
  title: z.string(),
  authors: z.array(z.string()),
  readerId: z.number(),
  readerName: z.string(),
  className: z.string().nullable(),
  issuedAt: z.string(),
  dueOn: z.string(),
  returnedAt: z.string().nullable(),
  renewals: z.number(),
  overdueDays: z.number(),
  reserved: z.boolean().describe('other readers wait for this title: the loan is not renewed'),
  canRenew: z.boolean(),
});

const hold = z
  .object({ reservationId: z.number(), readerId: z.number(), readerName: z.string(), className: z.string().nullable(), holdUntil: z.string() })
  .nullable()
  .describe('the returned copy is held for this reader until the day: put it aside');

const panel = z.object({
  reader: z.object({
    id: z.number(),
    fullName: z.string(),
    className: z.string().nullable(),
    kind: readerKind,
    barcode: z.string(),
    registrationNumber: z.string(),
  }),
  loans: z.array(loan.omit({ readerId: true, readerName: true, className: true, returnedAt: true })),
  overdueCount: z.number(),
  history: z.array(
    z.object({
      loanId: z.number(),
      barcode: z.string(),
      title: z.string(),
      authors: z.array(z.string()),
      issuedAt: z.string(),
      returnedAt: z.string(),
    }),
  ),
  visitsThisYear: z.number(),
  loansThisYear: z.number(),
  reservations: z.array(
    z.object({
      id: z.number(),
      workId: z.number(),
      title: z.string(),
      status: z.enum(['waiting', 'held']),
      place: z.number().nullable(),
      barcode: z.string().nullable(),
      holdUntil: z.string().nullable(),
    }),
  ),
});

const scanResult = z.union([
  z.object({ action: z.literal('reader_opened'), panel }),
  z.object({ action: z.literal('issued'), loan, panel }),
  z.object({ action: z.literal('returned'), loan, hold, panel: panel.nullable() }),
  z.object({ action: z.literal('repeat_ignored'), barcode: z.string(), title: z.string(), panel: panel.nullable() }).describe('the same copy was scanned again within a few seconds: nothing was changed'),
]);

const classDebtors = z.object({
  grade: z.number().nullable(),
  classLetter: z.string().nullable(),
  className: z.string().nullable(),
  readers: z.array(
    z.object({
      readerId: z.number(),
      fullName: z.string(),
      loans: z.array(
        z.object({
          loanId: z.number(),
          title: z.string(),
          authors: z.array(z.string()),
          barcode: z.string(),
          inventoryNumber: z.string(),
          dueOn: z.string(),
          overdueDays: z.number(),
        }),
      ),
    }),
  ),
});

const debtorsQuery = z.object({
  grade: z.coerce.number().int().min(0).max(12).optional(),
  classLetter: z.string().trim().min(1).max(2).optional(),
  /** The day the list is made for; today when absent. */
  asOf: isoDate.optional(),
});

const counts = { visits: z.number(), loans: z.number(), returns: z.number() };

const staff = (req: FastifyRequest) => allow(req.actor, 'staff');

export const circulationRoutes: Routes = async (app) => {
  app.get(
    '/api/circulation/loan-rules',
    {
      schema: {
        tags,
        summary: "The loan rules that apply in the user's library: its own and the global ones, most specific first",
        response: { 200: z.object({ items: z.array(loanRule), total: z.number() }) },
      },
    },
    async (req) => {
      const items = await listLoanRules(app.db, staff(req));
      return { items, total: items.length };
    },
  );

  app.put(
    '/api/circulation/loan-rules',
    {
      schema: {
        tags,
        summary: "Replace the library's own loan rules",
        body: z.object({ rules: z.array(libraryRule).max(100) }),
        response: { 200: z.object({ items: z.array(loanRule), total: z.number() }) },
      },
    },
    async (req) => {
      const actor = staff(req);
      const items = await inTransaction(app.db, (trx) => replaceLoanRules(trx, actor, req.body.rules));
      return { items, total: items.length };
    },
  );

  app.post(
    '/api/circulation/scan',
    {
      schema: {
        tags,
        summary: 'A code from the scanner: a reader card opens the reader, a copy is issued to the open reader or returned',
        body: z.object({ code: z.string().trim().min(1).max(100), readerId: z.number().int().positive().nullish() }),
        response: { 200: scanResult },
      },
    },
    async (req) => {
      const actor = staff(req);
      const result = await inTransaction(app.db, (trx) => scan(trx, actor, { code: req.body.code, readerId: req.body.readerId ?? null }));
      if (result.action === 'returned' && result.hold) notifyHoldsSoon(app.db, actor.organisationId, (m) => req.log.warn(m));
      return result;
    },
  );

  app.get(
    '/api/circulation/readers/:id/panel',
    {
      schema: {
        tags,
        summary: "A reader's desk panel: books at home, history, this year's visits and loans",
        params: z.object({ id }),
        response: { 200: panel },
      },
    },
    async (req) => readerPanel(app.db, staff(req), req.params.id),
  );

  app.post(
    '/api/circulation/issue',
    {
      schema: {
        tags,
        summary: 'Issue a copy to a reader',
        body: z.object({ readerId: z.number().int().positive(), barcode }),
        response: { 201: loan },
      },
    },
    async (req, reply) => {
      const actor = staff(req);
      const issued = await inTransaction(app.db, (trx) => issueCopy(trx, actor, req.body));
      return reply.status(201).send(issued);
    },
  );

  app.post(
    '/api/circulation/return',
    {
      schema: { tags, summary: 'Take a copy back; when its title is reserved, the reader it is now held for', body: z.object({ barcode }), response: { 200: loan.extend({ hold }) } },
    },
    // one statement closes the loan, shelves the copy, holds it for a reservation and writes the audit records: atomic without a transaction
    async (req) => {
      const actor = staff(req);
      const returned = await returnCopy(app.db, actor, req.body);
      if (returned.hold) notifyHoldsSoon(app.db, actor.organisationId, (m) => req.log.warn(m));
      return returned;
    },
  );

  app.post(
    '/api/circulation/loans/:id/renew',
    {
      schema: { tags, summary: 'Renew a loan at the desk', params: z.object({ id }), response: { 200: loan } },
    },
    async (req) => {
      const actor = staff(req);
      return inTransaction(app.db, (trx) => renewLoan(trx, actor, { loanId: req.params.id }));
    },
  );

  app.get(
    '/api/circulation/loans',
    {
      schema: {
        tags,
        summary: "The library's loans, open, overdue or returned",
        querystring: z.object({
          status: z.enum(['open', 'overdue', 'returned']).optional(),
          readerId: id.optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.object({ items: z.array(loan), total: z.number() }) },
      },
    },
    async (req) => listLoans(app.db, staff(req), req.query),
  );

  app.get(
    '/api/circulation/debtors',
    {
      schema: {
        tags,
        summary: 'Readers with overdue books, by class; a class teacher sees the own class',
        querystring: debtorsQuery,
        response: { 200: z.object({ items: z.array(classDebtors), total: z.number() }) },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'staffAndTeachers');
      const items = await listDebtors(app.db, actor, { ...req.query, today: req.query.asOf });
      return { items, total: items.length };
    },
  );

  app.get(
    '/api/circulation/debtors.pdf',
    {
      schema: {
        tags,
        summary: 'The printable debtor list for a class teacher (PDF)',
        querystring: debtorsQuery,
        produces: ['application/pdf'],
        response: { 200: z.any().describe('application/pdf') },
      },
    },
    async (req, reply) => {
      const actor = allow(req.actor, 'staffAndTeachers');
      const today = req.query.asOf ?? (await libraryToday(app.db, actor.organisationId));
      const classes = await listDebtors(app.db, actor, { ...req.query, today });
      // a printed list of pupils' names leaves the system: the log says who printed whom
      const count = classes.reduce((sum, c) => sum + c.readers.length, 0);
      await audit(app.db, actor, 'export', 'readers', null, { what: 'debtors', count, grade: req.query.grade ?? null, classLetter: req.query.classLetter ?? null });
      const library = await app.db
        .selectFrom('org.organisations')
        .select('name')
        .where('id', '=', actor.organisationId)
        .executeTakeFirstOrThrow();
      const pdf = await debtorsPdf({ libraryName: library.name, today, classes, locale: req.locale });
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="debtors-${today}.pdf"`)
        .send(pdf);
    },
  );

  app.get(
    '/api/circulation/my-loans',
    {
      schema: {
        tags,
        summary: 'The books the signed-in student or parent has at home',
        response: { 200: z.object({ items: z.array(loan), total: z.number() }) },
      },
    },
    async (req) => {
      const items = await myLoans(app.db, allow(req.actor, 'readers'));
      return { items, total: items.length };
    },
  );

  app.post(
    '/api/circulation/my-loans/:id/renew',
    {
      schema: { tags, summary: 'Renew one of the own loans online', params: z.object({ id }), response: { 200: loan } },
    },
    async (req) => {
      const actor = allow(req.actor, 'readers');
      return inTransaction(app.db, (trx) => renewMyLoan(trx, actor, { loanId: req.params.id }));
    },
  );

  app.get(
    '/api/circulation/stats',
    {
      schema: {
        tags,
        summary: 'Visits, loans and returns over a period, by reader group (for the annual report)',
        querystring: z.object({ from: isoDate, to: isoDate, organisationId: id.optional() }),
        response: {
          200: z.object({
            from: z.string(),
            to: z.string(),
            organisationIds: z.array(z.number()),
            ...counts,
            byGroup: z.array(z.object({ group: z.enum(READER_GROUPS), ...counts })),
          }),
        },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'staffAndOverseers');
      return circulationStats(app.db, actor, req.query);
    },
  );
};
