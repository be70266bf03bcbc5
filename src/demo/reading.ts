import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import type { Executor } from '../db/executor.js';
import { issueReaderNumbers, insertReader } from '../readers/readers.js';
import { createAction } from '../reading/actions.js';
import { createBingo, drawBingo } from '../reading/bingo.js';
import { joinChallenge } from '../reading/challenges.js';
import { createContest, recommend, decideRecommendation, recordBookcrossing, saveEntrant, saveFamily, setNationalBook } from '../reading/community.js';
import { addParticipant, createDraw, notifyParticipants, performDraw } from '../reading/draw.js';
import { addDays, schoolYearOf } from '../shared/library-time.js';
import type { Random } from './random.js';

export interface ReadingDemoInput {
  schoolId: number;
  librarian: Actor;
  admin: Actor;
  /** The demo student's reader and class. */
  studentReaderId: number;
  classGrade: number;
  classLetter: string;
  today: string;
}

export interface ReadingDemoSummary {
  records: number;
  pending: number;
  challengeEntrants: number;
  families: number;
  drawParticipants: number;
  /** Parents registered as readers for the families. */
  readersAdded: number;
}

/**
 * The reading movement of the demo school: a school year of reading records derived from its
 * returned loans (most returns are marked read, as a librarian does at the desk), a few pupils'
 * own reports waiting for the stamp, a running 30-day challenge, a BookBingo in play, two
 * families with their parents, a finished gift-a-book draw, a contest, bookcrossing and the year's
 * "one country – one book".
 */
