import type ExcelJS from 'exceljs';
import { lazy } from '../shared/lazy.js';
import { formatTenge } from '../fund/accounting/book-files.js';
import { t } from '../i18n/index.js';
import { newPdf, pdfToBuffer, wordSafeSize, type Pdf } from '../shared/pdf.js';
import type { AnnualReport } from './annual.js';
import { DOMAINS, LANGUAGES, REASONS, SOURCES, type Figures, type Indicators } from './figures.js';
import { printDate } from '../shared/print-date.js';

const excel = lazy<typeof ExcelJS>('exceljs');

/** A label in the two languages of the product's documents. */
type Bi = { kk: string; ru: string };
const bi = (kk: string, ru: string): Bi => ({ kk, ru });
const both = (l: Bi) => `${l.kk} / ${l.ru}`;
const msg = (key: string): Bi => ({ kk: t('kk', key), ru: t('ru', key) });

/** Ratios rounded to one decimal in print (the JSON keeps them unrounded). */
export const oneDecimal = (v: number | null) => (v === null ? '—' : v.toFixed(1).replace('.', ','));
const int = (v: number) => String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
const pct = (part: number, whole: number) => (whole > 0 ? oneDecimal((part * 100) / whole) : '—');

const L = {
  title: bi('КІТАПХАНАНЫҢ ЖЫЛДЫҚ ЕСЕБІ', 'ГОДОВОЙ ОТЧЁТ БИБЛИОТЕКИ'),
  period: bi('Есепті кезең', 'Отчётный период'),
  control: bi('І. КІТАПХАНАНЫҢ НЕГІЗГІ БАҚЫЛАУ КӨРСЕТКІШТЕРІ', 'I. ОСНОВНЫЕ КОНТРОЛЬНЫЕ ПОКАЗАТЕЛИ БИБЛИОТЕКИ'),
  indicator: bi('Сандық көрсеткіштер', 'Показатели'),
  lastYear: bi('Өткен жылы', 'Прошлый год'),
  plan: bi('Жоспар', 'План'),
  actual: bi('Орындалуы', 'Выполнение'),
  readers: bi('Оқырмандар саны', 'Число читателей'),
  visits: bi('Келушілер саны', 'Число посещений'),
  loans: bi('Кітап берілімінің саны', 'Книговыдача'),
  mainLoans: bi('с.і. негізгі қордан', 'в т.ч. из основного фонда'),
  textbookLoans: bi('с.і. оқулықтар', 'в т.ч. учебники'),
  readingRoom: bi('с.і. оқу залында', 'в т.ч. в читальном зале'),
  fund: bi('Кітап қоры (жыл соңында)', 'Фонд (на конец года)'),
  regular: bi('Тұрақты келушілер', 'Постоянные посетители'),
  remote: bi('Қашықтан байланыс (келуге қосылмайды)', 'Удалённые обращения (не входят в посещения)'),
  ratios: bi('Салыстырмалы көрсеткіштер', 'Относительные показатели'),
  loansPerReader: bi('Оқу қарқыны (кітап беру / оқырман)', 'Читаемость (книговыдача / читатель)'),
  visitsPerReader: bi('Келу жиілігі (келу / оқырман)', 'Посещаемость (посещения / читатель)'),
  loansPerCopy: bi('Қор айналымы (кітап беру / қор)', 'Обращаемость фонда (книговыдача / фонд)'),
  copiesPerReader: bi('Кітаппен қамтамасыз етілу (қор / оқырман)', 'Книгообеспеченность (фонд / читатель)'),
  renewal: bi('Қордың жаңаруы, % (мақсаты 20%)', 'Обновляемость фонда, % (цель 20%)'),
  groups: bi('Оқырмандар құрамы', 'Состав читателей'),
  grades_1_4: bi('1-4 сынып оқушылары', 'Учащиеся 1-4 классов'),
  grades_5_9: bi('5-9 сынып оқушылары', 'Учащиеся 5-9 классов'),
  grades_10_11: bi('10-11 сынып оқушылары', 'Учащиеся 10-11 классов'),
  teachers: bi('Мұғалімдер', 'Учителя'),
  others: bi('Басқалар', 'Другие'),
  visitsBy: bi('Келу', 'Посещения'),
  desk: bi('Абонемент', 'Абонемент'),
  rrVisits: bi('Оқу залы', 'Читальный зал'),
  eventVisits: bi('Іс-шараларға қатысу', 'Посещения мероприятий'),
  onlineRenewals: bi('Онлайн ұзарту', 'Онлайн-продление'),
  virtualReferences: bi('Виртуалды анықтама', 'Виртуальная справка'),
  fundSection: bi('ІІ. КІТАП ҚОРЫН ҚАЛЫПТАСТЫРУ ЖӘНЕ ҰЙЫМДАСТЫРУ', 'II. ФОРМИРОВАНИЕ И ОРГАНИЗАЦИЯ ФОНДА'),
  acqBySource: bi('Қорға түскені (көздері бойынша)', 'Поступления (по источникам)'),
  source: bi('Көзі', 'Источник'),
  sum: bi('Сомасы, тг', 'Сумма, тг'),
  copies: bi('Саны (дн)', 'Кол-во (экз)'),
  kazakh: bi('с.і. қазақ тілінде', 'в т.ч. на казахском'),
  total: bi('Барлығы', 'Всего'),
  byDomain: bi('Білім салалары бойынша', 'По отраслям знаний'),
  acquired: bi('Түскен басылымдар', 'Поступило изданий'),
  acquiredKazakh: bi('Қазақ тілінде түскен', 'Поступило на казахском'),
  children: bi('Түскен балалар әдебиеті', 'Поступило детской литературы'),
  fundEnd: bi('Жалпы кітапхана қорының құрамы (жыл соңында)', 'Состав фонда (на конец года)'),
  fundKazakh: bi('Қазақ тіліндегі қордың құрамы', 'Фонд на казахском языке'),
  fundLang: bi('Қор тілдер бойынша', 'Фонд по языкам'),
  writeOffs: bi('Басылымдардың есептен шығуы', 'Выбытие изданий'),
  reason: bi('Себебі', 'Причина'),
  service: bi('ІІІ. ОҚЫРМАНДАРҒА ҚЫЗМЕТ КӨРСЕТУ', 'III. ОБСЛУЖИВАНИЕ ЧИТАТЕЛЕЙ'),
  loansByDomain: bi('Кітап беру білім салалары бойынша', 'Книговыдача по отраслям знаний'),
  loansByLang: bi('Кітап беру тілдер бойынша', 'Книговыдача по языкам'),
  events: bi('Іс-шаралар, көрмелер, үйірмелер', 'Мероприятия, выставки, клубы'),
  passport: bi('IV. КІТАПХАНА ТӨЛҚҰЖАТЫ', 'IV. ПАСПОРТ БИБЛИОТЕКИ'),
  area: bi('Жалпы алаңы, м²', 'Общая площадь, м²'),
  rrArea: bi('Оқу залының алаңы, м²', 'Площадь читального зала, м²'),
  storage: bi('Кітап қоймасының алаңы, м²', 'Площадь книгохранилища, м²'),
  seats: bi('Оқу залындағы орындар', 'Посадочных мест'),
  computers: bi('Компьютерлер', 'Компьютеры'),
  internet: bi('с.і. интернетке қосылған', 'в т.ч. с доступом в интернет'),
  openAccess: bi('Еркін пайдалану қоры', 'Фонд открытого доступа'),
  texts: bi('V. МӘТІНДІК БӨЛІМДЕР', 'V. ТЕКСТОВЫЕ РАЗДЕЛЫ'),
  libraries: bi('Кітапханалар бойынша', 'По библиотекам'),
  library: bi('Кітапхана', 'Библиотека'),
  closed: bi('Жабылды', 'Закрыт'),
  yes: bi('иә', 'да'),
  no: bi('жоқ', 'нет'),
  pending: bi('Бұл бөлім әлі есептелмейді', 'Раздел пока не считается'),
  websites: bi('Веб-сайттар', 'Веб-сайты'),
  socialNetworks: bi('Әлеуметтік желілер', 'Социальные сети'),
  publications: bi('Басылымдардағы жарияланымдар', 'Публикации в СМИ'),
  methodical: bi('Әдістемелік жұмыс', 'Методическая работа'),
  summary: bi('Түйіндеме', 'Резюме'),
};

