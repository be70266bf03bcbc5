import { performance } from 'node:perf_hooks';
import type { Actor } from '../auth/actor.js';
import { localDate } from '../shared/library-time.js';
import type { Db } from '../db/connect.js';
import type { Executor } from '../db/executor.js';
import { createOrganisation } from '../org/organisations.js';
import type { Role } from '../org/schema.js';
import { createUser } from '../org/users.js';
import { runMatching } from '../reclist/matching.js';
import { importSampleList } from '../reclist/versions.js';
import { catalogueTextbooks, catalogueWorks, type DemoWork } from './catalogue.js';
import { bookDemoFund } from './fund-books.js';
import { simulateYear, type HistorySummary } from './history.js';
import { seedReports } from './reports.js';
import { stockTextbookFund } from './textbook-fund.js';
import { finishCataloguing } from './cataloguing.js';
import { seedEvents } from './events.js';
import { seedReference } from './reference.js';
import { seedPrivacy } from './privacy.js';
import { Random } from './random.js';
import { seedReading, type ReadingDemoSummary } from './reading.js';
import { seedReservations, type ReservationsDemoSummary } from './reservations.js';
import {
  fullSchoolPlan,
  neighbourSchoolPlan,
  registerReaders,
  smallSchoolPlan,
  type DemoReader,
  type SchoolPlan,
} from './school-readers.js';

/**
 * The demo school library: a real-looking school of Semey with its catalogue, fund,
 * readers and a year of loans, so that every screen can be tried on the first start.
 */

export const DEMO_PASSWORD = 'demo12345';

export const DEMO_LOGINS: { login: string; role: string }[] = [
  { login: 'admin', role: 'admin' },
  { login: 'librarian', role: 'librarian' },
  { login: 'teacher', role: 'teacher' },
  { login: 'student', role: 'student' },
  { login: 'parent', role: 'parent' },
  { login: 'methodologist', role: 'methodologist' },
  { login: 'librarian12', role: 'librarian' },
  { login: 'librarian25', role: 'librarian' },
];

export const DEMO_SCHOOL_NAME = '№ 7 Абай атындағы мектеп-гимназия';
/** The class of the demo teacher, student and parent. */
export const DEMO_CLASS = { grade: 5, letter: 'Ә' } as const;

export interface DemoOptions {
  /** 'full' (default): a school of ~1,400 readers; 'small': a few dozen, for browser tests. */
  size?: 'full' | 'small';
  /** The day the demo's year of loans ends; today by default. */
  today?: string;
}

export interface DemoSummary {
  schoolId: number;
  works: number;
  /** Copies of the main funds (the textbook fund counts by title, see below). */
  copies: number;
  /** Textbooks of the demo school's August delivery, and how many of them the classes hold. */
  textbooksReceived: number;
  textbooksIssued: number;
  readers: number;
  loans: number;
  openLoans: number;
  overdueLoans: number;
  visits: number;
  sampleListLoaded: boolean;
  /** The recommended list's sample and what the matching found for it in the demo catalogue. */
  recommendedList: { year: number; titles: number; matchedTitles: number; confirmed: number; pending: number };
  /** The reading movement: records derived from the loans, the challenge, families, the draw. */
  reading: ReadingDemoSummary;
  /** Reservations of titles on loan: active ones, a copy on the hold shelf (src/demo/reservations.ts). */
  reservations: ReservationsDemoSummary;
  milliseconds: number;
}

interface SizeProfile {
  plan: (rng: Random) => SchoolPlan;
  works?: number;
  copiesPerWork: [number, number];
  loans: number;
  neighbourCopies: number;
  neighbourLoans: number;
  /** Older titles of the fund catalogued in bulk, for a main fund of a real school's size (~14,000 books). */
  oldTitles: number;
  neighbourOldTitles: number;
}

const SIZES: Record<'full' | 'small', SizeProfile> = {
  full: { plan: fullSchoolPlan, copiesPerWork: [4, 8], loans: 9_500, neighbourCopies: 40, neighbourLoans: 90, oldTitles: 2_000, neighbourOldTitles: 120 },
  small: { plan: () => smallSchoolPlan(), works: 60, copiesPerWork: [1, 3], loans: 250, neighbourCopies: 12, neighbourLoans: 8, oldTitles: 0, neighbourOldTitles: 0 },
};

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom('org.organisations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0) === 0;
}

