/**
 * Printable papers about children's personal data: the consent form a legal representative signs,
 * the privacy notice the school hands to families (both in Kazakh and Russian), and the export of
 * everything held about one reader.
 */
import type { Locale } from '../org/schema.js';
import { newPdf, pdfToBuffer, type Pdf } from '../shared/pdf.js';
import type { SubjectData } from './privacy.js';
import { printDate } from '../shared/print-date.js';

export type PaperLocale = 'kk' | 'ru';


interface FormTexts {
  title: string;
  intro: (library: string) => string;
  representative: string;
  child: string;
  className: string;
  scopesTitle: string;
  scopes: [string, string][];
  rights: string;
  signature: string;
  date: string;
}

const FORM: Record<PaperLocale, FormTexts> = {
  kk: {
    title: 'Кәмелетке толмаған оқырманның дербес деректерін өңдеуге келісім',
    intro: (library) =>
      `«Дербес деректер және оларды қорғау туралы» Қазақстан Республикасының 2013 жылғы 21 мамырдағы № 94-V Заңына сәйкес мен, баланың заңды өкілі, «${library}» кітапханасына төменде белгіленген мақсаттар үшін баламның дербес деректерін өңдеуге келісім беремін.`,
    representative: 'Заңды өкілдің аты-жөні',
    child: 'Баланың аты-жөні',
    className: 'Сыныбы',
    scopesTitle: 'Келісім беремін (қажеттісін белгілеңіз):',
    scopes: [
      ['service', 'Кітапханалық қызмет көрсету: аты-жөні, сыныбы, оқырман билетінің нөмірі, берілген кітаптар мен оқулықтар, келулер.'],
      ['public_name', 'Баланың атын оқу жарыстарының ашық кестелерінде және мадақтама қағаздарында көрсету.'],
      ['contact', 'Кітапты қайтару туралы еске салу үшін ата-анасымен телефон немесе электрондық пошта арқылы байланысу (телефон мен пошта тек осы келісіммен сақталады).'],
    ],
    rights:
      'Деректер Қазақстан аумағында сақталады, үшінші тұлғаларға берілмейді. Мен кітапханада сақталған барлық деректермен танысуға, оларды түзетуді, бұғаттауды немесе жоюды талап етуге және осы келісімді кез келген уақытта жазбаша кері қайтарып алуға құқылымын. Бала мектептен кеткен соң деректер кітапхана белгілеген мерзімнен кейін жойылады.',
    signature: 'Қолы',
    date: 'Күні',
  },
  ru: {
    title: 'Согласие на обработку персональных данных несовершеннолетнего читателя',
    intro: (library) =>
      `В соответствии с Законом Республики Казахстан от 21 мая 2013 года № 94-V «О персональных данных и их защите» я, законный представитель ребёнка, даю библиотеке «${library}» согласие на обработку персональных данных моего ребёнка для отмеченных ниже целей.`,
    representative: 'ФИО законного представителя',
    child: 'ФИО ребёнка',
    className: 'Класс',
    scopesTitle: 'Даю согласие (отметьте нужное):',
    scopes: [
      ['service', 'Библиотечное обслуживание: ФИО, класс, номер читательского билета, выданные книги и учебники, посещения.'],
      ['public_name', 'Показ имени ребёнка в открытых таблицах читательских соревнований и на грамотах.'],
      ['contact', 'Связь с родителями по телефону или электронной почте, чтобы напомнить о возврате книги (телефон и почта хранятся только при этом согласии).'],
    ],
    rights:
      'Данные хранятся на территории Казахстана и не передаются третьим лицам. Я вправе ознакомиться со всеми данными, хранящимися в библиотеке, требовать их исправления, блокирования или уничтожения и в любое время письменно отозвать это согласие. После ухода ребёнка из школы данные уничтожаются по истечении срока, установленного библиотекой.',
    signature: 'Подпись',
    date: 'Дата',
  },
};

