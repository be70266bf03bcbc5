import type { Actor } from '../auth/actor.js';
import { createEntry } from '../calendar/entries.js';
import { significantDates } from '../calendar/significant-dates.js';
import type { Executor } from '../db/executor.js';
import { addMember, createClub, recordSession } from '../events/clubs.js';
import { createExhibition, exhibitionFromCalendar } from '../events/exhibitions.js';
import { addScheduleItem } from '../events/schedule.js';
import { recordEvent } from '../events/held.js';
import { addPlanEntry, approvePlan, copyPlan, submitPlan, type PlanEntryInput } from '../events/plans.js';
import type { EventForm } from '../events/schema.js';
import { addDays, schoolYearOf } from '../shared/library-time.js';
import type { Random } from './random.js';

/** The plan of a school library, after the seeds' plans (sections, forms, months, "constantly", "as needed"). */
const PLAN: PlanEntryInput[] = [
  { section: 'organisation', title: 'Жылдық жұмыс жоспарын жалпы мектеп жоспарымен келісу', whenKind: 'month', monthFrom: 9, responsible: 'Кітапханашы' },
  { section: 'organisation', title: 'Оқу жылының есебін дайындау', whenKind: 'month', monthFrom: 6, responsible: 'Кітапханашы' },
  { section: 'fund', title: 'Жаңа түскен әдебиетті қабылдау, есепке алу және өңдеу', whenKind: 'during_year', responsible: 'Кітапханашы' },
  { section: 'fund', title: 'Қорды рәсімдеу: сөре, әліпби бойынша бөлу', whenKind: 'constantly', responsible: 'Кітапханашы' },
  { section: 'fund', title: 'Тозған және ескі әдебиетті есептен шығару', whenKind: 'as_needed', responsible: 'Кітапханашы' },
  { section: 'textbooks', title: 'Оқушыларды оқулықпен қамтамасыз ету диагностикасы', whenKind: 'range', monthFrom: 9, monthTo: 10, responsible: 'Кітапханашы' },
  { section: 'textbooks', title: 'Оқулықтарды беру және қабылдау', whenKind: 'range', monthFrom: 5, monthTo: 6, responsible: 'Кітапханашы, сынып жетекшілері' },
  { section: 'textbooks', title: 'Келесі оқу жылына оқулыққа тапсырыс беру', whenKind: 'range', monthFrom: 11, monthTo: 12, responsible: 'Кітапханашы' },
  { section: 'readers', title: 'Бірінші сынып оқушыларын кітапханаға жазу', form: 'excursion', target: '1 сыныптар', whenKind: 'month', monthFrom: 9, responsible: 'Кітапханашы' },
  { section: 'readers', title: 'Оқырман формулярларын талдау, борышкерлермен жұмыс', whenKind: 'quarterly', responsible: 'Кітапханашы' },
  { section: 'mass_work', title: '«Білім – болашақ кілті» кітап көрмесі', form: 'exhibition', target: '1-11 сыныптар', whenKind: 'month', monthFrom: 9, responsible: 'Кітапханашы' },
  { section: 'mass_work', title: '«Тіл – халықтың жаны» әдеби сағат', form: 'literary_hour', target: '5-7 сыныптар', whenKind: 'month', monthFrom: 9, responsible: 'Кітапханашы, қазақ тілі мұғалімдері' },
  { section: 'mass_work', title: 'Ақын-жазушылардың мерейтойларына арналған әдеби кеш', form: 'literary_evening', target: '8-11 сыныптар', whenKind: 'range', monthFrom: 10, monthTo: 11, responsible: 'Кітапханашы' },
  { section: 'mass_work', title: '«Тәуелсіздік – тұғырым» кітап көрмесі мен шолу', form: 'review', target: '5-11 сыныптар', whenKind: 'month', monthFrom: 12, responsible: 'Кітапханашы' },
  { section: 'mass_work', title: '«Менің сүйікті кітабым» оқырмандар конференциясы', form: 'reading_conference', target: '6-8 сыныптар', whenKind: 'month', monthFrom: 2, responsible: 'Кітапханашы' },
  { section: 'mass_work', title: 'Балалар кітабы апталығы: викторина', form: 'quiz', target: '2-4 сыныптар', whenKind: 'month', monthFrom: 4, responsible: 'Кітапханашы, бастауыш сынып мұғалімдері' },
  { section: 'mass_work', title: 'Жергілікті ақынмен кездесу', form: 'writer_meeting', target: '7-9 сыныптар', whenKind: 'month', monthFrom: 3, responsible: 'Кітапханашы' },
  { section: 'reference', title: '«Ақпарат күні»: жаңа түскен әдебиетке шолу', form: 'information_day', target: 'Мұғалімдер', whenKind: 'quarterly', responsible: 'Кітапханашы' },
  { section: 'reference', title: 'Тақырыптық, фактілік, ақпараттық анықтамаларды дайындау', whenKind: 'as_needed', responsible: 'Кітапханашы' },
  { section: 'reference', title: 'Әдістемелік бірлестіктерге ұсыныс тізімдерін жасау', whenKind: 'month', monthFrom: 1, responsible: 'Кітапханашы' },
  { section: 'literacy', title: '«Сенің мектептегі кітапханаң» кітапханалық сабақ', form: 'bibliography_lesson', target: '1 сыныптар', whenKind: 'month', monthFrom: 10, responsible: 'Кітапханашы' },
  { section: 'literacy', title: 'Анықтамалық әдебиетпен жұмыс сабағы', form: 'bibliography_lesson', target: '5 сыныптар', whenKind: 'month', monthFrom: 11, responsible: 'Кітапханашы' },
  { section: 'promotion', title: '«20 минут оқу» күнделікті оқу', form: 'challenge', target: '1-11 сыныптар', whenKind: 'constantly', responsible: 'Кітапханашы, сынып жетекшілері' },
  { section: 'promotion', title: '«Кітап алмасу» буккроссингі', form: 'bookcrossing', target: 'Барлық оқырмандар', whenKind: 'range', monthFrom: 3, monthTo: 4, responsible: 'Кітапханашы' },
  { section: 'methodical', title: 'Аудандық кітапханашылар семинарына қатысу', whenKind: 'as_needed', responsible: 'Кітапханашы' },
  { section: 'professional', title: 'Біліктілікті арттыру курстары', whenKind: 'during_year', responsible: 'Кітапханашы' },
];

