/**
 * National days of Kazakhstan and international days kept by libraries and schools, fixed or
 * movable ("the third Sunday of June"). Each is listed in every year it is kept; a day that was
 * established or moved in a given year says so with `from` / `until`.
 */

export type DayKind = 'national_day' | 'international_day';

/** A rule: a fixed month and day, or the n-th (or, with -1, the last) weekday of a month. */
export type DayRule =
  | { fixed: [month: number, day: number] }
  | { nth: number; weekday: number; month: number };

export interface Day {
  key: string;
  kind: DayKind;
  kk: string;
  ru: string;
  en: string;
  rule: DayRule;
  /** First and last year the rule applies (inclusive). */
  from?: number;
  until?: number;
}

const SUNDAY = 0;
const MONDAY = 1;

export const DAYS: Day[] = [
  // National days and holidays of the Republic of Kazakhstan
  { key: 'gratitude', kind: 'national_day', kk: 'Алғыс айту күні', ru: 'День благодарности', en: 'Day of Gratitude', rule: { fixed: [3, 1] }, from: 2016 },
  { key: 'nauryz', kind: 'national_day', kk: 'Наурыз мейрамы', ru: 'Праздник Наурыз', en: 'Nauryz holiday', rule: { fixed: [3, 22] } },
  { key: 'unity', kind: 'national_day', kk: 'Қазақстан халқының бірлігі мерекесі', ru: 'Праздник единства народа Казахстана', en: 'Day of Unity of the People of Kazakhstan', rule: { fixed: [5, 1] } },
  { key: 'defender', kind: 'national_day', kk: 'Отан қорғаушы күні', ru: 'День защитника Отечества', en: 'Defender of the Fatherland Day', rule: { fixed: [5, 7] } },
  { key: 'victory', kind: 'national_day', kk: 'Жеңіс күні', ru: 'День Победы', en: 'Victory Day', rule: { fixed: [5, 9] } },
  { key: 'culture', kind: 'national_day', kk: 'Мәдениет және өнер қызметкерлері күні', ru: 'День работников культуры и искусства', en: 'Day of Workers of Culture and Art', rule: { fixed: [5, 21] } },
  { key: 'repression', kind: 'national_day', kk: 'Саяси қуғын-сүргін және ашаршылық құрбандарын еске алу күні', ru: 'День памяти жертв политических репрессий и голода', en: 'Day of Remembrance of the Victims of Political Repression and Famine', rule: { fixed: [5, 31] } },
  { key: 'symbols', kind: 'national_day', kk: 'Мемлекеттік рәміздер күні', ru: 'День государственных символов', en: 'Day of the State Symbols', rule: { fixed: [6, 4] } },
  { key: 'medics', kind: 'national_day', kk: 'Медицина қызметкерлері күні', ru: 'День медицинского работника', en: 'Day of Medical Workers', rule: { nth: 3, weekday: SUNDAY, month: 6 } },
  { key: 'press', kind: 'national_day', kk: 'Бұқаралық ақпарат құралдары қызметкерлерінің күні', ru: 'День работников средств массовой информации', en: 'Day of Mass Media Workers', rule: { fixed: [6, 28] } },
  { key: 'capital', kind: 'national_day', kk: 'Астана күні', ru: 'День столицы', en: 'Capital Day', rule: { fixed: [7, 6] } },
  { key: 'dombra', kind: 'national_day', kk: 'Ұлттық домбыра күні', ru: 'День национальной домбры', en: 'National Dombra Day', rule: { nth: 1, weekday: SUNDAY, month: 7 }, from: 2018 },
  { key: 'constitution', kind: 'national_day', kk: 'Қазақстан Республикасының Конституциясы күні', ru: 'День Конституции Республики Казахстан', en: 'Constitution Day of the Republic of Kazakhstan', rule: { fixed: [8, 30] } },
  { key: 'knowledge', kind: 'national_day', kk: 'Білім күні', ru: 'День знаний', en: 'Day of Knowledge', rule: { fixed: [9, 1] } },
  { key: 'languages', kind: 'national_day', kk: 'Қазақстан халқының тілдері күні', ru: 'День языков народа Казахстана', en: 'Day of the Languages of the People of Kazakhstan', rule: { nth: 3, weekday: SUNDAY, month: 9 }, until: 2017 },
  // moved to 5 September, Akhmet Baitursynuly's birthday, by Government decree No. 689 of 31 October 2017, from 2018
  { key: 'languages-5-09', kind: 'national_day', kk: 'Қазақстан халқының тілдері күні', ru: 'День языков народа Казахстана', en: 'Day of the Languages of the People of Kazakhstan', rule: { fixed: [9, 5] }, from: 2018 },
  { key: 'family', kind: 'national_day', kk: 'Отбасы күні', ru: 'День семьи', en: 'Family Day', rule: { nth: 2, weekday: SUNDAY, month: 9 }, from: 2013 },
  { key: 'spiritual-accord', kind: 'national_day', kk: 'Рухани келісім күні', ru: 'День духовного согласия', en: 'Day of Spiritual Accord', rule: { fixed: [10, 18] } },
  { key: 'republic', kind: 'national_day', kk: 'Республика күні', ru: 'День Республики', en: 'Republic Day', rule: { fixed: [10, 25] } },
  { key: 'currency', kind: 'national_day', kk: 'Ұлттық валюта – теңге күні', ru: 'День национальной валюты – тенге', en: 'Day of the National Currency, the Tenge', rule: { fixed: [11, 15] } },
  { key: 'independence', kind: 'national_day', kk: 'Тәуелсіздік күні', ru: 'День Независимости', en: 'Independence Day', rule: { fixed: [12, 16] } },
  // International days
  { key: 'mother-language', kind: 'international_day', kk: 'Халықаралық ана тілі күні', ru: 'Международный день родного языка', en: 'International Mother Language Day', rule: { fixed: [2, 21] } },
  { key: 'women', kind: 'international_day', kk: 'Халықаралық әйелдер күні', ru: 'Международный женский день', en: "International Women's Day", rule: { fixed: [3, 8] } },
  { key: 'poetry', kind: 'international_day', kk: 'Дүниежүзілік поэзия күні', ru: 'Всемирный день поэзии', en: 'World Poetry Day', rule: { fixed: [3, 21] } },
  { key: 'theatre', kind: 'international_day', kk: 'Халықаралық театр күні', ru: 'Международный день театра', en: 'World Theatre Day', rule: { fixed: [3, 27] } },
  { key: 'childrens-book', kind: 'international_day', kk: 'Халықаралық балалар кітабы күні', ru: 'Международный день детской книги', en: "International Children's Book Day", rule: { fixed: [4, 2] } },
  { key: 'health', kind: 'international_day', kk: 'Дүниежүзілік денсаулық күні', ru: 'Всемирный день здоровья', en: 'World Health Day', rule: { fixed: [4, 7] } },
  { key: 'space', kind: 'international_day', kk: 'Халықаралық адамның ғарышқа ұшу күні', ru: 'Международный день полёта человека в космос', en: 'International Day of Human Space Flight', rule: { fixed: [4, 12] } },
  { key: 'monuments', kind: 'international_day', kk: 'Халықаралық ескерткіштер мен тарихи орындар күні', ru: 'Международный день памятников и исторических мест', en: 'International Day for Monuments and Sites', rule: { fixed: [4, 18] } },
  { key: 'earth', kind: 'international_day', kk: 'Жер күні', ru: 'День Земли', en: 'Earth Day', rule: { fixed: [4, 22] } },
  { key: 'book-copyright', kind: 'international_day', kk: 'Дүниежүзілік кітап және авторлық құқық күні', ru: 'Всемирный день книги и авторского права', en: 'World Book and Copyright Day', rule: { fixed: [4, 23] } },
  { key: 'ip', kind: 'international_day', kk: 'Дүниежүзілік зияткерлік меншік күні', ru: 'Всемирный день интеллектуальной собственности', en: 'World Intellectual Property Day', rule: { fixed: [4, 26] } },
  { key: 'cultural-diversity', kind: 'international_day', kk: 'Дүниежүзілік мәдени әралуандық күні', ru: 'Всемирный день культурного разнообразия', en: 'World Day for Cultural Diversity', rule: { fixed: [5, 21] } },
  { key: 'children', kind: 'international_day', kk: 'Халықаралық балаларды қорғау күні', ru: 'Международный день защиты детей', en: "International Children's Day", rule: { fixed: [6, 1] } },
  { key: 'environment', kind: 'international_day', kk: 'Дүниежүзілік қоршаған ортаны қорғау күні', ru: 'Всемирный день окружающей среды', en: 'World Environment Day', rule: { fixed: [6, 5] } },
  { key: 'literacy', kind: 'international_day', kk: 'Халықаралық сауаттылық күні', ru: 'Международный день грамотности', en: 'International Literacy Day', rule: { fixed: [9, 8] } },
  { key: 'translation', kind: 'international_day', kk: 'Халықаралық аударма күні', ru: 'Международный день переводчика', en: 'International Translation Day', rule: { fixed: [9, 30] } },
  { key: 'older-persons', kind: 'international_day', kk: 'Халықаралық қарттар күні', ru: 'Международный день пожилых людей', en: 'International Day of Older Persons', rule: { fixed: [10, 1] } },
  { key: 'teachers', kind: 'international_day', kk: 'Дүниежүзілік мұғалімдер күні', ru: 'Всемирный день учителя', en: "World Teachers' Day", rule: { fixed: [10, 5] } },
  { key: 'school-library', kind: 'international_day', kk: 'Халықаралық мектеп кітапханалары күні', ru: 'Международный день школьных библиотек', en: 'International School Library Day', rule: { nth: 4, weekday: MONDAY, month: 10 } },
  { key: 'tolerance', kind: 'international_day', kk: 'Халықаралық төзімділік күні', ru: 'Международный день толерантности', en: 'International Day for Tolerance', rule: { fixed: [11, 16] } },
  { key: 'childrens-day', kind: 'international_day', kk: 'Дүниежүзілік балалар күні', ru: 'Всемирный день ребёнка', en: "World Children's Day", rule: { fixed: [11, 20] } },
  { key: 'disabilities', kind: 'international_day', kk: 'Халықаралық мүмкіндігі шектеулі жандар күні', ru: 'Международный день инвалидов', en: 'International Day of Persons with Disabilities', rule: { fixed: [12, 3] } },
  { key: 'human-rights', kind: 'international_day', kk: 'Адам құқықтары күні', ru: 'День прав человека', en: 'Human Rights Day', rule: { fixed: [12, 10] } },
];

