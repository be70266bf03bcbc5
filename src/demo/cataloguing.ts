import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import type { Executor } from '../db/executor.js';
import { recordRaid } from '../textbooks/sets.js';
import type { Random } from './random.js';
import { schoolYearStart } from './school-readers.js';

/** UDC numbers of the demo's BBK sections, so every record carries both indexes as a school catalogue does. */
const UDC_BY_BBK: [string, string][] = [
  ['84(5Каз)', '821.512.122'],
  ['84(2Рос', '821.161.1'],
  ['84', '821'],
  ['83.3', '821.512.122.09'],
  ['82.3', '398.2(574)'],
  ['81.2Каз', '811.512.122'],
  ['81.2Рус', '811.161.1'],
  ['81.2', '811'],
  ['74', '37'],
  ['63.3', '94(574)'],
  ['28', '57'],
  ['20', '502'],
  ['42', '63'],
  ['32.8', '621.39'],
  ['32', '62'],
  ['26', '91'],
  ['22.1', '51'],
  ['22.3', '53'],
  ['24', '54'],
  ['32.97', '004'],
  ['75', '796'],
  ['85', '7'],
  ['86', '2'],
  ['87', '1'],
  ['66', '32'],
  ['67', '34'],
  ['65', '33'],
];

/**
 * The cataloguing part of the demo: UDC beside every BBK, the especially valuable copies and the open-access
 * shelves of the school, and one textbook raid in the demo class.
 */
export async function finishCataloguing(trx: Executor, schoolId: number, librarian: Actor, rng: Random, today: string, demoClass: { grade: number; letter: string }) {
  // longest BBK prefixes first, each work takes the first that matches
  for (const [bbk, udc] of [...UDC_BY_BBK].sort((a, b) => b[0].length - a[0].length)) {
    await sql`UPDATE catalog.works SET udc = ${udc} WHERE udc IS NULL AND replace(bbk, ' ', '') LIKE ${`${bbk}%`}`.execute(trx);
  }
  // the children's shelves stand open to the readers; the oldest editions of the classics are kept as especially valuable
  await sql`UPDATE fund.copies SET open_access = true WHERE organisation_id = ${schoolId} AND location LIKE 'Кіші сынып%'`.execute(trx);
  await sql`UPDATE fund.copies SET valuable = true WHERE id IN (
      SELECT c.id FROM fund.copies c JOIN catalog.works w ON w.id = c.work_id
       WHERE c.organisation_id = ${schoolId} AND c.status = 'available' AND c.fund = 'main' AND w.bbk LIKE '84(5Каз)%'
       ORDER BY w.publish_year, c.id LIMIT 6)`.execute(trx);

  // a November raid in the demo class: most copies in good order, some worn, a few left at home
  const year = schoolYearStart(today);
  const held = await trx
    .selectFrom('textbooks.issues as i')
    .innerJoin('readers.readers as r', 'r.id', 'i.reader_id')
    .select(['i.reader_id', 'i.work_id'])
    .where('i.organisation_id', '=', schoolId)
    .where('i.returned_on', 'is', null)
    .where('r.grade', '=', demoClass.grade)
    .where('r.class_letter', '=', demoClass.letter)
    .orderBy('i.reader_id')
    .orderBy('i.work_id')
    .execute();
  const raidOn = `${year}-11-20`;
  if (held.length && raidOn <= today) {
    const seen = new Set<string>();
    const lines = held
      .filter((h) => !seen.has(`${h.reader_id}/${h.work_id}`) && seen.add(`${h.reader_id}/${h.work_id}`))
      .map((h) => ({ readerId: h.reader_id, workId: h.work_id, condition: rng.chance(0.8) ? ('good' as const) : rng.chance(0.6) ? ('worn' as const) : ('absent' as const) }));
    await recordRaid(trx, librarian, { schoolYear: `${year}-${year + 1}`, grade: demoClass.grade, classLetter: demoClass.letter, raidOn, lines });
  }
}
