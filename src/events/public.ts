import type { Executor } from '../db/executor.js';
import { notFound } from '../shared/errors.js';
import { addDays } from '../shared/library-time.js';
import { exhibitionsOf } from './exhibitions.js';
import { eventsOf } from './held.js';
import { libraryToday } from '../shared/library-time.js';
import { LIBRARY_KINDS } from '../org/organisations.js';

/** A library named in a public address: by its code, or by its number. */
export async function publicLibrary(db: Executor, ref: string) {
  let q = db.selectFrom('org.organisations').select(['id', 'name', 'name_ru', 'name_en', 'kind', 'code']);
  q = /^\d{1,12}$/.test(ref) ? q.where((eb) => eb.or([eb('id', '=', Number(ref)), eb('code', '=', ref)])) : q.where('code', '=', ref);
  const org = await q.executeTakeFirst();
  if (!org || !LIBRARY_KINDS.includes(org.kind)) throw notFound('library', ref);
  return org;
}

/**
 * What a library shows the world: its public events, its current and coming exhibitions marked
 * public (virtual exhibitions with their works), and the titles it received lately. No reader appears.
 */
export async function publicPage(db: Executor, ref: string) {
  const org = await publicLibrary(db, ref);
  const orgId = Number(org.id);
  const today = await libraryToday(db, orgId);
  const events = await eventsOf(db, orgId, { publicOnly: true, limit: 20 });
  const exhibitions = await exhibitionsOf(db, orgId, { publicOnly: true, from: addDays(today, -90) });
  const acquisitions = await db
    .selectFrom('fund.copies as c')
    .innerJoin('catalog.works as w', 'w.id', 'c.work_id')
    .select(['w.id', 'w.title', 'w.publish_year'])
    .select((eb) => eb.fn.max('c.acquired_on').as('acquired_on'))
    .where('c.organisation_id', '=', orgId)
    .where('c.fund', '!=', 'textbook')
    .where('c.status', 'not in', ['written_off', 'lost'])
    .where('c.acquired_on', '>=', addDays(today, -180))
    .groupBy(['w.id', 'w.title', 'w.publish_year'])
    .orderBy('acquired_on', 'desc')
    .limit(24)
    .execute();
  return {
    library: { id: orgId, name: org.name, nameRu: org.name_ru, nameEn: org.name_en, code: org.code },
    today,
    events: events.map((e) => ({ id: e.id, heldOn: e.heldOn, title: e.title, form: e.form, classes: e.classes, participants: e.participants, photos: e.photos })),
    exhibitions: exhibitions.map((x) => ({ ...x, current: x.startsOn <= today && x.endsOn >= today })),
    acquisitions: acquisitions.map((a) => ({ workId: Number(a.id), title: a.title, publishYear: a.publish_year, acquiredOn: String(a.acquired_on) })),
  };
}
