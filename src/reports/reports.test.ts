import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeCopy, makeReader, makeWork } from '../../test/support/factories.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import { ApiClient, testApp } from '../../test/support/api.js';
import type { Actor } from '../auth/actor.js';
import { scan } from '../circulation/desk.js';
import { issueCopy, returnCopy } from '../circulation/loans.js';
import { addContact, addReadingRoomUse } from '../circulation/visits.js';
import type { Db, DatabaseHandle } from '../db/connect.js';
import { addReceiptLine, createReceipt } from '../fund/accounting/receipts.js';
import { addCopiesToAct, approveAct, createAct } from '../fund/accounting/write-offs.js';
import { t } from '../i18n/index.js';
import { ownPublicKey, trustSchoolKey } from '../reclist/packages.js';
import { registerClass } from '../readers/registrations.js';
import { createOrganisation } from '../org/organisations.js';
import { AppError } from '../shared/errors.js';
import { setClock } from '../shared/library-time.js';
import { annualReport, reportHistory } from './annual.js';
import { GROUP_SECTIONS, PENDING_SECTIONS, type GroupSection } from './sections.js';
import { recordEvent } from '../events/held.js';
import { createExhibition } from '../events/exhibitions.js';
import { addMember, createClub, recordSession } from '../events/clubs.js';
import { logRequest } from '../reference/service.js';
import { addPeriodical, checkInIssue, subscribe } from '../reference/periodicals.js';
import { openDocument, storeDocument } from '../reference/documents.js';
import { recordReadingRoom } from '../reading/records.js';
import { newPdf, pdfToBuffer } from '../shared/pdf.js';
import { reportPdf, reportXlsx } from './documents.js';
import { closePeriod, exportAnnualPackage, importAnnualPackage, reopenPeriod, savePassport, savePlan, saveSettings, scheduleStatus, setSchedule } from './manage.js';

async function refusal(work: Promise<unknown>): Promise<AppError> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const count = async (db: Db, table: string) => Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db)).rows[0]!.n);