/**
 * Loads the demo library into an empty database, in one transaction. Returns null and
 * changes nothing when the database already holds organisations: the demo never mixes
 * with a library's real data.
 */
export async function loadDemoLibrary(db: Db, options: DemoOptions = {}): Promise<DemoSummary | null> {
  if (!(await isDatabaseEmpty(db))) return null;
  const started = performance.now();
  const profile = SIZES[options.size ?? 'full'];
  const today = options.today ?? localDate();
  const summary = await db.transaction().execute((trx) => seedDemo(trx, profile, today));
  return { ...summary, milliseconds: Math.round(performance.now() - started) };
}

async function seedDemo(trx: Executor, profile: SizeProfile, today: string) {
  const rng = new Random(20240907);
  const orgs = await createOrganisations(trx);
  const users = await createStaff(trx, orgs);

  const plan = profile.plan(rng);
  const readers = await registerReaders(trx, orgs.school.id, rng, plan, today);
  const classmates = readers.filter((r) => r.grade === DEMO_CLASS.grade && r.letter === DEMO_CLASS.letter);
  const [studentReader, ...others] = classmates;
  const parent = await createFamily(trx, orgs.school, studentReader!.id);

  const works = await catalogueWorks(trx, users.librarian, rng, profile.works);
  // a few list titles are kept only by the neighbouring schools (works.json, "neighbours": "only")
  const shelved = works.filter((w) => w.neighbours !== 'only');
  // the main fund on the books: an opening balance three years ago, then receipts and write-off acts
  const copyIds = await bookDemoFund(trx, users.librarian, rng, shelved, today, {
    copiesPerWork: profile.copiesPerWork, oldTitles: profile.oldTitles, yearsOfDocuments: 3,
  });
  const textbooks = await textbooksFor(trx, users.librarian, rng, plan);
  const textbookFund = await stockTextbookFund(trx, users.librarian, rng, plan, textbooks, today);
  const history = await simulateYear(trx, rng, {
    organisationId: orgs.school.id,
    librarianId: users.librarian.userId,
    readers,
    copyIds,
    today,
    loans: profile.loans,
    debtorIds: [studentReader!.id, ...others.slice(0, 2).map((r) => r.id)],
    currentReaderIds: [studentReader!.id, ...others.slice(2, 4).map((r) => r.id)],
  });
  await setAsideSomeCopies(trx, orgs.school.id, rng, Math.ceil(copyIds.length * 0.02));
  const privacy = await seedPrivacy(trx, rng, {
    organisationId: orgs.school.id,
    librarianId: users.librarian.userId,
    demoClass: DEMO_CLASS,
    familyReaderId: studentReader!.id,
    parentUserId: parent.userId,
    today,
  });
  await finishCataloguing(trx, orgs.school.id, users.librarian, rng, today, DEMO_CLASS);

  let neighbours: HistorySummary & { readers: number; copies: number } = { loans: 0, open: 0, overdue: 0, visits: 0, readers: 0, copies: 0 };
  for (const [index, school] of orgs.neighbours.entries()) {
    const result = await stockNeighbour(trx, rng, school.id, users.neighbourLibrarians[index]!, works, profile, today);
    neighbours = sumUp(neighbours, result);
  }
  await seedReports(trx, rng, {
    schoolId: orgs.school.id,
    neighbourIds: orgs.neighbours.map((n) => n.id),
    districtId: orgs.district.id,
    librarian: users.librarian,
    methodologist: users.methodologist,
    today,
  });
  const { loaded: sampleListLoaded, ...recommendedList } = await matchSampleList(trx, users.admin);
  const reading = await seedReading(trx, rng, {
    schoolId: orgs.school.id,
    librarian: users.librarian,
    admin: users.admin,
    studentReaderId: studentReader!.id,
    classGrade: DEMO_CLASS.grade,
    classLetter: DEMO_CLASS.letter,
    today,
  });
  await seedEvents(trx, rng, {
    organisationId: orgs.school.id,
    librarian: users.librarian,
    admin: users.admin,
    readerIds: readers.filter((r) => r.kind === 'student' && r.grade !== null && r.grade >= 6 && r.grade <= 9).map((r) => r.id),
    today,
  });
  await seedReference(trx, rng, users.librarian, today);
  const reservations = await seedReservations(trx, rng, { schoolId: orgs.school.id, librarian: users.librarian, studentReaderId: studentReader!.id, today, workIds: shelved.map((w) => w.id) });
  return {
    schoolId: orgs.school.id,
    // the demo's titles, its textbooks and the older titles of the fund
    works: Number((await trx.selectFrom('catalog.works').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    copies: copyIds.length + neighbours.copies,
    textbooksReceived: textbookFund.received,
    textbooksIssued: textbookFund.issued,
    readers: readers.length + neighbours.readers + reading.readersAdded + privacy.leavers,
    loans: history.loans + neighbours.loans + reservations.loans,
    openLoans: history.open + neighbours.open + reservations.loans - reservations.returns,
    overdueLoans: history.overdue + neighbours.overdue,
    visits: history.visits + neighbours.visits,
    sampleListLoaded,
    recommendedList,
    reading,
    reservations,
  };
}

type Org = { id: number; path: string };

async function createOrganisations(trx: Executor) {
  const republic = await createOrganisation(trx, null, {
    parentId: null, kind: 'republic', name: 'Қазақстан Республикасы', nameRu: 'Республика Казахстан', nameEn: 'Republic of Kazakhstan',
  });
  const region = await createOrganisation(trx, null, {
    parentId: republic.id, kind: 'region', name: 'Абай облысы', nameRu: 'Абайская область', nameEn: 'Abai Region',
  });
  const district = await createOrganisation(trx, null, {
    parentId: region.id, kind: 'district', name: 'Семей қаласы', nameRu: 'город Семей', nameEn: 'Semey',
  });
  const school = await createOrganisation(trx, null, {
    parentId: district.id, kind: 'school', name: DEMO_SCHOOL_NAME, nameRu: 'Школа-гимназия № 7 имени Абая', nameEn: 'Abai School-Gymnasium No. 7',
  });
  const neighbours = [
    await createOrganisation(trx, null, {
      parentId: district.id, kind: 'school', name: '№ 12 жалпы білім беретін мектеп', nameRu: 'Общеобразовательная школа № 12', nameEn: 'Secondary School No. 12',
    }),
    await createOrganisation(trx, null, {
      parentId: district.id, kind: 'school', name: '№ 25 жалпы білім беретін мектеп', nameRu: 'Общеобразовательная школа № 25', nameEn: 'Secondary School No. 25',
    }),
  ];
  return { republic, region, district, school, neighbours };
}

async function createUserAs(trx: Executor, org: Org, login: string, role: Role, fullName: string, extra: Partial<Actor> = {}): Promise<Actor> {
  const actor = {
    login,
    fullName,
    role,
    organisationId: org.id,
    orgPath: org.path,
    classGrade: extra.classGrade ?? null,
    classLetter: extra.classLetter ?? null,
    readerId: extra.readerId ?? null,
    locale: 'kk' as const,
  };
  const userId = await createUser(trx, null, { ...actor, password: DEMO_PASSWORD, demoPassword: true });
  return { userId, ...actor };
}

async function createStaff(trx: Executor, orgs: Awaited<ReturnType<typeof createOrganisations>>) {
  return {
    admin: await createUserAs(trx, orgs.republic, 'admin', 'admin', 'Жүйе әкімшісі'),
    methodologist: await createUserAs(trx, orgs.district, 'methodologist', 'methodologist', 'Динара Қасымова'),
    librarian: await createUserAs(trx, orgs.school, 'librarian', 'librarian', 'Сәуле Ахметова'),
    teacher: await createUserAs(trx, orgs.school, 'teacher', 'teacher', 'Айгүл Оспанова', {
      classGrade: DEMO_CLASS.grade,
      classLetter: DEMO_CLASS.letter,
    }),
    neighbourLibrarians: [
      await createUserAs(trx, orgs.neighbours[0]!, 'librarian12', 'librarian', 'Гүлмира Бейсенова'),
      await createUserAs(trx, orgs.neighbours[1]!, 'librarian25', 'librarian', 'Ольга Морозова'),
    ],
  };
}

/** The demo student and their parent share the student's reader record. */
async function createFamily(trx: Executor, school: Org, readerId: number) {
  const reader = await trx
    .selectFrom('readers.readers')
    .select(['last_name', 'first_name', 'parent_name'])
    .where('id', '=', readerId)
    .executeTakeFirstOrThrow();
  await createUserAs(trx, school, 'student', 'student', `${reader.first_name} ${reader.last_name}`, { readerId });
  return createUserAs(trx, school, 'parent', 'parent', reader.parent_name ?? `${reader.last_name} (ата-анасы)`, { readerId });
}

function textbooksFor(trx: Executor, actor: Actor, rng: Random, plan: SchoolPlan) {
  const taught = new Set(plan.classes.map((c) => `${c.grade}|${c.language}`));
  return catalogueTextbooks(trx, actor, rng, (grade, language) => taught.has(`${grade}|${language}`));
}

/** A few copies are being repaired and a few were lost by readers (and paid for). */
async function setAsideSomeCopies(trx: Executor, organisationId: number, rng: Random, count: number) {
  const available = await trx
    .selectFrom('fund.copies')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('fund', '=', 'main')
    .where('status', '=', 'available')
    .orderBy('id')
    .execute();
  const chosen = new Set<number>();
  while (chosen.size < Math.min(count, available.length)) chosen.add(rng.pick(available).id);
  const ids = [...chosen];
  const half = Math.ceil(ids.length / 2);
  if (ids.length) {
    await trx.updateTable('fund.copies').set({ status: 'in_repair', note: 'Түптеуі жөнделуде' }).where('id', 'in', ids.slice(0, half)).execute();
  }
  if (ids.length > half) {
    await trx.updateTable('fund.copies').set({ status: 'lost', note: 'Оқырман жоғалтты, орнына өтемақы алынды' }).where('id', 'in', ids.slice(half)).execute();
  }
}

/** A smaller school of the district: some of the same titles, a few classes, a thinner year. */
async function stockNeighbour(trx: Executor, rng: Random, schoolId: number, librarian: Actor, works: DemoWork[], profile: SizeProfile, today: string) {
  // the titles works.json gives the neighbours, then a random choice of the catalogue
  const chosen: DemoWork[] = works.filter((w) => w.neighbours);
  let copies = chosen.length * 2;
  while (copies < profile.neighbourCopies) {
    const work = rng.pick(works);
    if (chosen.includes(work)) continue;
    chosen.push(work);
    copies += 2; // two copies each on average: [1, 3] below
  }
  const copyIds = await bookDemoFund(trx, librarian, rng, chosen.map((w) => ({ ...w, popularity: 1 })), today, {
    copiesPerWork: [1, 3], oldTitles: profile.neighbourOldTitles, yearsOfDocuments: 2,
  });
  const readers: DemoReader[] = await registerReaders(trx, schoolId, rng, neighbourSchoolPlan(rng, profile === SIZES.small), today);
  const history = await simulateYear(trx, rng, { organisationId: schoolId, librarianId: librarian.userId, readers, copyIds, today, loans: profile.neighbourLoans });
  return { ...history, readers: readers.length, copies: copyIds.length };
}

function sumUp<T extends Record<string, number>>(a: T, b: T): T {
  return Object.fromEntries(Object.keys(a).map((k) => [k, a[k]! + b[k]!])) as T;
}

/**
 * The recommended list's sample (40 titles of 2025) and its matching to the demo catalogue, in
 * the demo's transaction: coverage, the purchase plan and the district monitoring show real
 * figures at the first start, and the review queue holds a few uncertain matches to decide.
 */
async function matchSampleList(trx: Executor, admin: Actor) {
  const loaded = (await importSampleList(trx, admin)) !== null;
  const { year, titles, matchedTitles, confirmed, pending } = await runMatching(trx, admin);
  return { loaded, year, titles, matchedTitles, confirmed, pending };
}
