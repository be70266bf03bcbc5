import type { Random } from '../src/demo/random.js';

/**
 * The query mix of the search benchmark: what readers and librarians type, in every script
 * the folding must bring together. Each query carries its kind so the report can show which
 * kind is slow.
 */
export type QueryKind = 'cyrillic' | 'latin2017' | 'latin2018' | 'latin2021' | 'russian_keyboard' | 'prefix' | 'multi_word' | 'author';

export interface BenchQuery {
  q: string;
  kind: QueryKind;
}

const LATIN_COMMON: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ж: 'j', з: 'z', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o',
  п: 'p', р: 'r', с: 's', т: 't', ф: 'f', х: 'h', һ: 'h', ц: 'ts', э: 'e', ю: 'iu', я: 'ia', ь: '', ъ: '', ё: 'io',
};
const LATIN_2017: Record<string, string> = {
  ...LATIN_COMMON, ә: "a'", ғ: "g'", қ: 'q', ң: "n'", ө: "o'", ұ: 'u', ү: "u'", ы: 'y', і: 'i', и: "i'", й: "i'", у: "y'", ш: "s'", ч: "c'",
};
const LATIN_2018: Record<string, string> = {
  ...LATIN_COMMON, ә: 'á', ғ: 'ǵ', қ: 'q', ң: 'ń', ө: 'ó', ұ: 'u', ү: 'ú', ы: 'y', і: 'i', и: 'ı', й: 'ı', у: 'ý', ш: 'sh', ч: 'ch',
};
const LATIN_2021: Record<string, string> = {
  ...LATIN_COMMON, ә: 'ä', ғ: 'ğ', қ: 'q', ң: 'ñ', ө: 'ö', ұ: 'ū', ү: 'ü', ы: 'y', і: 'i', и: 'i', й: 'i', у: 'u', ш: 'ş', ч: 'ç',
};
/** A Russian keyboard has no Kazakh letters: people type the nearest Russian one. */
const RUSSIAN_KEYBOARD: Record<string, string> = { ә: 'а', ғ: 'г', қ: 'к', ң: 'н', ө: 'о', ұ: 'у', ү: 'у', һ: 'х', і: 'и' };

function transliterate(text: string, table: Record<string, string>): string {
  return [...text.toLowerCase()].map((ch) => table[ch] ?? ch).join('');
}

/** A catalogued work the queries are made from: what a reader remembers of a book. */
export interface QuerySource {
  title: string;
  author: string;
}

const words = (text: string) => text.split(/[\s.,:;!?«»"]+/).filter((w) => w.length > 1);
const surname = (author: string) => author.split(' ').at(-1)!;

/** About `count` queries in a fixed proportion of kinds, made from works of the catalogue itself. */
export function buildQueryMix(rng: Random, sources: QuerySource[], count = 200): BenchQuery[] {
  const source = () => rng.pick(sources);
  const titleWords = (max: number) => {
    const w = words(source().title);
    const from = rng.int(0, Math.max(0, w.length - 1));
    return w.slice(from, from + rng.int(1, max)).join(' ') || source().title;
  };
  const makers: [QueryKind, number, () => string][] = [
    ['cyrillic', 0.18, () => titleWords(2)],
    ['author', 0.12, () => surname(source().author)],
    ['latin2017', 0.1, () => transliterate(titleWords(2), LATIN_2017)],
    ['latin2018', 0.1, () => transliterate(titleWords(2), LATIN_2018)],
    ['latin2021', 0.1, () => transliterate(titleWords(2), LATIN_2021)],
    ['russian_keyboard', 0.14, () => transliterate(rng.chance(0.5) ? source().author : titleWords(3), RUSSIAN_KEYBOARD)],
    ['prefix', 0.12, () => source().title.slice(0, rng.int(1, 3))],
    [
      'multi_word',
      0.14,
      () => {
        const s = source();
        return `${rng.pick(words(s.title))} ${surname(s.author)}`;
      },
    ],
  ];
  const queries: BenchQuery[] = [];
  for (const [kind, share, make] of makers) {
    for (let i = 0; i < Math.max(1, Math.round(count * share)); i++) queries.push({ kind, q: make() });
  }
  return queries;
}