describe.each(BACKENDS)('the annual report on %s', (backend) => {
  let database: DatabaseHandle;
  let db: Db;
  let tn: Tenants;
  let lib: Actor;

  beforeAll(async () => {
    setClock(new Date('2026-03-02T06:00:00Z'));
    database = await openTestDatabase(backend);
    db = database.db;
    tn = await seedTenants(db);
    lib = tn.librarianA;
    const A = tn.schoolA.id;
    await db.updateTable('org.organisations').set({ code: 'SCH-A' }).where('id', '=', A).execute();

    // The fund: 10 Kazakh novels bought in 2024, a textbook entered before accounting, 5 Russian books given in 2025.
    const novel = await makeWork(db, { title: 'Көшпенділер', language: 'kaz', knowledgeGroup: 'fiction' });
    const essay = await makeWork(db, { title: 'Общество', language: 'rus', knowledgeGroup: 'socio_political', bbk: '60' });
    await db.updateTable('catalog.works').set({ age_rating: '18+' }).where('id', '=', essay).execute();
    const primer = await makeWork(db, { title: 'Әліппе', language: 'kaz', knowledgeGroup: null });
    const bought = await createReceipt(db, lib, { receivedOn: '2024-05-10', source: 'budget_purchase' });
    await addReceiptLine(db, lib, bought.id, { workId: novel, count: 10, priceTiyn: 1000 });
    const textbook = await makeCopy(db, A, primer, { fund: 'textbook', acquiredOn: '2024-08-20' });
    const gift = await createReceipt(db, lib, { receivedOn: '2025-03-01', source: 'gift' });
    await addReceiptLine(db, lib, gift.id, { workId: essay, count: 5, priceTiyn: 2000 });
    const copies = await db.selectFrom('fund.copies').select(['id', 'barcode', 'work_id']).where('organisation_id', '=', A).orderBy('id').execute();
    const novels = copies.filter((c) => c.work_id === novel);
    const essays = copies.filter((c) => c.work_id === essay);
    const act = await db.transaction().execute((trx) => createAct(trx, lib, { actDate: '2025-06-01', reason: 'physical_wear' }));
    await db.transaction().execute((trx) => addCopiesToAct(trx, lib, act.id, { copyIds: [novels[8]!.id, novels[9]!.id] }));
    await db.transaction().execute((trx) => approveAct(trx, lib, act.id));

    // Readers of every group and their year.
    const g2 = await makeReader(db, A, { grade: 2, classLetter: 'А' });
    const g6 = await makeReader(db, A, { grade: 6, classLetter: 'Ә' });
    const g10 = await makeReader(db, A, { grade: 10, classLetter: 'Б' });
    const teacher = await makeReader(db, A, { kind: 'teacher' });
    const parent = await makeReader(db, A, { kind: 'parent' });
    const loan = async (readerId: number, barcode: string, today: string) => {
      const l = await issueCopy(db, lib, { readerId, barcode, today });
      await returnCopy(db, lib, { barcode, today });
      return l;
    };
    await loan(g2.id, novels[0]!.barcode, '2025-02-10');
    await loan(teacher.id, essays[0]!.barcode, '2025-04-01');
    await loan(g6.id, novels[1]!.barcode, '2025-04-01');
    await loan(g6.id, essays[1]!.barcode, '2025-04-02');
    await scan(db, lib, { code: g10.barcode, today: '2025-05-05' });
    await scan(db, lib, { code: g10.barcode, today: '2025-05-05' });
    await loan(g10.id, textbook.barcode, '2025-09-02');
    await addReadingRoomUse(db, lib, { readerId: parent.id, day: '2025-09-01', items: 3 });
    await addContact(db, lib, { kind: 'event', day: '2025-10-10', quantity: 20 });
    await addContact(db, lib, { kind: 'virtual_reference', day: '2025-11-11', quantity: 2 });
    await addContact(db, lib, { kind: 'online_renewal', day: '2025-11-12', quantity: 1 });
    await saveSettings(db, lib, { regularVisitDays: 2 });

    // School B (another district): one reader, one loan.
    const libB = tn.librarianB;
    const workB = await makeWork(db, { title: 'Қазақ ертегілері', language: 'kaz' });
    const copyB = await makeCopy(db, tn.schoolB.id, workB, { acquiredOn: '2023-01-01' });
    const readerB = await makeReader(db, tn.schoolB.id, { grade: 3 });
    await issueCopy(db, libB, { readerId: readerB.id, barcode: copyB.barcode, today: '2025-03-03' });
  });

  afterAll(async () => {
    setClock(undefined);
    await database?.close();
  });

  it('counts every indicator of a library year from its records, with ratios from the sums', async () => {
    const r = await annualReport(db, lib, { year: 2025 });
    expect(r.organisation).toMatchObject({ id: tn.schoolA.id, isLibrary: true });
    expect(r.figures.readers).toEqual({ total: 5, grades_1_4: 1, grades_5_9: 1, grades_10_11: 1, teachers: 1, others: 1 });
    expect(r.figures.visits).toEqual({ total: 27, desk: 6, readingRoom: 1, events: 20, regularVisitors: 2 });
    expect(r.figures.remote).toEqual({ total: 3, onlineRenewals: 1, virtualReferences: 2 });
    expect(r.figures.loans).toMatchObject({ total: 8, main: 4, textbooks: 1, readingRoom: 3 });
    expect(r.figures.loans.byDomain).toMatchObject({ fiction: 2, socio_political: 2, textbooks: 1, other: 3 });
    expect(r.figures.loans.byLanguage).toEqual({ kk: 3, ru: 2, other: 3 });
    expect(r.figures.fund.start).toMatchObject({ total: 11, main: 10, textbooks: 1 });
    expect(r.figures.fund.end).toMatchObject({ total: 14, main: 13, textbooks: 1 });
    expect(r.figures.fund.end.byDomain).toMatchObject({ fiction: 8, socio_political: 5, textbooks: 1 });
    expect(r.figures.fund.end.byLanguage).toEqual({ kk: 9, ru: 5, other: 0 });
    expect(r.figures.acquisitions).toMatchObject({ copies: 5, sumTiyn: 10000, children: 0, byLanguage: { kk: 0, ru: 5, other: 0 } });
    expect(r.figures.acquisitions.bySource.gift).toEqual({ copies: 5, sumTiyn: 10000 });
    expect(r.figures.writeOffs).toMatchObject({ copies: 2, sumTiyn: 2000, kazakh: 2 });
    expect(r.figures.writeOffs.byReason.physical_wear).toEqual({ copies: 2, sumTiyn: 2000 });
    expect(r.indicators).toMatchObject({ readers: 5, visits: 27, loans: 8, fund: 14, mainLoans: 4, textbookLoans: 1, remoteContacts: 3 });
    expect(r.indicators.loansPerReader).toBe(8 / 5);
    expect(r.indicators.visitsPerReader).toBe(27 / 5);
    expect(r.indicators.loansPerCopy).toBe(8 / 14);
    expect(r.indicators.copiesPerReader).toBe(14 / 5);
    expect(r.indicators.renewalRate).toBe(5 / 11);
    expect(r.indicators.renewalTarget).toBe(0.2);
    // Last year: nobody came in 2024, the fund stood at 11.
    expect(r.lastYear).toMatchObject({ readers: 0, loans: 0, fund: 11, loansPerReader: null });
    // Every section is counted by its own domain now: none is pending.
    expect(r.pendingSections).toEqual([]);
    expect(PENDING_SECTIONS).toEqual({});
  });

  it('counts a school year from September to August, re-registering readers per school year', async () => {
    const r = await annualReport(db, lib, { schoolYear: '2024-2025' });
    // g2, teacher, g6, g10 came between September 2024 and August 2025; the parent came in September 2025.
    expect(r.figures.readers.total).toBe(4);
    expect(r.period).toMatchObject({ from: '2024-09-01', to: '2025-08-31' });
    const { registered } = await registerClass(db, lib, { schoolYear: '2025-2026', grade: 2 });
    expect(registered).toBe(1);
    expect((await registerClass(db, lib, { schoolYear: '2025-2026', grade: 2 })).registered).toBe(0);
    const next = await annualReport(db, lib, { schoolYear: '2025-2026' });
    expect(next.figures.readers).toMatchObject({ total: 3, grades_1_4: 1, grades_10_11: 1, others: 1 });
  });

  it('keeps the plan, the passport and the typed sections per year', async () => {
    await savePlan(db, lib, { year: 2025 }, { readers: 6, visits: 30, loans: 10, exhibitions: 4 });
    await savePassport(db, lib, { year: 2025 }, {
      areaM2: 81, readingRoomM2: 40, storageM2: 32.4, seats: 15, computers: 3, internetComputers: 2, openAccessCopies: 1340,
      texts: { websites: 'mektep1.edu.kz', socialNetworks: 'Instagram: @kitaphana1' },
    });
    const r = await annualReport(db, lib, { year: 2025 });
    expect(r.plan).toMatchObject({ readers: 6, visits: 30, loans: 10, exhibitions: 4, acquired: 0 });
    expect(r.figures.passport).toMatchObject({ areaM2: 81, storageM2: 32.4, seats: 15, computers: 3 });
    expect(r.texts.websites).toBe('mektep1.edu.kz');
    const other = await annualReport(db, lib, { year: 2024 });
    expect(other.plan.readers).toBe(0);
    expect(other.texts).toEqual({});
  });

  it('refuses bad input with translated errors and writes nothing', async () => {
    const future = await refusal(annualReport(db, lib, { year: 2027 }));
    expect(future.code).toBe('reports.future_period');
    expect(t('kk', future.code, future.params)).toContain('2027');
    expect((await refusal(annualReport(db, lib, { schoolYear: '2025-2027' }))).code).toBe('reports.bad_school_year');
    expect((await refusal(annualReport(db, lib, { year: 2025, schoolYear: '2024-2025' }))).code).toBe('reports.one_period');
    // Outside the methodologist's district: not found.
    expect((await refusal(annualReport(db, tn.methodologist, { year: 2025, organisationId: tn.schoolB.id }))).status).toBe(404);
    expect((await refusal(annualReport(db, lib, { year: 2025, organisationId: tn.schoolB.id }))).status).toBe(404);
    expect((await refusal(annualReport(db, tn.teacherA, { year: 2025 }))).status).toBe(403);
    const plans = await count(db, 'reports.plans');
    expect((await refusal(savePlan(db, lib, { year: 2025 }, { readers: -1 }))).code).toBe('reports.bad_plan_value');
    expect((await refusal(savePlan(db, lib, { year: 2025 }, { visits: 5, nonsense: 3 } as never))).code).toBe('reports.unknown_indicator');
    expect(await count(db, 'reports.plans')).toBe(plans);
    expect((await refusal(closePeriod(db, lib, { year: 2026 }))).code).toBe('reports.period_not_over');
    expect((await refusal(addContact(db, lib, { kind: 'event', day: '2026-05-01', quantity: 3 }))).code).toBe('reports.future_date');
  });

  it('sums a district, a region and the republic from their libraries, flags who has not closed, ratios from sums', async () => {
    const region = await annualReport(db, tn.admin, { year: 2025, organisationId: tn.region.id });
    const a = await annualReport(db, lib, { year: 2025 });
    const b = await annualReport(db, tn.librarianB, { year: 2025 });
    expect(region.indicators.readers).toBe(a.indicators.readers + b.indicators.readers);
    expect(region.indicators.loans).toBe(a.indicators.loans + b.indicators.loans);
    expect(region.indicators.fund).toBe(a.indicators.fund + b.indicators.fund);
    expect(region.indicators.loansPerReader).toBe((a.indicators.loans + b.indicators.loans) / (a.indicators.readers + b.indicators.readers));
    expect(region.indicators.loansPerReader).not.toBe(((a.indicators.loansPerReader ?? 0) + (b.indicators.loansPerReader ?? 0)) / 2);
    expect(region.children.map((c) => c.organisationId).sort()).toEqual([tn.district.id, tn.otherDistrict.id].sort());
    expect(region.children.every((c) => c.closed === false && c.libraries === 1)).toBe(true);
    expect(region.libraries).toBe(2);
    // The methodologist's own district: the sum of its school, which is listed below it, and drills down.
    const district = await annualReport(db, tn.methodologist, { year: 2025 });
    expect(district.children).toEqual([expect.objectContaining({ organisationId: tn.schoolA.id, closed: false, indicators: a.indicators })]);
    const school = await annualReport(db, tn.methodologist, { year: 2025, organisationId: tn.schoolA.id });
    expect(school.indicators).toEqual(a.indicators);
    const republic = await annualReport(db, tn.admin, { year: 2025, organisationId: tn.republic.id });
    expect(republic.indicators).toEqual(region.indicators);
  });

  it('closes a year as kept aggregates that later changes do not move, and opens it again', async () => {
    const before = await annualReport(db, lib, { year: 2025 });
    await closePeriod(db, lib, { year: 2025 });
    expect((await refusal(closePeriod(db, lib, { year: 2025 }))).code).toBe('reports.period_closed');
    // A late entry for 2025 and a reader removed by the retention of children's data change nothing now.
    const extra = await makeReader(db, tn.schoolA.id, { grade: 4 });
    const work = await makeWork(db, { title: 'Кеш', language: 'kaz' });
    const copy = await makeCopy(db, tn.schoolA.id, work, { acquiredOn: '2025-01-01' });
    await issueCopy(db, lib, { readerId: extra.id, barcode: copy.barcode, today: '2025-12-20' });
    const closed = await annualReport(db, lib, { year: 2025 });
    expect(closed.closed).toBe(true);
    expect(closed.indicators).toEqual(before.indicators);
    const region = await annualReport(db, tn.admin, { year: 2025, organisationId: tn.region.id });
    expect(region.children.find((c) => c.organisationId === tn.district.id)).toMatchObject({ closed: true, librariesClosed: 1 });
    expect(region.closed).toBe(false);
    await reopenPeriod(db, lib, { year: 2025 });
    const live = await annualReport(db, lib, { year: 2025 });
    expect(live.indicators.loans).toBe(before.indicators.loans + 1);
    expect(live.indicators.readers).toBe(before.indicators.readers + 1);
    await closePeriod(db, lib, { year: 2025 });
    const history = await reportHistory(db, lib, { year: 2025, years: 3 });
    expect(history.map((h) => h.period)).toEqual(['2023', '2024', '2025']);
    expect(history[2]).toMatchObject({ closed: true, indicators: { loans: live.indicators.loans } });
  });

  it("takes a school's closed report as a signed package once, and refuses unknown or altered ones", async () => {
    const pkg = await exportAnnualPackage(db, lib, { year: 2025 });
    expect(pkg.payload.format).toBe('kitaphana.reclist-stats/2');
    expect(pkg.payload.annual?.period).toBe('2025');
    const { publicKey } = await ownPublicKey(db, lib);
    const file = Buffer.from(JSON.stringify(pkg));
    // Untrusted yet: refused.
    expect((await refusal(importAnnualPackage(db, tn.methodologist, file))).code).toBe('reclist.package_untrusted');
    await trustSchoolKey(db, tn.methodologist, tn.schoolA.id, publicKey);
    expect((await importAnnualPackage(db, tn.methodologist, file)).status).toBe('imported');
    expect((await importAnnualPackage(db, tn.methodologist, file)).status).toBe('unchanged');
    const row = await db.selectFrom('reports.closed_periods').select(['origin']).where('organisation_id', '=', tn.schoolA.id).where('period', '=', '2025').executeTakeFirstOrThrow();
    expect(row.origin).toBe('package');
    const district = await annualReport(db, tn.methodologist, { year: 2025 });
    expect(district.children[0]).toMatchObject({ closed: true });
    const imported = await count(db, 'reclist.imported_packages');
    // One figure changed after signing: the signature no longer holds.
    const altered = structuredClone(pkg);
    (altered.payload.annual!.figures as { loans: { total: number } }).loans.total += 100;
    expect((await refusal(importAnnualPackage(db, tn.methodologist, Buffer.from(JSON.stringify(altered))))).code).toBe('reclist.package_bad_signature');
    const unknown = structuredClone(pkg);
    unknown.payload.schoolCode = 'NOBODY';
    expect((await refusal(importAnnualPackage(db, tn.methodologist, Buffer.from(JSON.stringify(unknown))))).code).toBe('reclist.package_unknown_school');
    expect(await count(db, 'reclist.imported_packages')).toBe(imported);
    expect((await annualReport(db, lib, { year: 2025 })).indicators.loans).toBe(district.indicators.loans);
  });

  it('shows who reported against the schedule and who is late', async () => {
    await setSchedule(db, tn.admin, { year: 2025, organisationId: tn.region.id }, '2026-01-15');
    const s = await scheduleStatus(db, tn.admin, { year: 2025, organisationId: tn.region.id });
    expect(s.dueOn).toBe('2026-01-15');
    const a = s.libraries.find((l) => l.organisationId === tn.schoolA.id)!;
    const b = s.libraries.find((l) => l.organisationId === tn.schoolB.id)!;
    expect(a.status).toMatch(/reported/);
    expect(b.status).toBe('late');
    expect(s.late).toBe(1);
    expect((await refusal(setSchedule(db, tn.methodologist, { year: 2025 }, '2025-06-01'))).code).toBe('reports.due_before_end');
    expect((await refusal(scheduleStatus(db, lib, { year: 2025 }))).status).toBe(403);
  });

  it('prints the report in Kazakh and Russian as PDF and XLSX', async () => {
    const r = await annualReport(db, tn.methodologist, { year: 2025 });
    const pdf = await reportPdf(r);
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    const xlsx = await reportXlsx(r);
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx as never);
    const texts: string[] = [];
    book.worksheets[0]!.eachRow((row) => texts.push(String(row.getCell(1).value ?? '')));
    expect(texts).toContain('І. КІТАПХАНАНЫҢ НЕГІЗГІ БАҚЫЛАУ КӨРСЕТКІШТЕРІ / I. ОСНОВНЫЕ КОНТРОЛЬНЫЕ ПОКАЗАТЕЛИ БИБЛИОТЕКИ');
    const loansRow = book.worksheets[0]!.getRows(1, 200)!.find((row) => String(row.getCell(1).value).startsWith('Оқу қарқыны'))!;
    expect(loansRow.getCell(3).value).toBe((r.indicators.loansPerReader ?? 0).toFixed(1).replace('.', ','));
  });

  it("adds another area's counting function over the open libraries of the area and of each one below it", async () => {
    // A stand-in for an area's own counting function: one digitised document per library asked about.
    const section = {
      key: 'digitisation' as const,
      count: async (_db: unknown, ids: number[]) => ({ digitisation: { digitised: ids.length, uses: 10 * ids.length, pages: 0, addedInPeriod: 0, views: 0, downloads: 0 } }),
    } satisfies GroupSection;
    GROUP_SECTIONS.push(section);
    try {
      const region = await annualReport(db, tn.admin, { year: 2025, organisationId: tn.region.id });
      // School A closed 2025 before this section existed: its kept figures stand; school B is open and counted.
      expect(region.figures.digitisation).toMatchObject({ digitised: 1, uses: 10 });
      const b = await annualReport(db, tn.librarianB, { year: 2025 });
      expect(b.figures.digitisation.digitised).toBe(1);
      const a = await annualReport(db, lib, { year: 2025 });
      expect(a.figures.digitisation.digitised).toBe(0);
    } finally {
      GROUP_SECTIONS.splice(GROUP_SECTIONS.indexOf(section), 1);
    }
  });
  it('counts events, exhibitions, clubs, references, periodicals, digitised documents and the reading movement from their own domains', async () => {
    const A = tn.schoolA.id;
    await recordEvent(db, lib, { heldOn: '2026-01-20', title: 'Абай оқулары', form: 'literary_evening', pupils: 25, teachers: 3, parents: 7 });
    await recordEvent(db, lib, { heldOn: '2026-02-12', title: 'Кітап сайысы', form: 'quiz', pupils: 15, others: 2 });
    await recordEvent(db, lib, { heldOn: '2025-12-20', title: 'Өткен жылғы кеш', form: 'quiz', pupils: 40 });
    await recordEvent(db, tn.librarianB, { heldOn: '2026-02-01', title: 'Ертегі сағаты', form: 'literary_hour', pupils: 10, parents: 4 });
    await createExhibition(db, lib, { title: 'Қазақ ертегілері', startsOn: '2026-02-01', endsOn: '2026-02-28' });
    const { id: pupil } = await makeReader(db, A, { grade: 5, classLetter: 'А' });
    const club = await createClub(db, lib, { name: 'Жас оқырман' });
    const member = await addMember(db, lib, club, pupil, '2026-01-10');
    await recordSession(db, lib, club, { heldOn: '2026-02-05', topic: 'Ертегілер', present: [member] });
    for (const kind of ['thematic', 'thematic', 'address', 'clarifying', 'factographic'] as const) {
      await logRequest(db, lib, { askedOn: '2026-02-10', kind, question: 'Абай туралы', readerGroup: '5-9', language: 'kk', virtual: kind === 'address' });
    }
    const ulan = await addPeriodical(db, lib, { title: 'Ұлан', language: 'kk', forChildren: true });
    await subscribe(db, lib, ulan, { year: 2026, half: 1, issuesExpected: 26, priceTiyn: 1_200_000 });
    await checkInIssue(db, lib, ulan, { label: '№ 5', receivedOn: '2026-02-03' });
    const doc = newPdf();
    doc.text('Ауыл тарихы');
    const pdf = await pdfToBuffer(doc);
    const stored = await storeDocument(db, lib, { title: 'Ауыл тарихы', kind: 'book', access: 'readers' } as never, {
      stream: (async function* () {
        yield pdf;
      })(),
      filename: 'auyl.pdf',
      truncated: () => false,
    });
    await openDocument(db, lib, stored.id, 'view');
    await openDocument(db, lib, stored.id, 'view');
    await openDocument(db, lib, stored.id, 'download');
    await recordReadingRoom(db, lib, { readerId: pupil, title: 'Менің атым Қожа', readOn: '2026-02-15' });
    const pupilsA = await sql<{ n: number }>`select count(*)::int as n from readers.readers where organisation_id = ${A} and kind = 'student' and status = 'active'`.execute(db);
    const parentsA = await sql<{ n: number }>`select count(*)::int as n from readers.readers where organisation_id = ${A} and kind = 'parent' and status = 'active'`.execute(db);

    const app = await testApp(database);
    const client = new ApiClient(app);
    let res;
    try {
      expect((await client.login('librarian-a')).status).toBe(200);
      res = await client.get('/api/reports/annual?year=2026');
    } finally {
      await app.close();
    }
    expect(res.status).toBe(200);
    const f = res.body.figures;
    expect(f.events).toMatchObject({ events: 2, participants: 52, pupils: 40, teachers: 3, parents: 7, others: 2, exhibitions: 1, clubs: 1, clubMembers: 1, clubSessions: 1 });
    expect(f.reference).toMatchObject({ total: 5, thematic: 2, address: 1, clarifying: 1, factual: 1, virtual: 1 });
    expect(f.periodicals).toMatchObject({ titles: 1, kazakhTitles: 1, childrenTitles: 1, copies: 1, sumTiyn: 1_200_000 });
    expect(f.digitisation).toMatchObject({ digitised: 1, pages: 1, views: 2, downloads: 1, uses: 3 });
    expect(f.readingMovement).toMatchObject({ pupils: pupilsA.rows[0]!.n, activePupils: 1, parents: parentsA.rows[0]!.n, activeParents: 0, participants: 1 });
    expect(res.body.indicators).toMatchObject({ events: 2, participants: 52, exhibitions: 1 });
    expect(res.body.indicators.activePupilShare).toBe(1 / pupilsA.rows[0]!.n);
    expect(res.body.pendingSections).toEqual([]);

    // The district of school A is school A; the region sums both schools' events leaf by leaf.
    const district = await annualReport(db, tn.admin, { year: 2026, organisationId: tn.district.id });
    expect(district.figures.events).toEqual(res.body.figures.events);
    const region = await annualReport(db, tn.admin, { year: 2026, organisationId: tn.region.id });
    expect(region.figures.events).toMatchObject({ events: 3, participants: 66, pupils: 50, parents: 11 });
    expect(region.figures.reference.total).toBe(5);
    expect(region.children.map((c) => c.indicators.events).sort()).toEqual([1, 2]);

    // School A's 2025 stands as its package sent it, before its December event was entered.
    const kept = await annualReport(db, lib, { year: 2025 });
    expect(kept.closed).toBe(true);
    expect(kept.figures.events.events).toBe(0);
    // Closing a school year keeps these sections with the library's own figures: a later entry does not move them.
    await recordEvent(db, lib, { heldOn: '2025-05-20', title: 'Жыл соңындағы кеш', form: 'literary_evening', pupils: 12, parents: 2 });
    await closePeriod(db, lib, { schoolYear: '2024-2025' });
    await recordEvent(db, lib, { heldOn: '2025-05-21', title: 'Кешіккен жазба', form: 'quiz', pupils: 5 });
    const closedYear = await annualReport(db, lib, { schoolYear: '2024-2025' });
    expect(closedYear.closed).toBe(true);
    expect(closedYear.figures.events).toMatchObject({ events: 1, participants: 14, pupils: 12, parents: 2 });
    const keptRow = await db.selectFrom('reports.closed_periods').select('figures').where('organisation_id', '=', A).where('period', '=', closedYear.period.key).executeTakeFirstOrThrow();
    expect((typeof keptRow.figures === 'string' ? JSON.parse(keptRow.figures) : keptRow.figures).events.pupils).toBe(12);

    // The documents print these sections.
    const report = await annualReport(db, lib, { year: 2026 });
    const xlsx = await reportXlsx(report);
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx as never);
    const rows = book.worksheets[0]!.getRows(1, 400)!.map((row) => [String(row.getCell(1).value ?? ''), String(row.getCell(2).value ?? ''), String(row.getCell(3).value ?? '')]);
    const cell = (start: string) => rows.find((row) => row[0].startsWith(start));
    expect(cell('Анықтамалар саны')).toBeDefined();
    expect(cell('Анықтамалар саны')!.slice(1)).toContain('5');
    expect(cell('Сандық көшірмелерді қарау')!.slice(1)).toContain('2');
    expect((await reportPdf(report)).subarray(0, 4).toString()).toBe('%PDF');
  });

  it("counts a loan on the library's own day: 01:30 in Almaty on 1 January is the new year", async () => {
    const lib2 = await createOrganisation(db, null, { parentId: tn.district.id, kind: 'school', name: 'Түнгі мектеп' });
    const librarian = { ...lib, organisationId: lib2.id, orgPath: lib2.path };
    const copy = await makeCopy(db, lib2.id, await makeWork(db, { title: 'Түн ортасы' }), { acquiredOn: '2020-01-01' });
    const reader = await makeReader(db, lib2.id, { grade: 7 });
    // 2021-12-31 20:30 UTC is 2022-01-01 01:30 in Almaty (UTC+5)
    await db.insertInto('circulation.loans').values({ organisation_id: lib2.id, copy_id: copy.id, reader_id: reader.id, issued_at: new Date('2021-12-31T20:30:00Z'), due_on: '2022-01-15', returned_at: new Date('2022-01-10T05:00:00Z') }).execute();
    expect((await annualReport(db, librarian, { year: 2021 })).figures.loans.main).toBe(0);
    expect((await annualReport(db, librarian, { year: 2022 })).figures.loans.main).toBe(1);
  });
});