interface Table {
  title: Bi;
  header: string[];
  rows: string[][];
  note?: string;
}

const domainLabel = (g: string) => both(msg(`accounting.group.${g}`));
const langLabel = (l: string) => both(msg(`accounting.language.${l}`));
const sourceLabel = (s: string) => (s === 'unspecified' ? both(bi('Құжатсыз енгізілген', 'Без документа')) : both(msg(`accounting.source.${s}`)));
const TEXTBOOK_REASONS: Record<string, Bi> = {
  wear: bi('Оқулықтардың тозуы', 'Износ учебников'),
  curriculum_change: bi('Оқу бағдарламасының өзгеруі', 'Смена учебной программы'),
  loss: bi('Оқулықтың жоғалуы', 'Утеря учебников'),
};
const reasonLabel = (r: string) => both(TEXTBOOK_REASONS[r] ?? msg(`accounting.reason.${r}`));

function domainTable(title: Bi, byDomain: Record<string, number>, total: number): Table {
  const used = DOMAINS.filter((g) => byDomain[g] !== 0 || g !== 'other');
  return {
    title,
    header: [both(L.byDomain), both(L.copies), '%'],
    rows: [[both(L.total), int(total), total ? '100' : '—'], ...used.map((g) => [domainLabel(g), int(byDomain[g]!), pct(byDomain[g]!, total)])],
  };
}

