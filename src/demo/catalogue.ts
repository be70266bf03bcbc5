import fs from 'node:fs';
import type { Actor } from '../auth/actor.js';
import { createWork, type WorkInput } from '../catalog/works.js';
import { addCopies } from '../fund/copies.js';
import type { Executor } from '../db/executor.js';
import type { Random } from './random.js';

/** One title of the demo catalogue as written in works.json; the loader fills in the edition. */
interface DemoWorkEntry {
  title: string;
  authors: string[];
  language?: string;
  genre?: string;
  ageRating?: string;
  annotation?: string;
  bbk?: string;
  knowledgeGroup?: string;
  /**
   * Whether the neighbouring schools keep the title too ('also') or only they do and the
   * gymnasium does not ('only'), so the district's list coverage differs from school to school.
   */
  neighbours?: 'also' | 'only';
}

interface DemoAuthor {
  name: string;
  variants: string[];
  birthDate?: string;
  deathDate?: string;
  /** Index of the author's national literature, inherited by their works. */
  bbk: string;
}

interface TextbookSubject {
  kk: string;
  ru: string;
  grades: number[];
  bbk: string;
}

const data = JSON.parse(fs.readFileSync(new URL('./works.json', import.meta.url), 'utf8'));
const AUTHORS = data.authors as Record<string, DemoAuthor>;
const WORKS = data.works as DemoWorkEntry[];
const SUBJECTS = data.textbookSubjects as TextbookSubject[];

const PUBLISHERS: Record<string, { name: string; place: string }[]> = {
  kaz: [
    { name: 'Атамұра', place: 'Алматы' },
    { name: 'Мектеп', place: 'Алматы' },
    { name: 'Жазушы', place: 'Алматы' },
    { name: 'Фолиант', place: 'Астана' },
    { name: 'Балауса', place: 'Алматы' },
    { name: 'Алматыкітап баспасы', place: 'Алматы' },
  ],
  rus: [
    { name: 'Фолиант', place: 'Астана' },
    { name: 'Алматыкітап баспасы', place: 'Алматы' },
    { name: 'Махаон', place: 'Москва' },
    { name: 'Детская литература', place: 'Москва' },
    { name: 'Эксмо', place: 'Москва' },
    { name: 'Росмэн', place: 'Москва' },
  ],
};
const TEXTBOOK_PUBLISHERS = [
  { name: 'Атамұра', place: 'Алматы' },
  { name: 'Мектеп', place: 'Алматы' },
  { name: 'Алматыкітап баспасы', place: 'Алматы' },
  { name: 'Арман-ПВ', place: 'Астана' },
];

export interface DemoWork {
  id: number;
  language: string;
  ageRating: string;
  /** How many copies a school of this size keeps on the shelves. */
  popularity: number;
  neighbours?: 'also' | 'only';
}

export interface TextbookWork {
  id: number;
  grade: number;
  language: 'kaz' | 'rus';
  /** The subject as the curriculum names it, in the book's language. */
  subject: string;
}

function pagesFor(genre: string | undefined, ageRating: string, rng: Random): number {
  if (ageRating === '0+') return rng.int(12, 64);
  if (genre && /поэ|өлең|стих|жыр/i.test(genre)) return rng.int(96, 320);
  if (genre && /роман|эпопея|трилогия/i.test(genre)) return rng.int(320, 760);
  return rng.int(80, 280);
}

/** Fills an entry of works.json out to a full edition: publisher, year, pages, index. */
function edition(entry: DemoWorkEntry, rng: Random): WorkInput {
  const language = entry.language ?? 'kaz';
  const authors = entry.authors.map((key) => AUTHORS[key]!);
  const publisher = rng.pick(PUBLISHERS[language] ?? PUBLISHERS.kaz!);
  const ageRating = entry.ageRating ?? '12+';
  return {
    title: entry.title,
    publisher: publisher.name,
    publishPlace: publisher.place,
    publishYear: rng.int(2005, 2025),
    language,
    pages: pagesFor(entry.genre, ageRating, rng),
    bbk: entry.bbk ?? authors[0]?.bbk ?? '84(5Каз)',
    knowledgeGroup: entry.knowledgeGroup ?? 'fiction',
    genre: entry.genre ?? null,
    ageRating,
    annotation: entry.annotation ?? null,
    authors: authors.map((a) => ({ name: a.name, variants: a.variants, birthDate: a.birthDate ?? null, deathDate: a.deathDate ?? null })),
  };
}

