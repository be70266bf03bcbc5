import type { Random } from '../src/demo/random.js';
import { makePerson } from '../src/demo/names.js';

/**
 * Word lists for a synthetic catalogue that reads like a Kazakhstan school library's:
 * Kazakh and Russian titles, Kazakh and Russian authors, series and volume numbers.
 */

export const KAZAKH_NOUNS = [
  'дала', 'тау', 'өзен', 'көл', 'жұлдыз', 'ай', 'күн', 'бала', 'ана', 'әке', 'жол', 'жүрек', 'ақын', 'батыр',
  'тұлпар', 'бүркіт', 'қыран', 'түн', 'таң', 'көктем', 'күз', 'қыс', 'жаз', 'орман', 'теңіз', 'арман', 'өмір',
  'сыр', 'ән', 'күй', 'домбыра', 'хат', 'кітап', 'мектеп', 'дос', 'ел', 'жер', 'сапар', 'аңыз', 'ертегі',
  'құпия', 'әлем', 'уақыт', 'тарих', 'ауыл', 'қала', 'бақ', 'шежіре', 'көш', 'құс', 'бөрі', 'түлкі', 'қоян',
  'арқа', 'жайлау', 'ұстаз', 'шәкірт', 'ғалам', 'сәуле', 'шуақ', 'нұр', 'дастан', 'толғау', 'мұра', 'үміт',
];
export const KAZAKH_ADJECTIVES = [
  'ақ', 'көк', 'қара', 'қызыл', 'алтын', 'күміс', 'ұлы', 'кіші', 'жас', 'кәрі', 'соңғы', 'алғашқы', 'мәңгі',
  'жасыл', 'сары', 'ескі', 'жаңа', 'биік', 'терең', 'ұзақ', 'қасиетті', 'сиқырлы', 'көне', 'айдынды', 'шексіз',
];
export const KAZAKH_PATTERNS = ['{A} {N}', '{N} мен {N}', '{A} {N} туралы аңыз', '{N} сыры', '{A} {N}: әңгімелер', '{N} жолында', '{N} әлемі'];

const RUSSIAN_NOUNS: [string, 'm' | 'f' | 'n'][] = [
  ['степь', 'f'], ['гора', 'f'], ['река', 'f'], ['звезда', 'f'], ['луна', 'f'], ['дорога', 'f'], ['тайна', 'f'],
  ['песня', 'f'], ['книга', 'f'], ['школа', 'f'], ['земля', 'f'], ['легенда', 'f'], ['сказка', 'f'], ['история', 'f'],
  ['мальчик', 'm'], ['отец', 'm'], ['поэт', 'm'], ['герой', 'm'], ['конь', 'm'], ['беркут', 'm'], ['рассвет', 'm'],
  ['лес', 'm'], ['друг', 'm'], ['путь', 'm'], ['мир', 'm'], ['город', 'm'], ['сад', 'm'], ['остров', 'm'],
  ['солнце', 'n'], ['сердце', 'n'], ['море', 'n'], ['озеро', 'n'], ['письмо', 'n'], ['время', 'n'], ['небо', 'n'],
];
const RUSSIAN_ADJECTIVES: Record<'m' | 'f' | 'n', string>[] = [
  { m: 'белый', f: 'белая', n: 'белое' }, { m: 'синий', f: 'синяя', n: 'синее' }, { m: 'золотой', f: 'золотая', n: 'золотое' },
  { m: 'старый', f: 'старая', n: 'старое' }, { m: 'новый', f: 'новая', n: 'новое' }, { m: 'последний', f: 'последняя', n: 'последнее' },
  { m: 'далёкий', f: 'далёкая', n: 'далёкое' }, { m: 'волшебный', f: 'волшебная', n: 'волшебное' }, { m: 'тихий', f: 'тихая', n: 'тихое' },
  { m: 'великий', f: 'великая', n: 'великое' }, { m: 'степной', f: 'степная', n: 'степное' }, { m: 'тайный', f: 'тайная', n: 'тайное' },
];

function kazakhTitle(rng: Random): string {
  const title = rng
    .pick(KAZAKH_PATTERNS)
    .replace(/\{A\}/g, () => rng.pick(KAZAKH_ADJECTIVES))
    .replace(/\{N\}/g, () => rng.pick(KAZAKH_NOUNS));
  return title[0]!.toUpperCase() + title.slice(1);
}

function russianTitle(rng: Random): string {
  const [noun, gender] = rng.pick(RUSSIAN_NOUNS);
  const adjective = rng.pick(RUSSIAN_ADJECTIVES)[gender];
  const [other] = rng.pick(RUSSIAN_NOUNS);
  const title = rng.chance(0.6) ? `${adjective} ${noun}` : rng.chance(0.5) ? `${noun} и ${other}` : `${adjective} ${noun}. Рассказы`;
  return title[0]!.toUpperCase() + title.slice(1);
}

export interface SyntheticWork {
  title: string;
  language: 'kaz' | 'rus';
  publishYear: number;
  authorIndex: number;
}

/** A title, with a volume number now and then, as series and multi-volume editions have. */
export function syntheticWork(rng: Random, authors: number): SyntheticWork {
  const language = rng.chance(0.65) ? 'kaz' : 'rus';
  let title = language === 'kaz' ? kazakhTitle(rng) : russianTitle(rng);
  if (rng.chance(0.08)) title += language === 'kaz' ? `. ${rng.int(1, 5)}-кітап` : `. Книга ${rng.int(1, 5)}`;
  return { title, language, publishYear: rng.int(1960, 2025), authorIndex: rng.int(0, authors - 1) };
}

export function syntheticAuthor(rng: Random): string {
  const person = makePerson(rng, { russianShare: 0.35, child: false, female: rng.chance(0.4) });
  return `${person.firstName} ${person.lastName}`;
}