const NOTICE: Record<PaperLocale, { title: string; sections: [string, string][] }> = {
  kk: {
    title: 'Кітапхана балалардың деректерін қалай сақтайды',
    sections: [
      ['Не сақталады', 'Баланың аты-жөні, сыныбы, оқырман билетінің нөмірі, туған күні (қажет болса), берілген және қайтарылған кітаптар мен оқулықтар, кітапханаға келген күндер, жоғалған кітаптар. Ата-ананың телефоны мен поштасы тек байланысуға келісім болса ғана сақталады.'],
      ['Не үшін', 'Кітап беру және қайтару, оқулықтармен қамтамасыз ету, кітапхананың есептері. Баланың аты оқу жарыстарында тек ата-ананың келісімімен көрсетіледі.'],
      ['Кім көреді', 'Мектеп кітапханашысы. Сынып жетекшісі өз сыныбындағы оқушылардың аты-жөнін, қолындағы кітаптарын және оқуын ғана көреді — туған күнін және ата-ананың телефонын көрмейді. Басқа мектептер ештеңе көрмейді.'],
      ['Қайда және қанша уақыт', 'Деректер мектептің өз компьютерінде немесе Қазақстандағы серверде сақталады. Резервтік көшірмелер құпия сөзбен шифрланады. Бала мектептен кеткен соң оның деректері белгіленген мерзімнен кейін жойылады: тек аты-жөні жоқ сандар қалады.'],
      ['Сіздің құқықтарыңыз', 'Ата-ана кабинетіндегі «Балам туралы деректер» бетінде бәрін көре аласыз және JSON не PDF түрінде жүктей аласыз; сол жерден түзетуді, бұғаттауды немесе жоюды сұрай аласыз. Келісімді кез келген уақытта кері қайтарып алуға болады. Деректер жайлы алаңдасаңыз, кітапханашыға немесе мектеп директорына жазыңыз.'],
    ],
  },
  ru: {
    title: 'Как библиотека хранит данные детей',
    sections: [
      ['Что хранится', 'ФИО ребёнка, класс, номер читательского билета, дата рождения (если нужна), выданные и возвращённые книги и учебники, дни посещения библиотеки, утерянные книги. Телефон и почта родителей хранятся только при согласии на связь.'],
      ['Зачем', 'Выдача и возврат книг, обеспечение учебниками, отчёты библиотеки. Имя ребёнка в читательских соревнованиях показывается только с согласия родителей.'],
      ['Кто видит', 'Школьный библиотекарь. Классный руководитель видит только ФИО, книги на руках и чтение учеников своего класса — без даты рождения и телефонов родителей. Другие школы не видят ничего.'],
      ['Где и сколько хранится', 'Данные хранятся на компьютере школы или на сервере в Казахстане. Резервные копии зашифрованы паролем. После ухода ребёнка из школы его данные уничтожаются по истечении установленного срока: остаются только числа без имени.'],
      ['Ваши права', 'В кабинете родителя на странице «Данные о моём ребёнке» можно увидеть всё и скачать в JSON или PDF; там же можно попросить исправить, заблокировать или удалить данные. Согласие можно отозвать в любое время. Если вас что-то беспокоит, напишите библиотекарю или директору школы.'],
    ],
  },
};

function heading(doc: Pdf, text: string) {
  doc.font('bold').fontSize(14).text(text, { align: 'center' });
  doc.moveDown(1);
  doc.font('regular').fontSize(11);
}

/** The consent form, blank or filled in with one reader's name and class. */
export async function consentFormPdf(locale: PaperLocale, library: string, reader?: { fullName: string; className: string | null }): Promise<Buffer> {
  const t = FORM[locale];
  const doc = newPdf({ info: { Title: t.title } });
  heading(doc, t.title);
  doc.text(t.intro(library), { align: 'justify' });
  doc.moveDown();
  const line = (label: string, value = '') => doc.text(`${label}: ${value || '_'.repeat(50)}`).moveDown(0.6);
  line(t.representative);
  line(t.child, reader?.fullName);
  line(t.className, reader?.className ?? '');
  doc.moveDown(0.5).font('bold').text(t.scopesTitle).font('regular').moveDown(0.5);
  for (const [, text] of t.scopes) doc.text(`☐  ${text}`, { indent: 10 }).moveDown(0.5);
  doc.moveDown(0.5).fontSize(10).text(t.rights, { align: 'justify' }).fontSize(11);
  doc.moveDown(2);
  doc.text(`${t.signature}: ____________________        ${t.date}: ____.____.________`);
  return pdfToBuffer(doc);
}

/** The privacy notice for families, in plain words. */
export async function privacyNoticePdf(locale: PaperLocale, library: string | null): Promise<Buffer> {
  const t = NOTICE[locale];
  const doc = newPdf({ info: { Title: t.title } });
  heading(doc, t.title);
  if (library) doc.text(library, { align: 'center' }).moveDown();
  for (const [title, text] of t.sections) {
    doc.font('bold').text(title).font('regular').text(text, { align: 'justify' }).moveDown(0.8);
  }
  return pdfToBuffer(doc);
}