const pad = (n: number) => String(n).padStart(2, '0');
export const isoDate = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${pad(m)}-${pad(d)}`;

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

/** Day of the week (0 Sunday … 6 Saturday) of a Gregorian date, without the host clock. */
export function weekday(y: number, m: number, d: number): number {
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** The date a rule gives in a year: the n-th weekday of a month counted from its start, or from its end when n is -1. */
export function dateOfRule(rule: DayRule, year: number): string {
  if ('fixed' in rule) return isoDate(year, rule.fixed[0], rule.fixed[1]);
  const { nth, weekday: wd, month } = rule;
  if (nth > 0) {
    const first = weekday(year, month, 1);
    const day = 1 + ((wd - first + 7) % 7) + (nth - 1) * 7;
    return isoDate(year, month, day);
  }
  const lastDay = daysInMonth(year, month);
  const last = weekday(year, month, lastDay);
  return isoDate(year, month, lastDay - ((last - wd + 7) % 7));
}

/** Every day kept in a calendar year, with its date in that year. */
export function daysOfYear(year: number): { day: Day; date: string }[] {
  return DAYS.filter((d) => (d.from === undefined || year >= d.from) && (d.until === undefined || year <= d.until)).map((day) => ({
    day,
    date: dateOfRule(day.rule, year),
  }));
}
