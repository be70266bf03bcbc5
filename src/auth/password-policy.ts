import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import type * as languageCommon from '@zxcvbn-ts/language-common';
import { lazy } from '../shared/lazy.js';
import type { Role } from '../org/schema.js';
import { invalid } from '../shared/errors.js';

/** Staff who can see every reader of a library (or more) need longer passwords. */
export const MIN_LENGTH: Record<Role, number> = {
  admin: 10,
  librarian: 10,
  methodologist: 10,
  teacher: 8,
  student: 8,
  parent: 8,
};

/** zxcvbn's score (0–4) a password must reach: 3 is "safely unguessable" against an online attack. */
const MIN_SCORE = 3;

/**
 * Words people of a Kazakh school put into passwords, in Cyrillic and in the Latin spellings the
 * keyboard makes of them: the country, cities, the school and library, greetings, family words,
 * famous names. The common English dictionaries of zxcvbn do not know them.
 */
export const LOCAL_WORDS = [
  // Kazakh
  'кітапхана', 'кітапханашы', 'кітап', 'мектеп', 'сынып', 'мұғалім', 'оқушы', 'оқырман', 'құпиясөз', 'сәлем', 'сәлеметсіз',
  'рахмет', 'қазақстан', 'қазақ', 'астана', 'алматы', 'шымкент', 'қарағанды', 'семей', 'ақтөбе', 'абай', 'әуезов', 'нұрсұлтан',
  'тәуелсіздік', 'отан', 'ана', 'әке', 'апа', 'ата', 'әже', 'бала', 'балалар', 'жұлдыз', 'айгүл', 'аружан', 'ерлан', 'дана',
  'наурыз', 'бақыт', 'махаббат', 'жаным', 'күнім', 'айым', 'бауырым', 'достық', 'жеңіс',
  // Russian
  'пароль', 'библиотека', 'библиотекарь', 'книга', 'школа', 'класс', 'учитель', 'ученик', 'читатель', 'привет', 'здравствуйте',
  'спасибо', 'казахстан', 'россия', 'москва', 'любовь', 'люблю', 'мама', 'папа', 'бабушка', 'солнце', 'солнышко', 'котик',
  'зайка', 'наташа', 'сергей', 'александр', 'елена', 'ольга', 'админ', 'администратор', 'пусть', 'победа', 'родина',
  // The same as typed under a Latin layout or transliterated
  'kitaphana', 'kitapkhana', 'kitap', 'mektep', 'qazaqstan', 'kazakhstan', 'kazakstan', 'qazaq', 'kazakh', 'astana', 'almaty',
  'shymkent', 'karaganda', 'semey', 'aktobe', 'abai', 'abay', 'auezov', 'nursultan', 'salem', 'rakhmet', 'rahmet', 'nauryz',
  'parol', 'biblioteka', 'bibliotekar', 'kniga', 'shkola', 'uchitel', 'privet', 'spasibo', 'lyubov', 'lubov', 'mama', 'papa',
  'solnce', 'kotik', 'zaika', 'natasha', 'sergey', 'aleksandr', 'admin', 'librarian', 'library', 'school', 'teacher', 'student',
  'gfhjkm', 'qwerty', 'йцукен', 'йцукенг', 'фывапролдж', 'ячсмить', 'kitaphana2024', 'kitaphana2025', 'kitaphana2026',
];

// the dictionaries alone are some 13 MB: loaded when a password is first checked
const core = lazy<typeof import('@zxcvbn-ts/core')>('@zxcvbn-ts/core');
const common = lazy<typeof languageCommon>('@zxcvbn-ts/language-common');

let factory: ZxcvbnFactory | undefined;
function checker(): ZxcvbnFactory {
  const { adjacencyGraphs, dictionary } = common();
  factory ??= new (core().ZxcvbnFactory)({
    dictionary: { ...dictionary, kitaphanaLocal: LOCAL_WORDS },
    graphs: adjacencyGraphs,
  });
  return factory;
}

export interface PasswordOwner {
  login: string;
  role: Role;
  fullName?: string;
}

/**
 * Refuses a password that is short for the role, is (or holds) the login or the person's name, or
 * is guessable by a dictionary check with Kazakh and Russian words. Each refusal has its own code
 * under `password.*`, translated in the three languages.
 */
export function checkPasswordPolicy(password: string, owner: PasswordOwner): void {
  const min = MIN_LENGTH[owner.role];
  if ([...password].length < min) throw invalid('password.too_short', { min });
  const lower = password.toLowerCase();
  const login = owner.login.trim().toLowerCase();
  if (login.length >= 3 && (lower.includes(login) || login.includes(lower))) throw invalid('password.contains_login');
  const names = (owner.fullName ?? '').toLowerCase().split(/[\s\-.]+/u).filter((n) => n.length >= 3);
  const result = checker().check(password, [owner.login, ...names, 'kitaphana']);
  if (result.score < MIN_SCORE) throw invalid('password.too_guessable');
}