/** The report as tables, in the order and with the headings of seed 004's annual report. */
export function reportTables(r: AnnualReport): Table[] {
  const f: Figures = r.figures;
  const i: Indicators = r.indicators;
  const last = r.lastYear;
  const plan = r.plan;
  const row = (label: Bi, lastV: number, planV: number | null, v: number) => [both(label), int(lastV), planV === null ? '—' : int(planV), int(v)];
  const tables: Table[] = [
    {
      title: L.control,
      header: [both(L.indicator), both(L.lastYear), both(L.plan), both(L.actual)],
      rows: [
        row(L.readers, last.readers, plan.readers, i.readers),
        row(L.visits, last.visits, plan.visits, i.visits),
        row(L.loans, last.loans, plan.loans, i.loans),
        row(L.mainLoans, last.mainLoans, null, i.mainLoans),
        row(L.textbookLoans, last.textbookLoans, null, i.textbookLoans),
        row(L.readingRoom, last.readingRoomUse, null, i.readingRoomUse),
        row(L.fund, last.fund, null, i.fund),
        row(L.acquired, last.acquired, plan.acquired, i.acquired),
        row(L.regular, last.regularVisitors, plan.regularVisitors, i.regularVisitors),
        row(L.remote, last.remoteContacts, null, i.remoteContacts),
      ],
    },
    {
      title: L.ratios,
      header: [both(L.indicator), both(L.lastYear), both(L.actual)],
      rows: [
        [both(L.loansPerReader), oneDecimal(last.loansPerReader), oneDecimal(i.loansPerReader)],
        [both(L.visitsPerReader), oneDecimal(last.visitsPerReader), oneDecimal(i.visitsPerReader)],
        [both(L.loansPerCopy), oneDecimal(last.loansPerCopy), oneDecimal(i.loansPerCopy)],
        [both(L.copiesPerReader), oneDecimal(last.copiesPerReader), oneDecimal(i.copiesPerReader)],
        [both(L.renewal), last.renewalRate === null ? '—' : oneDecimal(last.renewalRate * 100), i.renewalRate === null ? '—' : oneDecimal(i.renewalRate * 100)],
      ],
    },
    {
      title: L.events,
      header: [both(L.indicator), both(L.plan), both(L.actual)],
      rows: [
        [both(bi('Көпшілік іс-шаралар', 'Массовые мероприятия')), int(plan.events), int(f.events.events)],
        [both(bi('Қатысушылар саны', 'Число участников')), int(plan.participants), int(f.events.participants)],
        [both(bi('Кітап көрмелері', 'Книжные выставки')), int(plan.exhibitions), int(f.events.exhibitions)],
        [both(bi('с.і. оқушылар', 'в т.ч. учащиеся')), '—', int(f.events.pupils)],
        [both(bi('с.і. мұғалімдер', 'в т.ч. учителя')), '—', int(f.events.teachers)],
        [both(bi('с.і. ата-аналар', 'в т.ч. родители')), '—', int(f.events.parents)],
        [both(bi('с.і. басқалар', 'в т.ч. прочие')), '—', int(f.events.others)],
        [both(bi('Кітап көрмелері', 'Книжные выставки')), int(plan.exhibitions), int(f.events.exhibitions)],
        [both(bi('с.і. виртуалды көрмелер', 'в т.ч. виртуальные выставки')), '—', int(f.events.virtualExhibitions)],
        [both(bi('Клубтар (үйірмелер)', 'Клубы (кружки)')), '—', int(f.events.clubs)],
        [both(bi('Клуб мүшелері', 'Участники клубов')), '—', int(f.events.clubMembers)],
        [both(bi('Клуб отырыстары', 'Заседания клубов')), '—', int(f.events.clubSessions)],
      ],
      note: r.pendingSections.some((p) => p.section === 'events') ? both(L.pending) : undefined,
    },
    {
      title: bi('Анықтама-библиографиялық қызмет', 'Справочно-библиографическое обслуживание'),
      header: [both(L.indicator), both(L.actual)],
      rows: [
        [both(bi('Анықтамалар саны', 'Количество справок')), int(f.reference.total)],
        [both(bi('тақырыптық', 'тематические')), int(f.reference.thematic)],
        [both(bi('мекенжайлық', 'адресные')), int(f.reference.address)],
        [both(bi('нақтылау', 'уточняющие')), int(f.reference.clarifying)],
        [both(bi('фактографиялық', 'фактографические')), int(f.reference.factual)],
        [both(bi('с.і. виртуалды', 'в т.ч. виртуальные')), int(f.reference.virtual)],
        [both(bi('Қанағаттандырылмаған сұраныстар', 'Неудовлетворённые запросы')), int(f.reference.unmet)],
      ],
      note: r.pendingSections.some((p) => p.section === 'reference') ? both(L.pending) : undefined,
    },
    {
      title: bi('Мерзімді басылымдар', 'Периодические издания'),
      header: [both(L.indicator), both(L.actual)],
      rows: [
        [both(bi('Жазылым атаулары', 'Названий по подписке')), int(f.periodicals.titles)],
        [both(bi('с.і. қазақ тілінде', 'в т.ч. на казахском')), int(f.periodicals.kazakhTitles)],
        [both(bi('с.і. балаларға арналған', 'в т.ч. для детей')), int(f.periodicals.childrenTitles)],
        [both(bi('Түскен нөмірлер', 'Поступило номеров')), int(f.periodicals.copies)],
        [both(bi('Жазылым сомасы', 'Сумма подписки')), formatTenge(f.periodicals.sumTiyn)],
        [both(bi('Сипатталған мақалалар', 'Расписано статей')), int(f.periodicals.articlesIndexed)],
      ],
      note: r.pendingSections.some((p) => p.section === 'periodicals') ? both(L.pending) : undefined,
    },
    {
      title: bi('Цифрландыру', 'Оцифровка'),
      header: [both(L.indicator), both(L.actual)],
      rows: [
        [both(bi('Сандық көшірмелер', 'Цифровые копии')), int(f.digitisation.digitised)],
        [both(bi('с.і. жыл ішінде қосылған', 'в т.ч. добавлено за год')), int(f.digitisation.addedInPeriod)],
        [both(bi('Беттер', 'Страниц')), int(f.digitisation.pages)],
        [both(bi('Сандық көшірмелерді қарау', 'Просмотры цифровых копий')), int(f.digitisation.views)],
        [both(bi('Жүктеп алу', 'Скачивания')), int(f.digitisation.downloads)],
      ],
      note: r.pendingSections.some((p) => p.section === 'digitisation') ? both(L.pending) : undefined,
    },
    {
      title: bi('Оқу қозғалысы', 'Читательское движение'),
      header: [both(L.indicator), both(L.actual), '%'],
      rows: [
        [both(bi('Белсенді оқушылар', 'Активные учащиеся')), `${int(f.readingMovement.activePupils)} / ${int(f.readingMovement.pupils)}`, pct(f.readingMovement.activePupils, f.readingMovement.pupils)],
        [both(bi('Белсенді ата-аналар', 'Активные родители')), `${int(f.readingMovement.activeParents)} / ${int(f.readingMovement.parents)}`, pct(f.readingMovement.activeParents, f.readingMovement.parents)],
      ],
      note: r.pendingSections.some((p) => p.section === 'readingMovement') ? both(L.pending) : undefined,
    },
    {
      title: L.acqBySource,
      header: [both(L.source), both(L.sum), both(L.copies), both(L.kazakh)],
      rows: [
        ...SOURCES.filter((s) => f.acquisitions.bySource[s].copies !== 0).map((s) => [
          sourceLabel(s),
          formatTenge(f.acquisitions.bySource[s].sumTiyn),
          int(f.acquisitions.bySource[s].copies),
          int(f.acquisitions.kazakhBySource[s]),
        ]),
        [both(L.total), formatTenge(f.acquisitions.sumTiyn), int(f.acquisitions.copies), int(f.acquisitions.byLanguage.kk)],
      ],
    },
    domainTable(L.acquired, f.acquisitions.byDomain, f.acquisitions.copies),
    domainTable(L.acquiredKazakh, f.acquisitions.kazakhByDomain, f.acquisitions.byLanguage.kk),
    domainTable(L.children, f.acquisitions.childrenByDomain, f.acquisitions.children),
    domainTable(L.fundEnd, f.fund.end.byDomain, f.fund.end.total),
    domainTable(L.fundKazakh, f.fund.end.kazakhByDomain, f.fund.end.byLanguage.kk),
    {
      title: L.fundLang,
      header: [both(L.fundLang), both(L.copies), '%'],
      rows: LANGUAGES.map((l) => [langLabel(l), int(f.fund.end.byLanguage[l]), pct(f.fund.end.byLanguage[l], f.fund.end.total)]),
    },
    {
      title: L.writeOffs,
      header: [both(L.reason), both(L.copies), both(L.sum)],
      rows: [
        ...REASONS.filter((x) => f.writeOffs.byReason[x].copies !== 0).map((x) => [reasonLabel(x), int(f.writeOffs.byReason[x].copies), formatTenge(f.writeOffs.byReason[x].sumTiyn)]),
        [both(L.total), int(f.writeOffs.copies), formatTenge(f.writeOffs.sumTiyn)],
      ],
    },
    {
      title: L.service,
      header: [both(L.groups), both(L.copies)],
      rows: [
        [both(L.readers), int(f.readers.total)],
        ...(['grades_1_4', 'grades_5_9', 'grades_10_11', 'teachers', 'others'] as const).map((g) => [both(L[g]), int(f.readers[g])]),
        [both(L.visitsBy), int(f.visits.total)],
        [both(L.desk), int(f.visits.desk)],
        [both(L.rrVisits), int(f.visits.readingRoom)],
        [both(L.eventVisits), int(f.visits.events)],
        [both(L.regular), int(f.visits.regularVisitors)],
        [both(L.remote), int(f.remote.total)],
        [both(L.onlineRenewals), int(f.remote.onlineRenewals)],
        [both(L.virtualReferences), int(f.remote.virtualReferences)],
      ],
    },
    domainTable(L.loansByDomain, f.loans.byDomain, f.loans.total),
    {
      title: L.loansByLang,
      header: [both(L.loansByLang), both(L.copies), '%'],
      rows: LANGUAGES.map((l) => [langLabel(l), int(f.loans.byLanguage[l]), pct(f.loans.byLanguage[l], f.loans.total)]),
    },
    {
      title: L.passport,
      header: [both(L.indicator), both(L.actual)],
      rows: [
        [both(L.area), oneDecimal(f.passport.areaM2)],
        [both(L.rrArea), oneDecimal(f.passport.readingRoomM2)],
        [both(L.storage), oneDecimal(f.passport.storageM2)],
        [both(L.seats), int(f.passport.seats)],
        [both(L.computers), int(f.passport.computers)],
        [both(L.internet), int(f.passport.internetComputers)],
        [both(L.openAccess), int(f.passport.openAccessCopies)],
      ],
    },
  ];
  const texts = Object.entries(r.texts).filter(([, v]) => v.trim());
  if (texts.length) {
    tables.push({ title: L.texts, header: ['', ''], rows: texts.map(([k, v]) => [k in L ? both(L[k as keyof typeof L]) : k, v]) });
  }
  if (r.children.length) {
    tables.push({
      title: L.libraries,
      header: [both(L.library), both(L.closed), both(L.readers), both(L.visits), both(L.loans), both(L.fund), both(L.loansPerReader)],
      rows: r.children.map((c) => [
        c.name,
        c.libraries > 1 ? `${c.librariesClosed}/${c.libraries}` : both(c.closed ? L.yes : L.no),
        int(c.indicators.readers),
        int(c.indicators.visits),
        int(c.indicators.loans),
        int(c.indicators.fund),
        oneDecimal(c.indicators.loansPerReader),
      ]),
    });
  }
  return tables;
}