export async function seedReading(trx: Executor, rng: Random, input: ReadingDemoInput): Promise<ReadingDemoSummary> {
  const { schoolId, librarian, today } = input;
  const schoolYear = schoolYearOf(today);
  const yearStart = `${schoolYear.slice(0, 4)}-09-01`;

  // Records from returned loans of the main fund (textbooks are not "reading"): about four in five.
  await sql`
    insert into reading.records (organisation_id, reader_id, work_id, title, author, book_key, source, loan_id, read_on, school_year,
                                 pages, status, reported_by, confirmed_by, confirmed_at)
    select l.organisation_id, l.reader_id, w.id, w.title,
           (select string_agg(a.name, ', ' order by wa.position) from catalog.work_authors wa join catalog.authors a on a.id = wa.author_id where wa.work_id = w.id),
           'w' || w.id, 'loan', l.id, (l.returned_at at time zone 'Asia/Almaty')::date,
           case when extract(month from (l.returned_at at time zone 'Asia/Almaty')) >= 9
                then extract(year from (l.returned_at at time zone 'Asia/Almaty'))::int || '-' || (extract(year from (l.returned_at at time zone 'Asia/Almaty'))::int + 1)
                else (extract(year from (l.returned_at at time zone 'Asia/Almaty'))::int - 1) || '-' || extract(year from (l.returned_at at time zone 'Asia/Almaty'))::int end,
           w.pages, 'confirmed', ${librarian.userId}, ${librarian.userId}, l.returned_at
    from circulation.loans l
    join fund.copies c on c.id = l.copy_id
    join catalog.works w on w.id = c.work_id
    where l.organisation_id = ${schoolId} and l.returned_at is not null and c.fund <> 'textbook'
      and (l.id % 5) <> 0
    on conflict do nothing`.execute(trx);

  // The reading room: the youngest readers read picture books there.
  const { rows: young } = await sql<{ id: number }>`
    select id from readers.readers where organisation_id = ${schoolId} and kind = 'student' and grade between 1 and 3 order by id limit 40`.execute(trx);
  const roomBooks = ['Алтын сақа', 'Ер Төстік', 'Қаңбақ шал', 'Түлкі мен тырна', 'Күн мен Ай'];
  for (const r of young) {
    const title = rng.pick(roomBooks);
    const readOn = addDays(yearStart, rng.int(10, 60));
    if (readOn > today) continue;
    await sql`insert into reading.records (organisation_id, reader_id, title, author, book_key, source, read_on, school_year, minutes, status, reported_by, confirmed_by, confirmed_at)
      values (${schoolId}, ${r.id}, ${title}, 'Қазақ халық ертегісі', ${`t:${title.toLowerCase()}|қазақ халық ертегісі`}, 'reading_room', ${readOn}, ${schoolYearOf(readOn)}, 20,
              'confirmed', ${librarian.userId}, ${librarian.userId}, now())
      on conflict do nothing`.execute(trx);
  }

  // Pupils' own reports waiting for the librarian's stamp, the demo student's among them.
  const { rows: classmates } = await sql<{ id: number }>`
    select id from readers.readers where organisation_id = ${schoolId} and kind = 'student' and grade = ${input.classGrade} and class_letter = ${input.classLetter}
    order by id`.execute(trx);
  const own = [
    ['Менің атым Қожа', 'Бердібек Соқпақбаев', 'Қожаның қулықтары күлдірді'],
    ['Кішкентай ханзада', 'Антуан де Сент-Экзюпери', 'Достық туралы'],
    ['Алиса ғажайыптар елінде', 'Льюис Кэрролл', null],
  ] as const;
  for (const [i, reader] of [input.studentReaderId, ...classmates.slice(1, 3).map((r) => r.id)].entries()) {
    const [title, author, note] = own[i % own.length]!;
    await sql`insert into reading.records (organisation_id, reader_id, title, author, book_key, source, read_on, school_year, minutes, note, status)
      values (${schoolId}, ${reader}, ${title}, ${author}, ${`t:${title.toLowerCase()}|${author.toLowerCase()}`}, 'self', ${addDays(today, -1 - i)}, ${schoolYearOf(addDays(today, -1 - i))},
              ${30 + 5 * i}, ${note}, 'pending')
      on conflict do nothing`.execute(trx);
  }

  // A running 30-day challenge of the demo class, started twelve days ago.
  const startsOn = addDays(today, -12);
  const challenge = await trx
    .insertInto('reading.challenges')
    .values({ organisation_id: schoolId, title: '30 күн оқу: күніне 20 минут', starts_on: startsOn, days: 30, minutes_per_day: 20 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const entrants = classmates.slice(0, 14).map((r) => r.id);
  for (const readerId of entrants) {
    await joinChallenge(trx, librarian, challenge.id, readerId);
    const diligence = rng.next();
    for (let d = 0; d < 12; d++) {
      if (rng.next() > 0.45 + diligence * 0.5) continue; // some days are missed
      const stamped = d < 11 || rng.chance(0.5);
      await trx
        .insertInto('reading.challenge_days')
        .values({
          challenge_id: challenge.id,
          reader_id: readerId,
          organisation_id: schoolId,
          day: addDays(startsOn, d),
          minutes: 20 + rng.int(0, 15),
          note: rng.chance(0.6) ? rng.pick(['Бас кейіпкер батыл екен', 'Жаңа сөздер үйрендім', 'Тарау өте қызық болды', 'Ертегінің соңы күтпеген']) : null,
          stamped_by: stamped ? librarian.userId : null,
          stamped_at: stamped ? new Date() : null,
        })
        .execute();
    }
  }

  // A BookBingo of grade 5 from the recommended list, a few titles already drawn.
  try {
    const game = await createBingo(trx, librarian, schoolId, { title: 'BookBingo: 5-сыныптар', grade: 5, size: 3, cards: 26, seed: 'demo-bingo-5' });
    for (let i = 0; i < 5; i++) await drawBingo(trx, librarian, schoolId, game.id);
    for (const [n, readerId] of classmates.slice(0, 26).entries()) {
      await trx.updateTable('reading.bingo_cards').set({ reader_id: readerId.id }).where('game_id', '=', game.id).where('number', '=', n + 1).execute();
    }
  } catch {
    // a demo without the recommended list plays no bingo
  }

  // Two families: the demo student with a sibling and their mother; another pair of siblings with their father.
  const numbers = await issueReaderNumbers(trx, schoolId, 2, Number(today.slice(0, 4)));
  const student = await trx.selectFrom('readers.readers').select(['last_name', 'parent_name', 'parent_phone']).where('id', '=', input.studentReaderId).executeTakeFirstOrThrow();
  const mother = await insertReader(trx, schoolId, {
    ...numbers[0]!,
    kind: 'parent',
    lastName: student.last_name,
    firstName: (student.parent_name ?? 'Гүлнар').split(' ').slice(-1)[0] || 'Гүлнар',
    phone: student.parent_phone,
  });
  const { rows: sibling } = await sql<{ id: number; last_name: string }>`
    select id, last_name from readers.readers where organisation_id = ${schoolId} and kind = 'student' and id <> ${input.studentReaderId}
      and grade between 8 and 10 order by id limit 3`.execute(trx);
  await saveFamily(trx, librarian, schoolId, { name: `${student.last_name}тар отбасы`, readerIds: [input.studentReaderId, sibling[0]!.id, mother!.id] });
  const father = await insertReader(trx, schoolId, { ...numbers[1]!, kind: 'parent', lastName: sibling[1]!.last_name, firstName: 'Ерлан' });
  const { rows: younger } = await sql<{ id: number }>`
    select id from readers.readers where organisation_id = ${schoolId} and kind = 'student' and grade between 2 and 4 order by id desc limit 1`.execute(trx);
  await saveFamily(trx, librarian, schoolId, { name: `${sibling[1]!.last_name} отбасы`, readerIds: [sibling[1]!.id, younger[0]!.id, father!.id] });
  for (const [parentId, titles] of [
    [mother!.id, ['Абай жолы', 'Көшпенділер']],
    [father!.id, ['Қан мен тер']],
  ] as const) {
    for (const title of titles) {
      await sql`insert into reading.records (organisation_id, reader_id, title, book_key, source, read_on, school_year, status, reported_by, confirmed_by, confirmed_at)
        values (${schoolId}, ${parentId}, ${title}, ${`t:${title.toLowerCase()}|`}, 'reading_room', ${addDays(yearStart, 30)}, ${schoolYear}, 'confirmed', ${librarian.userId}, ${librarian.userId}, now())
        on conflict do nothing`.execute(trx);
    }
  }

  // A finished gift-a-book draw of last April.
  const giftOn = `${Number(schoolYear.slice(5)) - 1}-04-23`;
  const draw = await createDraw(trx, librarian, schoolId, { title: 'Досыңа кітап сыйла', giftOn: giftOn < today ? giftOn : addDays(today, -30) });
  const people: [string, 'head' | 'teacher' | 'parent' | 'pupil' | 'staff', string][] = [
    ['Бақыт Нұрланұлы', 'head', 'Көшпенділер'],
    ['Айгүл Оспанова', 'teacher', 'Абай жолы'],
    ['Сәуле Ахметова', 'staff', 'Қашаған'],
    ['Мәди Серікұлы', 'pupil', 'Менің атым Қожа'],
    ['Аяла Жандосқызы', 'pupil', 'Кішкентай ханзада'],
    ['Гүлнар Сапарова', 'parent', 'Қан мен тер'],
    ['Ерлан Тоқтаров', 'parent', 'Ақ кеме'],
    ['Дана Мұратқызы', 'pupil', 'Алиса ғажайыптар елінде'],
  ];
  for (const [name, role, wishedBook] of people) {
    await addParticipant(trx, librarian, schoolId, draw.id, { name, role, wishedBook, email: role === 'pupil' ? null : `${name.split(' ')[0]!.toLowerCase()}@mektep7.kz`.replace(/[^a-z@.0-9]/g, 'x') });
  }
  await performDraw(trx, librarian, schoolId, draw.id, 'c0ffee2025demo01');
  await notifyParticipants(trx, librarian, schoolId, draw.id, () => '', {});

  // A contest of the school year with a test stage and a final.
  const contest = await createContest(trx, librarian, schoolId, {
    name: 'Үздік оқырман — 2026',
    level: 'school',
    startsOn: yearStart,
    endsOn: addDays(yearStart, 270),
    grades: '5-7',
    jury: 'С. Ахметова (кітапханашы), А. Оспанова (әдебиет мұғалімі), Б. Нұрланұлы (директор)',
    stages: [
      { name: 'Тест кезеңі', on: addDays(yearStart, 120) },
      { name: 'Финал', on: addDays(yearStart, 250) },
    ],
  });
  const { rows: best } = await sql<{ reader_id: number }>`
    select rr.reader_id from reading.records rr join readers.readers r on r.id = rr.reader_id
    where rr.organisation_id = ${schoolId} and rr.status = 'confirmed' and r.kind = 'student' and r.grade between 5 and 7
      and rr.read_on >= ${yearStart}
    group by rr.reader_id order by count(*) desc, rr.reader_id limit 5`.execute(trx);
  for (const [i, r] of best.entries()) {
    await saveEntrant(trx, librarian, schoolId, contest.id, {
      readerId: r.reader_id,
      stage: i < 3 ? 'Финал' : 'Тест кезеңі',
      place: i < 3 ? i + 1 : null,
      nomination: i === 3 ? 'Ең тұрақты оқырман' : null,
    });
  }

  // Bookcrossing at the shelf by the entrance, a pupil's recommendation, the year's national title.
  for (let m = 0; m < 6; m++) {
    const day = addDays(yearStart, 15 + m * 20);
    if (day > today) break;
    await recordBookcrossing(trx, librarian, schoolId, { happenedOn: day, direction: m % 2 ? 'taken' : 'given', books: rng.int(2, 9) }, today);
  }
  const kozha = await trx.selectFrom('catalog.works').select('id').where('title', 'ilike', '%Қожа%').executeTakeFirst();
  if (kozha) {
    await recommend(trx, librarian, schoolId, input.studentReaderId, { workId: kozha.id, text: 'Қожа маған өте ұнады: күлкілі, бірақ ойландырады' });
    const rec = await trx.selectFrom('reading.recommendations').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    await decideRecommendation(trx, librarian, schoolId, rec.id, 'approved');
  }
  await setNationalBook(trx, input.admin, { year: Number(today.slice(0, 4)), title: 'Парасат майданы', author: 'Төлен Әбдік' });

  // Biblio-cross: the class reads the school year's most read author together; six months of reading up to now.
  const top = await sql<{ author: string }>`
    select author from reading.records
    where organisation_id = ${schoolId} and status = 'confirmed' and school_year = ${schoolYear} and author is not null
    group by author order by count(*) desc, author limit 1`.execute(trx);
  if (top.rows[0]) {
    await createAction(trx, librarian, { kind: 'one_author', title: `${top.rows[0].author}: бірге оқимыз`, author: top.rows[0].author, startsOn: yearStart, endsOn: addDays(yearStart, 120) });
  }
  // six months of reading from the start of the school year: running, half done in December
  await createAction(trx, librarian, { kind: 'six_months', title: 'Алты ай оқу', startsOn: yearStart, booksPerMonth: 1 });

  const counts = await sql<{ records: number; pending: number }>`
    select count(*) filter (where status = 'confirmed')::int as records, count(*) filter (where status = 'pending')::int as pending
    from reading.records where organisation_id = ${schoolId}`.execute(trx);
  return {
    records: counts.rows[0]!.records,
    pending: counts.rows[0]!.pending,
    challengeEntrants: entrants.length,
    families: 2,
    drawParticipants: people.length,
    readersAdded: 2,
  };
}