/** Events actually held in the year: (month, day, title, form, classes, pupils, teachers, parents, plan entry by title). */
const HELD: [number, number, string, EventForm, string, number, number, number, string | null][] = [
  [9, 2, '«Білім – болашақ кілті» кітап көрмесіне шолу', 'review', '5-9 сыныптар', 64, 4, 0, '«Білім – болашақ кілті» кітап көрмесі'],
  [9, 12, 'Бірінші сыныптардың кітапханаға саяхаты', 'excursion', '1 А, 1 Ә, 1 Б', 71, 3, 12, 'Бірінші сынып оқушыларын кітапханаға жазу'],
  [9, 20, '«Тіл – халықтың жаны» әдеби сағат', 'literary_hour', '6 А, 6 Ә', 48, 2, 0, '«Тіл – халықтың жаны» әдеби сағат'],
  [10, 10, '«Сенің мектептегі кітапханаң» кітапханалық сабақ', 'bibliography_lesson', '1 Б', 24, 1, 0, '«Сенің мектептегі кітапханаң» кітапханалық сабақ'],
  [10, 17, 'Ақын-жазушылар мерейтойына арналған әдеби кеш', 'literary_evening', '9-11 сыныптар', 86, 6, 9, 'Ақын-жазушылардың мерейтойларына арналған әдеби кеш'],
  [10, 25, 'Республика күніне арналған тарих сағаты', 'information_hour', '8 А, 8 Ә', 51, 2, 0, null],
  [11, 14, 'Анықтамалық әдебиетпен жұмыс', 'bibliography_lesson', '5 Ә', 26, 1, 0, 'Анықтамалық әдебиетпен жұмыс сабағы'],
  [11, 28, '«Ақпарат күні»: мұғалімдерге жаңа әдебиет', 'information_day', 'Мұғалімдер', 0, 34, 0, '«Ақпарат күні»: жаңа түскен әдебиетке шолу'],
  [12, 12, '«Тәуелсіздік – тұғырым» шолуы', 'review', '7-11 сыныптар', 112, 5, 0, '«Тәуелсіздік – тұғырым» кітап көрмесі мен шолу'],
  [1, 22, 'Әдістемелік бірлестіктерге ұсыныс тізімі', 'consultation', 'Мұғалімдер', 0, 18, 0, 'Әдістемелік бірлестіктерге ұсыныс тізімдерін жасау'],
  [2, 14, '«Менің сүйікті кітабым» оқырмандар конференциясы', 'reading_conference', '6-8 сыныптар', 57, 4, 6, '«Менің сүйікті кітабым» оқырмандар конференциясы'],
  [2, 27, '«Ақпарат күні»: ата-аналарға балалар әдебиеті', 'information_day', 'Ата-аналар', 0, 2, 41, null],
  [3, 6, 'Жергілікті ақынмен кездесу', 'writer_meeting', '7-9 сыныптар', 64, 3, 4, 'Жергілікті ақынмен кездесу'],
  [3, 20, 'Наурыз мерекесіне кітап көрмесі мен викторина', 'quiz', '3-5 сыныптар', 73, 3, 0, null],
  [4, 2, 'Балалар кітабы күні: викторина', 'quiz', '2-4 сыныптар', 92, 4, 15, 'Балалар кітабы апталығы: викторина'],
  [4, 23, 'Кітап және авторлық құқық күні: буккроссинг', 'bookcrossing', 'Барлық оқырмандар', 118, 12, 9, '«Кітап алмасу» буккроссингі'],
  [5, 8, 'Жеңіс күніне арналған әдеби композиция', 'literary_evening', '5-9 сыныптар', 95, 7, 11, null],
];