const EXPORT_LABELS: Record<Locale, { title: string; generated: string; reader: string; empty: string; tables: Record<string, string> }> = {
  kk: {
    title: 'Оқырман туралы сақталған деректер',
    generated: 'Жасалған күні',
    reader: 'Оқырман жазбасы',
    empty: 'жоқ',
    tables: {
      'circulation.loans': 'Кітап беру тарихы',
      'circulation.visits': 'Келулер',
      'fund.losses': 'Жоғалған кітаптар',
      'org.users': 'Есептік жазбалар',
      'readers.consents': 'Келісімдер',
      'readers.erasures': 'Жоюлар',
      'readers.requests': 'Өтініштер',
      'textbooks.issues': 'Оқулықтар',
      'circulation.contacts': 'Анықтамалық қызмет',
      'circulation.reading_room_uses': 'Оқу залы',
      'events.club_members': 'Үйірме мүшелігі',
      'readers.registrations': 'Тіркелу өтініштері',
      'reading.bingo_cards': 'Бинго карталары',
      'reading.challenge_days': 'Челлендж күндері',
      'reading.challenge_entrants': 'Челлендж қатысушылары',
      'reading.contest_entrants': 'Байқау қатысушылары',
      'reading.draw_participants': 'Ұтыс қатысушылары',
      'reading.family_members': 'Отбасы мүшелері',
      'reading.kept_books': 'Өткен жылдардың кітап саны',
      'reading.reader_year_books': 'Жылдың кітаптары',
      'reading.recommendations': 'Ұсыныстар',
      'reading.records': 'Оқу жазбалары',
      'textbooks.raid_lines': 'Рейд жолдары',
    },
  },
  ru: {
    title: 'Данные, хранящиеся о читателе',
    generated: 'Дата формирования',
    reader: 'Запись читателя',
    empty: 'нет',
    tables: {
      'circulation.loans': 'История выдачи книг',
      'circulation.visits': 'Посещения',
      'fund.losses': 'Утерянные книги',
      'org.users': 'Учётные записи',
      'readers.consents': 'Согласия',
      'readers.erasures': 'Удаления',
      'readers.requests': 'Обращения',
      'textbooks.issues': 'Учебники',
      'circulation.contacts': 'Справочные обращения',
      'circulation.reading_room_uses': 'Читальный зал',
      'events.club_members': 'Участие в кружках',
      'readers.registrations': 'Заявки на запись',
      'reading.bingo_cards': 'Карточки бинго',
      'reading.challenge_days': 'Дни челленджей',
      'reading.challenge_entrants': 'Участие в челленджах',
      'reading.contest_entrants': 'Участие в конкурсах',
      'reading.draw_participants': 'Участие в розыгрышах',
      'reading.family_members': 'Члены семьи',
      'reading.kept_books': 'Число книг прошлых лет',
      'reading.reader_year_books': 'Книги года',
      'reading.recommendations': 'Рекомендации',
      'reading.records': 'Записи о чтении',
      'textbooks.raid_lines': 'Строки рейдов',
    },
  },
  en: {
    title: 'Data held about the reader',
    generated: 'Generated on',
    reader: "Reader's record",
    empty: 'none',
    tables: {
      'circulation.loans': 'Loan history',
      'circulation.visits': 'Visits',
      'fund.losses': 'Lost books',
      'org.users': 'Accounts',
      'readers.consents': 'Consents',
      'readers.erasures': 'Erasures',
      'readers.requests': 'Requests',
      'textbooks.issues': 'Textbooks',
      'circulation.contacts': 'Reference contacts',
      'circulation.reading_room_uses': 'Reading room',
      'events.club_members': 'Club membership',
      'readers.registrations': 'Registrations',
      'reading.bingo_cards': 'Bingo cards',
      'reading.challenge_days': 'Challenge days',
      'reading.challenge_entrants': 'Challenge entries',
      'reading.contest_entrants': 'Contest entries',
      'reading.draw_participants': 'Draw entries',
      'reading.family_members': 'Family members',
      'reading.kept_books': 'Books of past years (counts)',
      'reading.reader_year_books': 'Books of the year',
      'reading.recommendations': 'Recommendations',
      'reading.records': 'Reading records',
      'textbooks.raid_lines': 'Raid lines',
    },
  },
};

const show = (v: unknown) => {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v)) return printDate(v.slice(0, 10)) + (v.length > 10 ? ` ${v.slice(11, 16)}` : '');
  return String(v);
};

/** Everything held about one reader, as a document a parent can keep. */
export async function subjectDataPdf(data: SubjectData, locale: Locale): Promise<Buffer> {
  const t = EXPORT_LABELS[locale];
  const doc = newPdf({ info: { Title: t.title } });
  heading(doc, t.title);
  doc.text(`${t.generated}: ${show(data.generatedAt)}`).moveDown();
  doc.font('bold').text(t.reader).font('regular').fontSize(10);
  for (const [k, v] of Object.entries(data.reader)) doc.text(`${k}: ${show(v)}`);
  doc.fontSize(11).moveDown();
  for (const [table, rows] of Object.entries(data.tables)) {
    doc.font('bold').text(`${t.tables[table] ?? table} (${rows.length})`).font('regular').fontSize(9);
    if (!rows.length) doc.text(t.empty);
    for (const row of rows) doc.text(Object.entries(row).map(([k, v]) => `${k}: ${show(v)}`).join('; '));
    doc.fontSize(11).moveDown(0.8);
  }
  return pdfToBuffer(doc);
}
