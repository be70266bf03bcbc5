/**
 * The demo's children's data: pupils who left (some of them from the demo teacher's class, some
 * long ago and waiting to be anonymised), the consents and legal basis on record, the demo family's
 * contact consent and one open request from the parent — so that every privacy rule can be seen.
 */
import { sql } from 'kysely';
import type { Executor } from '../db/executor.js';
import { insertReader, issueReaderNumbers } from '../readers/readers.js';
import { makePerson, mobilePhone } from './names.js';
import type { Random } from './random.js';
import { schoolYearStart } from './school-readers.js';

/** The school's legal basis for serving its pupils without a separate consent. */
export const SERVICE_BASIS = 'Мектеп кітапханасы оқушыларға білім беру процесі аясында қызмет көрсетеді: білім беру ұйымының заңмен жүктелген міндеті';

export async function seedPrivacy(
  trx: Executor,
  rng: Random,
  options: { organisationId: number; librarianId: number; demoClass: { grade: number; letter: string }; familyReaderId: number; parentUserId: number; today: string },
): Promise<{ leavers: number }> {
  const { organisationId, today } = options;
  const yearStart = schoolYearStart(today);
  // who left: four of the demo class (moved away last year and this autumn), and school-leavers of past years
  const leavers: { grade: number; letter: string; leftOn: string; registered: number }[] = [
    { grade: options.demoClass.grade, letter: options.demoClass.letter, leftOn: `${yearStart}-06-10`, registered: yearStart - options.demoClass.grade + 1 },
    { grade: options.demoClass.grade, letter: options.demoClass.letter, leftOn: `${yearStart}-08-28`, registered: yearStart - options.demoClass.grade + 1 },
    { grade: options.demoClass.grade - 1, letter: options.demoClass.letter, leftOn: `${yearStart - 1}-05-25`, registered: yearStart - options.demoClass.grade + 1 },
    { grade: options.demoClass.grade - 2, letter: options.demoClass.letter, leftOn: `${yearStart - 2}-05-25`, registered: yearStart - options.demoClass.grade + 1 },
  ];
  for (const year of [2019, 2021, yearStart - 1]) {
    for (let i = 0; i < 4; i++) leavers.push({ grade: 11, letter: i % 2 ? 'А' : 'Ә', leftOn: `${year}-05-25`, registered: year - 10 });
  }
  for (const l of leavers) {
    const person = makePerson(rng, { russianShare: 0.08, child: true });
    const [numbers] = await issueReaderNumbers(trx, organisationId, 1, l.registered);
    await insertReader(trx, organisationId, {
      kind: 'student',
      lastName: person.lastName,
      firstName: person.firstName,
      middleName: person.middleName,
      grade: l.grade,
      classLetter: l.letter,
      birthDate: `${Number(l.leftOn.slice(0, 4)) - 7 - l.grade}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
      status: 'left',
      leftOn: l.leftOn,
      ...numbers!,
    });
  }
  const givenOn = `${yearStart}-09-02`;
  // library service rests on the school's legal basis for every pupil
  await sql`
    INSERT INTO readers.consents (organisation_id, reader_id, scope, basis, given_on, note, recorded_by)
    SELECT organisation_id, id, 'service', 'legal_basis', ${givenOn}::date, ${SERVICE_BASIS}, ${options.librarianId}
      FROM readers.readers WHERE organisation_id = ${organisationId} AND kind = 'student' AND status = 'active'`.execute(trx);
  // most families of the demo class agreed to the name in the reading standings; a few did not
  const classmates = await trx
    .selectFrom('readers.readers')
    .select(['id', 'last_name'])
    .where('organisation_id', '=', organisationId)
    .where('grade', '=', options.demoClass.grade)
    .where('class_letter', '=', options.demoClass.letter)
    .where('status', '=', 'active')
    .orderBy('id')
    .execute();
  const agreed = classmates.filter((c, i) => c.id === options.familyReaderId || i % 5 !== 3);
  if (agreed.length) {
    await trx
      .insertInto('readers.consents')
      .values(agreed.map((c) => ({ organisation_id: organisationId, reader_id: c.id, scope: 'public_name' as const, given_by: `${c.last_name} (ата-анасы)`, form: 'paper' as const, given_on: givenOn, recorded_by: options.librarianId })))
      .execute();
  }
  // the demo family also agreed to be reminded by phone: only then is the parent's phone kept
  const parent = await trx.selectFrom('org.users').select('full_name').where('id', '=', options.parentUserId).executeTakeFirstOrThrow();
  await trx
    .insertInto('readers.consents')
    .values({ organisation_id: organisationId, reader_id: options.familyReaderId, scope: 'contact', given_by: parent.full_name, form: 'paper', given_on: givenOn, recorded_by: options.librarianId })
    .execute();
  await trx.updateTable('readers.readers').set({ parent_name: parent.full_name, parent_phone: mobilePhone(rng) }).where('id', '=', options.familyReaderId).execute();
  await trx
    .insertInto('readers.requests')
    .values({ organisation_id: organisationId, reader_id: options.familyReaderId, kind: 'correction', message: 'Туған күні қате жазылған: дұрысы — 14 наурыз', requested_by: options.parentUserId })
    .execute();
  return { leavers: leavers.length };
}
