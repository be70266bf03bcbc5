import type { Random } from './random.js';

/** Names of a Semey school: mostly Kazakh, Russian ones more common in Russian-medium classes. */

const KAZAKH_BOYS = [
  'Ерасыл', 'Алихан', 'Нұрислам', 'Темірлан', 'Ақжол', 'Бекзат', 'Даниял', 'Санжар', 'Мирас', 'Ислам',
  'Әли', 'Айбек', 'Арман', 'Дәулет', 'Жандос', 'Ернұр', 'Нұрдәулет', 'Елдос', 'Абылай', 'Омар',
];
const KAZAKH_GIRLS = [
  'Аружан', 'Айша', 'Айзере', 'Әсел', 'Жансая', 'Томирис', 'Інжу', 'Аяулым', 'Медина', 'Әмина',
  'Мадина', 'Айгерім', 'Назерке', 'Балнұр', 'Ақбота', 'Сезім', 'Жұлдыз', 'Дильназ', 'Нұрай', 'Гүлназ',
];
const KAZAKH_MEN = ['Ерлан', 'Нұрлан', 'Серік', 'Бауыржан', 'Асқар', 'Ержан', 'Қайрат', 'Мұрат', 'Дәурен', 'Талғат', 'Бақыт', 'Марат'];
const KAZAKH_WOMEN = ['Гүлнар', 'Айгүл', 'Сәуле', 'Динара', 'Жанар', 'Әлия', 'Ботагөз', 'Мөлдір', 'Раушан', 'Гүлмира', 'Салтанат', 'Лаура'];
/** Surname stems that take -ов/-ова (or -ев/-ева after a vowel-final stem, written out in full). */
const KAZAKH_SURNAMES = [
  ['Сәрсенбаев', 'Сәрсенбаева'], ['Серікбаев', 'Серікбаева'], ['Ахметов', 'Ахметова'], ['Жұмабеков', 'Жұмабекова'],
  ['Төлеубаев', 'Төлеубаева'], ['Оспанов', 'Оспанова'], ['Қасымов', 'Қасымова'], ['Бекмұхамбетов', 'Бекмұхамбетова'],
  ['Есенов', 'Есенова'], ['Әбдірахманов', 'Әбдірахманова'], ['Мұратов', 'Мұратова'], ['Тоқтаров', 'Тоқтарова'],
  ['Омаров', 'Омарова'], ['Смағұлов', 'Смағұлова'], ['Бейсенов', 'Бейсенова'], ['Құдайбергенов', 'Құдайбергенова'],
  ['Жақсылықов', 'Жақсылықова'], ['Нұрғалиев', 'Нұрғалиева'], ['Қабдешев', 'Қабдешева'], ['Мәмбетов', 'Мәмбетова'],
] as const;

const RUSSIAN_BOYS = ['Александр', 'Дмитрий', 'Максим', 'Артём', 'Иван', 'Михаил', 'Никита', 'Егор', 'Кирилл', 'Матвей'];
const RUSSIAN_GIRLS = ['Анастасия', 'Мария', 'Дарья', 'Анна', 'Полина', 'Виктория', 'Елизавета', 'Софья', 'Алиса', 'Ксения'];
const RUSSIAN_FATHERS = [
  ['Александрович', 'Александровна'], ['Сергеевич', 'Сергеевна'], ['Андреевич', 'Андреевна'], ['Викторович', 'Викторовна'],
  ['Николаевич', 'Николаевна'], ['Владимирович', 'Владимировна'], ['Олегович', 'Олеговна'], ['Игоревич', 'Игоревна'],
] as const;
const RUSSIAN_MOTHERS = ['Елена', 'Ольга', 'Наталья', 'Татьяна', 'Светлана', 'Ирина', 'Юлия', 'Оксана'];
const RUSSIAN_SURNAMES = [
  ['Иванов', 'Иванова'], ['Петров', 'Петрова'], ['Смирнов', 'Смирнова'], ['Кузнецов', 'Кузнецова'], ['Попов', 'Попова'],
  ['Васильев', 'Васильева'], ['Соколов', 'Соколова'], ['Морозов', 'Морозова'], ['Новиков', 'Новикова'], ['Волков', 'Волкова'],
  ['Лебедев', 'Лебедева'], ['Козлов', 'Козлова'], ['Ким', 'Ким'], ['Шевченко', 'Шевченко'], ['Бондаренко', 'Бондаренко'],
] as const;

export interface Person {
  lastName: string;
  firstName: string;
  middleName: string | null;
  /** Mother's surname and name, as a parent contact. */
  parentName: string;
}

function kazakhPerson(rng: Random, female: boolean, child: boolean): Person {
  const father = rng.pick(KAZAKH_MEN);
  const firstName = child ? rng.pick(female ? KAZAKH_GIRLS : KAZAKH_BOYS) : rng.pick(female ? KAZAKH_WOMEN : KAZAKH_MEN);
  const patronymic = `${father}${female ? 'қызы' : 'ұлы'}`;
  const [male, fem] = rng.pick(KAZAKH_SURNAMES);
  // Some families write the father's name with -ұлы/-қызы as the surname instead of -ов/-ова.
  const lastName = rng.chance(0.15) ? patronymic : female ? fem : male;
  return {
    lastName,
    firstName,
    middleName: lastName === patronymic ? null : patronymic,
    parentName: `${fem} ${rng.pick(KAZAKH_WOMEN)}`,
  };
}

function russianPerson(rng: Random, female: boolean, child: boolean): Person {
  const [male, fem] = rng.pick(RUSSIAN_SURNAMES);
  const [son, daughter] = rng.pick(RUSSIAN_FATHERS);
  const firstName = child ? rng.pick(female ? RUSSIAN_GIRLS : RUSSIAN_BOYS) : rng.pick(female ? RUSSIAN_MOTHERS : RUSSIAN_BOYS);
  return {
    lastName: female ? fem : male,
    firstName,
    middleName: female ? daughter : son,
    parentName: `${fem} ${rng.pick(RUSSIAN_MOTHERS)}`,
  };
}

/** A person whose name is Russian with the given probability, Kazakh otherwise. */
export function makePerson(rng: Random, options: { russianShare: number; child: boolean; female?: boolean }): Person {
  const female = options.female ?? rng.chance(0.5);
  return rng.chance(options.russianShare) ? russianPerson(rng, female, options.child) : kazakhPerson(rng, female, options.child);
}

/** A Kazakhstan mobile number as librarians write it: +7 7xx xxx xx xx. */
export function mobilePhone(rng: Random): string {
  const operator = rng.pick(['701', '702', '705', '707', '747', '771', '775', '777', '778']);
  const d = rng.digits(7);
  return `+7 ${operator} ${d.slice(0, 3)} ${d.slice(3, 5)} ${d.slice(5)}`;
}