/** Catalogues the demo titles (all of them, or the first `limit`) through the catalogue's own createWork. */
export async function catalogueWorks(trx: Executor, actor: Actor, rng: Random, limit = WORKS.length): Promise<DemoWork[]> {
  const works: DemoWork[] = [];
  for (const entry of WORKS.slice(0, limit)) {
    const input = edition(entry, rng);
    const id = await createWork(trx, actor, input);
    const kazakhClassic = input.language === 'kaz' && input.bbk === '84(5Каз)';
    const children = input.ageRating === '0+' || input.ageRating === '6+';
    works.push({
      id,
      language: input.language!,
      ageRating: input.ageRating!,
      popularity: kazakhClassic || children ? 2 : 1,
      ...(entry.neighbours ? { neighbours: entry.neighbours } : {}),
    });
  }
  return works;
}

/** A textbook per subject and grade, in each language the school teaches that grade in. */
export async function catalogueTextbooks(
  trx: Executor,
  actor: Actor,
  rng: Random,
  taught: (grade: number, language: 'kaz' | 'rus') => boolean,
): Promise<TextbookWork[]> {
  const textbooks: TextbookWork[] = [];
  for (const subject of SUBJECTS) {
    for (const grade of subject.grades) {
      for (const language of ['kaz', 'rus'] as const) {
        if (!taught(grade, language)) continue;
        const publisher = rng.pick(TEXTBOOK_PUBLISHERS);
        const title = language === 'kaz' ? `${subject.kk} ${grade}-сынып` : `${subject.ru}. ${grade} класс`;
        const id = await createWork(trx, actor, {
          title,
          subtitle: language === 'kaz' ? 'Жалпы білім беретін мектептің оқулығы' : 'Учебник для общеобразовательной школы',
          publisher: publisher.name,
          publishPlace: publisher.place,
          publishYear: rng.int(2017, 2024),
          language,
          pages: rng.int(128, 272),
          bbk: subject.bbk,
          genre: language === 'kaz' ? 'оқулық' : 'учебник',
          ageRating: grade <= 6 ? '6+' : '12+',
        });
        textbooks.push({ id, grade, language, subject: language === 'kaz' ? subject.kk : subject.ru });
      }
    }
  }
  return textbooks;
}

function shelfOf(work: DemoWork, shelf: number): string {
  if (work.ageRating === '0+') return `Кіші сынып оқырмандары, ${shelf}-сөре`;
  const section = work.language === 'rus' ? 'Орыс тіліндегі әдебиет' : 'Қазақ тіліндегі әдебиет';
  return `Абонемент: ${section}, ${shelf}-сөре`;
}

function dateBetween(rng: Random, from: string, to: string): string {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  return new Date(a + rng.next() * Math.max(0, b - a)).toISOString().slice(0, 10);
}

/** Copies of the main fund through the fund's addCopies: real inventory numbers and barcodes. */
export async function shelveCopies(
  trx: Executor,
  actor: Actor,
  rng: Random,
  works: DemoWork[],
  copiesPerWork: [number, number],
  today: string,
): Promise<number[]> {
  const copyIds: number[] = [];
  for (const [index, work] of works.entries()) {
    const count = rng.int(copiesPerWork[0], copiesPerWork[1]) * work.popularity;
    const copies = await addCopies(trx, actor, {
      workId: work.id,
      count,
      fund: 'main',
      priceTiyn: rng.int(15, 60) * 10_000,
      location: shelfOf(work, 1 + (index % 24)),
      acquiredOn: dateBetween(rng, '2012-01-01', today),
    });
    copyIds.push(...copies.map((c) => c.id));
  }
  return copyIds;
}
