import { type Actor } from '../auth/actor.js';
import { subtreeIds } from '../org/organisations.js';
import type { Executor } from '../db/executor.js';
import { allow, assertCanSeeOrganisation } from '../auth/guard.js';

/** One school's textbook supply in figures only: no student is named, so a methodologist may see it. */
export interface SchoolSupply {
  organisationId: number;
  name: string;
  students: number;
  titles: number;
  received: number;
  writtenOff: number;
  withStudents: number;
  /** Good or worn copies in the library plus those with students. */
  usable: number;
  unusable: number;
  lost: number;
  /** Usable copies per student, to two decimals; 0 for a school without students. */
  perStudent: number;
}

const kazakh = new Intl.Collator('kk');

type Tally = Map<number, number>;

const tally = (rows: { organisation_id: number; n: number | string | null }[]): Tally =>
  new Map(rows.map((r) => [r.organisation_id, Number(r.n ?? 0)]));

/**
 * Textbook supply of every school and college under an organisation (a district, a region, or one school),
 * for the methodologist who monitors it; a librarian sees the own school the same way.
 */
export async function supplyOverview(db: Executor, actor: Actor | null, input: { organisationId?: number }): Promise<SchoolSupply[]> {
  const who = allow(actor, 'staffAndOverseers');
  const rootId = input.organisationId ?? who.organisationId;
  await assertCanSeeOrganisation(db, who, rootId);
  const ids = await subtreeIds(db, rootId);
  const schools = await db
    .selectFrom('org.organisations')
    .select(['id', 'name'])
    .where('id', 'in', ids)
    .where('kind', 'in', ['school', 'college'])
    .execute();
  if (!schools.length) return [];
  const schoolIds = schools.map((s) => s.id);

  const students = tally(
    await db
      .selectFrom('readers.readers')
      .select(['organisation_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('organisation_id', 'in', schoolIds)
      .where('kind', '=', 'student')
      .where('status', '=', 'active')
      .groupBy('organisation_id')
      .execute(),
  );
  const received = tally(
    await db
      .selectFrom('textbooks.batches')
      .select(['organisation_id', (eb) => eb.fn.sum<number>('copies_count').as('n')])
      .where('organisation_id', 'in', schoolIds)
      .groupBy('organisation_id')
      .execute(),
  );
  const writtenOff = tally(
    await db
      .selectFrom('textbooks.write_off_lines as l')
      .innerJoin('textbooks.write_off_acts as a', 'a.id', 'l.act_id')
      .select(['a.organisation_id', (eb) => eb.fn.sum<number>('l.copies_count').as('n')])
      .where('a.organisation_id', 'in', schoolIds)
      .groupBy('a.organisation_id')
      .execute(),
  );
  const withStudents = tally(
    await db
      .selectFrom('textbooks.issues')
      .select(['organisation_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('organisation_id', 'in', schoolIds)
      .where('returned_on', 'is', null)
      .groupBy('organisation_id')
      .execute(),
  );
  const shelves = new Map(
    (
      await db
        .selectFrom('textbooks.stock')
        .select((eb) => [
          'organisation_id',
          eb.fn.countAll<number>().as('titles'),
          eb.fn.sum<number>(eb('good', '+', eb.ref('worn'))).as('usable'),
          eb.fn.sum<number>('unusable').as('unusable'),
          eb.fn.sum<number>('lost').as('lost'),
        ])
        .where('organisation_id', 'in', schoolIds)
        .groupBy('organisation_id')
        .execute()
    ).map((r) => [r.organisation_id, { titles: Number(r.titles), usable: Number(r.usable ?? 0), unusable: Number(r.unusable ?? 0), lost: Number(r.lost ?? 0) }]),
  );

  return schools
    .map((s) => {
      const shelf = shelves.get(s.id) ?? { titles: 0, usable: 0, unusable: 0, lost: 0 };
      const pupils = students.get(s.id) ?? 0;
      const usable = shelf.usable + (withStudents.get(s.id) ?? 0);
      return {
        organisationId: s.id,
        name: s.name,
        students: pupils,
        titles: shelf.titles,
        received: received.get(s.id) ?? 0,
        writtenOff: writtenOff.get(s.id) ?? 0,
        withStudents: withStudents.get(s.id) ?? 0,
        usable,
        unusable: shelf.unusable,
        lost: shelf.lost,
        perStudent: pupils ? Math.round((usable / pupils) * 100) / 100 : 0,
      };
    })
    .sort((a, b) => kazakh.compare(a.name, b.name));
}
