import type { Actor } from '../auth/actor.js';
import type { Executor } from '../db/executor.js';
import { addDays } from '../shared/library-time.js';
import { addPeriodical, checkInIssue, indexArticle, subscribe } from '../reference/periodicals.js';
import type { Language, ReaderGroup, ReferenceKind } from '../reference/schema.js';
import { logRequest, logUnmet, setUnmetStatus } from '../reference/service.js';
import type { Random } from './random.js';

const QUESTIONS: [ReferenceKind, string, ReaderGroup, Language][] = [
  ['thematic', 'Ұлы Отан соғысы туралы әдебиет (8 сынып, шығарма)', '5-9', 'kk'],
  ['thematic', 'Экология және табиғатты қорғау: баяндамаға әдебиет', '10-11', 'kk'],
  ['thematic', 'Литература о Великой Степи для классного часа', 'teachers', 'ru'],
  ['address', 'М. Әуезовтің «Абай жолы» романы бар ма?', '10-11', 'kk'],
  ['address', 'Есть ли в библиотеке «Маленький принц» на русском?', '5-9', 'ru'],
  ['clarifying', '«Менің атым Қожа» повесінің авторы мен шыққан жылы', '5-9', 'kk'],
  ['factographic', 'Абай қашан және қай жерде туған?', '1-4', 'kk'],
  ['factographic', 'Қазақ хандығы қай жылы құрылды?', '5-9', 'kk'],
  ['thematic', 'Ата-аналарға: бастауыш сынып оқушысына не оқыту керек', 'parents', 'kk'],
  ['clarifying', 'Уточнить выходные данные учебника алгебры 9 класса', 'teachers', 'ru'],
];

/** A year of the reference log, some unmet requests, and the periodicals register with an indexed article. */
export async function seedReference(trx: Executor, rng: Random, librarian: Actor, today: string) {
  let logged = 0;
  for (let day = 320; day >= 0; day -= rng.int(4, 11)) {
    const on = addDays(today, -day);
    const m = Number(on.slice(5, 7));
    if (m === 7) continue; // the library is closed in July
    const [kind, question, group, language] = QUESTIONS[rng.int(0, QUESTIONS.length - 1)]!;
    await logRequest(trx, librarian, { askedOn: on, kind, question, readerGroup: group, language, virtual: rng.chance(0.2), answer: kind === 'address' ? 'Иә, қорда бар' : null });
    logged++;
  }
  const unmet: number[] = [];
  for (const [title, author] of [['Гарри Поттер және философиялық тас', 'Дж. Роулинг'], ['Кіші ханзада (қазақ тілінде)', 'А. де Сент-Экзюпери'], ['Гарри Поттер және философиялық тас', 'Дж. Роулинг'], ['Python для школьников', null]] as const) {
    unmet.push(await logUnmet(trx, librarian, { notedOn: addDays(today, -rng.int(5, 200)), source: 'desk', title, author }));
  }
  // the most asked-for book is put into the purchase plan, as a librarian does after a term of requests
  await setUnmetStatus(trx, librarian, unmet[0]!, 'to_purchase');
  const periodicals: [string, Language, boolean, number][] = [
    ['Ұлан', 'kk', true, 26],
    ['Балдырған', 'kk', true, 6],
    ['Ақжелкен', 'kk', true, 6],
    ['Қазақ әдебиеті', 'kk', false, 26],
    ['Мектептегі кітапхана', 'kk', false, 6],
    ['Казахстанская правда', 'ru', false, 100],
  ];
  const year = Number(today.slice(0, 4));
  let ulanId = 0;
  for (const [title, language, forChildren, issues] of periodicals) {
    const id = await addPeriodical(trx, librarian, { title, language, forChildren, kind: issues > 20 ? 'newspaper' : 'magazine' });
    if (title === 'Ұлан') ulanId = id;
    for (const half of [1, 2] as const) await subscribe(trx, librarian, id, { year, half, issuesExpected: issues, priceTiyn: issues * rng.int(30_000, 60_000) });
  }
  const issue = await checkInIssue(trx, librarian, ulanId, { label: '12', issueDate: addDays(today, -20), receivedOn: addDays(today, -18) });
  await indexArticle(trx, librarian, { issueId: issue, title: 'Кітап оқитын сынып: «20 минут» челленджі', authors: 'А. Серікқызы', pages: '3', subjects: 'кітап оқу, мектеп кітапханасы' });
  return { logged };
}