function drawTable(doc: Pdf, table: Table) {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const n = table.header.length;
  const first = n > 3 ? width * 0.4 : width * 0.55;
  const widths = [first, ...Array.from({ length: n - 1 }, () => (width - first) / (n - 1))];
  const bottom = doc.page.height - doc.page.margins.bottom;
  if (doc.y + 40 > bottom) doc.addPage();
  doc.moveDown(0.6).font('bold').fontSize(9).text(both(table.title), left, doc.y, { width });
  if (table.note) doc.font('regular').fontSize(7).fillColor('#666').text(table.note, { width }).fillColor('black');
  doc.moveDown(0.2);
  const drawRow = (cells: string[], font: string) => {
    // the bilingual headers wrap between words; a word wider than its column gets a smaller size
    const sizes = cells.map((c, k) => wordSafeSize(doc.font(font), c, widths[k]! - 4, 7, 4.5));
    const h = Math.max(...cells.map((c, k) => doc.font(font).fontSize(sizes[k]!).heightOfString(c || ' ', { width: widths[k]! - 4 }))) + 4;
    if (doc.y + h > bottom) doc.addPage();
    const y = doc.y;
    let x = left;
    cells.forEach((c, k) => {
      doc.rect(x, y, widths[k]!, h).stroke('#999');
      doc.font(font).fontSize(sizes[k]!).text(c, x + 2, y + 2, { width: widths[k]! - 4, align: k === 0 ? 'left' : 'right' });
      x += widths[k]!;
    });
    doc.x = left;
    doc.y = y + h;
  };
  drawRow(table.header, 'bold');
  for (const row of table.rows) drawRow(row, 'regular');
}

