import type { Actor } from '../auth/actor.js';
import type { Executor } from '../db/executor.js';
import { addCurriculumItem, setClassLanguage } from '../textbooks/curriculum.js';
import { issueSetToClass } from '../textbooks/issues.js';
import { receiveTextbooks, stampBatches } from '../textbooks/stock.js';
import type { TextbookWork } from './catalogue.js';
import type { Random } from './random.js';
import { schoolYearStart, type SchoolPlan } from './school-readers.js';

/**
 * The textbook fund of the demo school, kept the way the textbook area keeps it (group
 * accounting by title): this school year's curriculum per grade and language, the Russian-medium
 * classes marked as such, the August delivery received and stamped, and the full sets issued to
 * every class at the start of September.
 */
export async function stockTextbookFund(
  trx: Executor,
  librarian: Actor,
  rng: Random,
  plan: SchoolPlan,
  textbooks: TextbookWork[],
  today: string,
): Promise<{ received: number; issued: number }> {
  if (!textbooks.length) return { received: 0, issued: 0 };
  const year = schoolYearStart(today);
  const schoolYear = `${year}-${year + 1}`;
  const language = (l: TextbookWork['language']) => (l === 'kaz' ? 'kk' : 'ru');

  for (const c of plan.classes.filter((c) => c.language === 'rus')) {
    await setClassLanguage(trx, librarian, { grade: c.grade, classLetter: c.letter, language: 'ru' });
  }
  for (const t of textbooks) {
    await addCurriculumItem(trx, librarian, { schoolYear, grade: t.grade, subject: t.subject, workId: t.id, language: language(t.language) });
  }

  // One copy per student of the grade taught in the book's language, and a few more for newcomers.
  const students = (t: TextbookWork) =>
    plan.classes.filter((c) => c.grade === t.grade && c.language === t.language).reduce((s, c) => s + c.size, 0);
  const lines = textbooks
    .map((t) => ({ workId: t.id, count: Math.ceil(students(t) * 1.05), priceTiyn: rng.int(18, 32) * 10_000 }))
    .filter((l) => l.count > 0);
  const batches = await receiveTextbooks(trx, librarian, {
    receivedOn: `${year}-08-15`,
    source: 'budget_purchase',
    documentNumber: `${year}/14`,
    supplier: 'Атамұра',
    schoolYear,
    lines,
  });
  await stampBatches(trx, librarian, { batchIds: batches.map((b) => b.id), stampedOn: `${year}-08-20` });

  const issuedOn = [`${year}-09-02`, today].sort()[0]!;
  let issued = 0;
  for (const c of plan.classes) {
    issued += (await issueSetToClass(trx, librarian, { schoolYear, grade: c.grade, classLetter: c.letter, issuedOn })).issuedCopies;
  }
  return { received: lines.reduce((s, l) => s + l.count, 0), issued };
}