/** Month and day of a school year that starts in September of `start`. */
const dayIn = (start: number, month: number, day: number) => `${month >= 9 ? start : start + 1}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

export interface EventsDemoInput {
  organisationId: number;
  librarian: Actor;
  admin: Actor;
  readerIds: number[];
  today: string;
}

/** A plan of last year and this year, a year of events, two exhibitions, the republic's schedule, a club and the library's own calendar entry. */
export async function seedEvents(trx: Executor, rng: Random, input: EventsDemoInput) {
  const { librarian, today } = input;
  const current = schoolYearOf(today);
  const start = Number(current.slice(0, 4));
  const last = `${start - 1}-${start}`;

  // last year's plan, held through, and this year's copied from it in one action
  for (const entry of PLAN) await addPlanEntry(trx, librarian, last, { ...entry, status: entry.whenKind === 'month' ? 'held' : 'planned' });
  await approvePlan(trx, librarian, last, { approvedBy: 'Мектеп директоры Ж. Сейітова', approvedOn: `${start - 1}-08-29` });
  await submitPlan(trx, librarian, last);
  await copyPlan(trx, librarian, last, current);
  await approvePlan(trx, librarian, current, { approvedBy: 'Мектеп директоры Ж. Сейітова', approvedOn: `${start}-08-28` });
  const entries = await trx.selectFrom('events.plan_entries as e').innerJoin('events.plans as p', 'p.id', 'e.plan_id').select(['e.id', 'e.title', 'p.school_year']).where('e.organisation_id', '=', input.organisationId).execute();
  const entryOf = (year: string, title: string | null) => (title ? (entries.find((e) => e.school_year === year && e.title === title)?.id ?? null) : null);

  // a year of events: last year's whole, this year's up to today
  let events = 0;
  for (const [year, yStart] of [[last, start - 1], [current, start]] as const) {
    for (const [m, d, title, form, classes, pupils, teachers, parents, planTitle] of HELD) {
      const heldOn = dayIn(yStart, m, d);
      if (heldOn > today) continue;
      const vary = (n: number) => (n === 0 ? 0 : Math.max(1, n + rng.int(-5, 5)));
      await recordEvent(trx, librarian, {
        heldOn,
        title,
        form,
        classes,
        pupils: vary(pupils),
        teachers: vary(teachers),
        parents: vary(parents),
        planEntryId: entryOf(year, planTitle),
        isPublic: pupils > 50,
      });
      events++;
    }
  }

  // the republic's unified exhibition schedule, sent down
  const lines: [number, string][] = [
    [9, 'Білім күні: «Білім – болашақ кілті»'],
    [10, 'Республика күні: «Менің Республикам»'],
    [12, 'Тәуелсіздік күні: «Тәуелсіздік – тұғырым»'],
    [4, 'Халықаралық балалар кітабы күні'],
  ];
  for (const [month, title] of lines) await addScheduleItem(trx, input.admin, { schoolYear: current, month, title });

  // two exhibitions: one made from the calendar in one step, one thematic and virtual
  const { items } = await significantDates(trx, input.organisationId, { schoolYear: current });
  const jubilee = items.find((i) => i.kind === 'person' && i.worksHeld > 0 && i.date !== null && i.date <= addDays(today, 30)) ?? items.find((i) => i.kind === 'person' && i.worksHeld > 0);
  let exhibitions = 0;
  if (jubilee) {
    await exhibitionFromCalendar(trx, librarian, { key: jubilee.key, year: jubilee.year }, 'kk');
    exhibitions++;
  }
  const independence = await trx.selectFrom('catalog.works as w').innerJoin('fund.copies as c', 'c.work_id', 'w.id').select('w.id').distinct().where('c.organisation_id', '=', input.organisationId).where('w.language', '=', 'kaz').where('c.fund', '=', 'main').orderBy('w.id').limit(8).execute();
  await createExhibition(trx, librarian, {
    title: 'Тәуелсіздік – тұғырым',
    theme: 'Қазақстан Республикасының Тәуелсіздік күніне',
    description: 'Тәуелсіздік жылдарындағы қазақ әдебиеті мен тарихы туралы кітаптар',
    startsOn: `${start}-12-01`,
    endsOn: `${start}-12-25`,
    place: 'Оқу залы',
    isPublic: true,
    workIds: independence.map((w) => Number(w.id)),
  });
  exhibitions++;

  // a literary club with its members and sessions
  const club = await createClub(trx, librarian, { name: '«Жас қаламгер» әдеби үйірмесі', genre: 'Поэзия және әңгіме', leader: 'Кітапханашы', meets: 'Әр айдың екінші жұмасы', target: '6-9 сыныптар' });
  const members: number[] = [];
  for (const readerId of input.readerIds.slice(0, 10)) members.push(await addMember(trx, librarian, club, readerId, `${start}-09-15`));
  const topics = ['Мұқағали Мақатаев лирикасы', 'Әңгіме жазу шеберханасы', 'Абай қара сөздері', 'Өлең оқу челленджі', 'Балалар журналына мақала', 'Жыл қорытындысы: үйірме альманағы'];
  let sessions = 0;
  for (const [i, topic] of topics.entries()) {
    const heldOn = dayIn(start, [9, 10, 11, 12, 2, 4][i]!, 13);
    if (heldOn > today) break;
    await recordSession(trx, librarian, club, { heldOn, topic, guests: rng.int(0, 3), present: members.filter(() => rng.chance(0.8)) });
    sessions++;
  }

  // the library's own date in the calendar
  await createEntry(trx, librarian, { kind: 'day', name: 'Мектептің құрылған күні', year: 1961, month: 9, day: 1, note: 'Мектеп 1961 жылы ашылған' });
  return { planEntries: PLAN.length * 2, events, exhibitions, clubSessions: sessions };
}