const periodText = (r: AnnualReport) => `${both(L.period)}: ${r.period.key} (${printDate(r.period.from)} – ${printDate(r.period.to)})`;

export async function reportPdf(r: AnnualReport): Promise<Buffer> {
  const doc = newPdf({ info: { Title: `${L.title.kk} ${r.period.key}` } });
  doc.font('bold').fontSize(13).text(r.organisation.name, { align: 'center' });
  doc.fontSize(12).text(L.title.kk, { align: 'center' }).text(L.title.ru, { align: 'center' });
  doc.font('regular').fontSize(9).text(periodText(r), { align: 'center' });
  if (!r.organisation.isLibrary) {
    doc.text(`${both(L.libraries)}: ${r.libraries}; ${both(L.closed)}: ${r.librariesClosed}`, { align: 'center' });
  }
  for (const table of reportTables(r)) drawTable(doc, table);
  return pdfToBuffer(doc);
}

export async function reportXlsx(r: AnnualReport): Promise<Buffer> {
  const book = new (excel().Workbook)();
  const sheet = book.addWorksheet(`Есеп ${r.period.key}`);
  sheet.columns = [{ width: 60 }, { width: 18 }, { width: 18 }, { width: 18 }, { width: 18 }, { width: 18 }, { width: 18 }];
  sheet.addRow([r.organisation.name]).font = { bold: true, size: 13 };
  sheet.addRow([both(L.title)]).font = { bold: true };
  sheet.addRow([periodText(r)]);
  for (const table of reportTables(r)) {
    sheet.addRow([]);
    sheet.addRow([both(table.title)]).font = { bold: true };
    if (table.note) sheet.addRow([table.note]);
    sheet.addRow(table.header).font = { bold: true };
    for (const row of table.rows) sheet.addRow(row);
  }
  const raw = book.addWorksheet('Деректер');
  raw.addRow(['indicator', 'value']);
  for (const [k, v] of Object.entries(r.indicators)) raw.addRow([k, v]);
  return Buffer.from(await book.xlsx.writeBuffer());
}
