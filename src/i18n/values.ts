import type { Messages } from './index.js';

/**
 * Words the code passes as message parameters (`notFound('copy', id)`, `{ status: 'lost' }`): each is
 * shown in the reader's language by `t()` through `value.<param>.<word>`, so that no message reads
 * «Табылмады: copy 1000999999». A parameter not listed here is shown as given (a barcode, a title).
 */
const entity = {
  kk: {
    work: 'библиографиялық жазба', copy: 'дана', reader: 'оқырман', organisation: 'ұйым', import_batch: 'импорт', author: 'автор',
    user: 'тіркелгі', reclist_match: 'тізім сәйкестігі', receipt: 'түсім', loan: 'кітап беру', cover: 'мұқаба', write_off_act: 'есептен шығару актісі',
    textbook_batch: 'оқулықтар партиясы', reclist_version: 'тізім нұсқасы', receipt_line: 'түсім жолы', promotion: 'сыныпқа көшіру',
    curriculum: 'оқу жоспары', check: 'қорды тексеру', backup: 'сақтық көшірме', holdings_profile: 'даналар профилі', reading_action: 'оқу акциясы', schedule_item: 'көрмелер кестесінің жолы', reservation: 'брондау',
  },
  ru: {
    work: 'библиографическая запись', copy: 'экземпляр', reader: 'читатель', organisation: 'организация', import_batch: 'импорт', author: 'автор',
    user: 'учётная запись', reclist_match: 'сопоставление списка', receipt: 'поступление', loan: 'выдача', cover: 'обложка', write_off_act: 'акт списания',
    textbook_batch: 'партия учебников', reclist_version: 'версия списка', receipt_line: 'строка поступления', promotion: 'перевод в следующий класс',
    curriculum: 'учебный план', check: 'проверка фонда', backup: 'резервная копия', holdings_profile: 'профиль экземпляров', reading_action: 'акция чтения', schedule_item: 'строка графика выставок', reservation: 'бронь',
  },
  en: {
    work: 'record', copy: 'copy', reader: 'reader', organisation: 'organisation', import_batch: 'import', author: 'author',
    user: 'account', reclist_match: 'list match', receipt: 'receipt', loan: 'loan', cover: 'cover', write_off_act: 'write-off act',
    textbook_batch: 'textbook batch', reclist_version: 'list version', receipt_line: 'receipt line', promotion: 'promotion',
    curriculum: 'curriculum', check: 'fund check', backup: 'backup', holdings_profile: 'holdings profile', reading_action: 'reading action', schedule_item: 'exhibition schedule line', reservation: 'reservation',
  },
};
const organisationKind = {
  kk: { republic: 'республика', region: 'облыс', district: 'аудан', school: 'мектеп', college: 'колледж', children_library: 'балалар кітапханасы' },
  ru: { republic: 'республика', region: 'область', district: 'район', school: 'школа', college: 'колледж', children_library: 'детская библиотека' },
  en: { republic: 'republic', region: 'region', district: 'district', school: 'school', college: 'college', children_library: "children's library" },
};
const readerKind = {
  kk: { student: 'оқушы', teacher: 'мұғалім', staff: 'қызметкер', parent: 'ата-ана', other: 'басқа оқырман' },
  ru: { student: 'ученик', teacher: 'учитель', staff: 'сотрудник', parent: 'родитель', other: 'другой читатель' },
  en: { student: 'student', teacher: 'teacher', staff: 'staff', parent: 'parent', other: 'other reader' },
};
const fund = {
  kk: { main: 'негізгі қор', textbook: 'оқулық қоры', periodical: 'мерзімді басылымдар', electronic: 'электрондық басылымдар', off_balance: 'баланстан тыс' },
  ru: { main: 'основной фонд', textbook: 'фонд учебников', periodical: 'периодика', electronic: 'электронные издания', off_balance: 'забалансовый' },
  en: { main: 'main fund', textbook: 'textbook fund', periodical: 'periodicals', electronic: 'electronic', off_balance: 'off balance' },
};
const status = {
  kk: {
    available: 'сөреде', on_loan: 'оқырманда', in_repair: 'жөндеуде', lost: 'жоғалған', written_off: 'есептен шығарылған',
    active: 'белсенді', left: 'кеткен', running: 'орындалуда', done: 'аяқталды', failed: 'сәтсіз', undone: 'болдырылмады',
    confirmed: 'расталған', pending: 'күтуде', rejected: 'қабылданбаған',
  },
  ru: {
    available: 'на полке', on_loan: 'у читателя', in_repair: 'в ремонте', lost: 'утерян', written_off: 'списан',
    active: 'активен', left: 'выбыл', running: 'выполняется', done: 'завершён', failed: 'не удался', undone: 'отменён',
    confirmed: 'подтверждено', pending: 'ожидает', rejected: 'отклонено',
  },
  en: {
    available: 'available', on_loan: 'on loan', in_repair: 'in repair', lost: 'lost', written_off: 'written off',
    active: 'active', left: 'left', running: 'running', done: 'done', failed: 'failed', undone: 'undone',
    confirmed: 'confirmed', pending: 'pending', rejected: 'rejected',
  },
};
const role = {
  kk: { admin: 'әкімші', methodologist: 'әдіскер', librarian: 'кітапханашы', teacher: 'мұғалім', student: 'оқушы', parent: 'ата-ана' },
  ru: { admin: 'администратор', methodologist: 'методист', librarian: 'библиотекарь', teacher: 'учитель', student: 'ученик', parent: 'родитель' },
  en: { admin: 'admin', methodologist: 'methodologist', librarian: 'librarian', teacher: 'teacher', student: 'student', parent: 'parent' },
};
const reason = {
  kk: {
    physical_wear: 'тозу', obsolete_content: 'мазмұны ескірген', lost_by_reader: 'оқырман жоғалтқан', defective: 'ақаулы', out_of_profile: 'бейінге сай емес',
    duplicate: 'артық дана', storage_expired: 'сақтау мерзімі өткен', missing_at_check: 'тексеруде табылмаған', wear: 'тозу', curriculum_change: 'оқу жоспары өзгерген', loss: 'жоғалту',
  },
  ru: {
    physical_wear: 'ветхость', obsolete_content: 'устарело по содержанию', lost_by_reader: 'утеряно читателем', defective: 'дефект', out_of_profile: 'непрофильное',
    duplicate: 'дублет', storage_expired: 'истёк срок хранения', missing_at_check: 'не найдено при проверке', wear: 'износ', curriculum_change: 'смена учебной программы', loss: 'утеря',
  },
  en: {
    physical_wear: 'wear', obsolete_content: 'obsolete content', lost_by_reader: 'lost by a reader', defective: 'defective', out_of_profile: 'out of profile',
    duplicate: 'duplicate', storage_expired: 'storage period over', missing_at_check: 'missing at a check', wear: 'wear', curriculum_change: 'curriculum change', loss: 'loss',
  },
};

/** Which vocabulary each parameter name takes its words from. */
export const PARAM_VOCABULARY: Record<string, Record<'kk' | 'ru' | 'en', Record<string, string>>> = {
  entity,
  kind: { kk: { ...organisationKind.kk, ...readerKind.kk }, ru: { ...organisationKind.ru, ...readerKind.ru }, en: { ...organisationKind.en, ...readerKind.en } },
  parentKind: organisationKind,
  readerKind,
  fund,
  status,
  role,
  reason,
};

export const valueMessages: Messages = { kk: {}, ru: {}, en: {} };
for (const [param, vocabulary] of Object.entries(PARAM_VOCABULARY)) {
  for (const locale of ['kk', 'ru', 'en'] as const) {
    for (const [word, text] of Object.entries(vocabulary[locale])) valueMessages[locale][`value.${param}.${word}`] = text;
  }
}
