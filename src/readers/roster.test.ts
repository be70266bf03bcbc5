import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { formatClassName, parseClassName } from './classes.js';
import { decodeText, detectDelimiter, parseBirthDate, parseRoster, readRosterFile, recogniseHeader, splitFullName } from './roster.js';

describe('reading a class the way rosters write it', () => {
  it.each([
    ['5Ә', 5, 'Ә'],
    ['5 А', 5, 'А'],
    ['5-Б', 5, 'Б'],
    ['11В', 11, 'В'],
    ['7 "Ғ"', 7, 'Ғ'],
    ['3ұ', 3, 'Ұ'],
    ['9 А класс', 9, 'А'],
    ['10Ә сынып', 10, 'Ә'],
    ['0 Б', 0, 'Б'],
    ['4', 4, null],
  ])('«%s» is grade %i, letter %s', (text, grade, classLetter) => {
    expect(parseClassName(text)).toEqual({ grade, classLetter });
  });

  it('takes a Latin look-alike typed on the English layout as the Cyrillic letter', () => {
    expect(parseClassName('5A')).toEqual({ grade: 5, classLetter: 'А' });
    expect(parseClassName('6 B')).toEqual({ grade: 6, classLetter: 'В' });
  });

  it.each(['12А', 'Ә5', '5АБ', 'бесінші', '', '5 Q', '-1'])('refuses «%s»', (text) => {
    expect(parseClassName(text)).toBeUndefined();
  });

  it('writes a class back as the school says it', () => {
    expect(formatClassName(5, 'Ә')).toBe('5Ә');
    expect(formatClassName(11, null)).toBe('11');
    expect(formatClassName(null, null)).toBeNull();
  });
});

describe('recognising roster headers in three languages', () => {
  it.each([
    ['Тегі', 'lastName'],
    ['ФАМИЛИЯ', 'lastName'],
    ['Last name', 'lastName'],
    ['Аты', 'firstName'],
    ['Имя', 'firstName'],
    ['First Name', 'firstName'],
    ['Әкесінің аты', 'middleName'],
    ['Отчество', 'middleName'],
    ['Middle name', 'middleName'],
    ['Сынып', 'className'],
    [' Класс ', 'className'],
    ['Class', 'className'],
    ['Туған күні', 'birthDate'],
    ['Дата рождения', 'birthDate'],
    ['Birth date', 'birthDate'],
    ['Ата-анасы', 'parentName'],
    ['Родитель', 'parentName'],
    ['Телефон', 'phone'],
    ['Phone', 'phone'],
    ['Аты-жөні', 'fullName'],
    ['ФИО', 'fullName'],
    ['E-mail', 'email'],
  ])('«%s» → %s', (header, field) => {
    expect(recogniseHeader(header)).toBe(field);
  });

  it('leaves unknown columns alone', () => {
    expect(recogniseHeader('№')).toBeUndefined();
    expect(recogniseHeader('Ескерту')).toBeUndefined();
  });
});

describe('detecting encoding and delimiter', () => {
  const text = 'Тегі;Аты;Сынып\nӘлиева;Ұлжан;5Ә\n';

  it('reads UTF-8 with and without the byte-order mark', () => {
    const plain = Buffer.from(text, 'utf8');
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), plain]);
    expect(decodeText(plain)).toEqual({ text, encoding: 'utf-8' });
    expect(decodeText(withBom)).toEqual({ text, encoding: 'utf-8' });
  });

  it('falls back to Windows-1251 when the bytes are not UTF-8', () => {
    const russian = 'Фамилия;Имя;Класс\nИванов;Пётр;5А\n';
    expect(decodeText(iconv.encode(russian, 'win1251'))).toEqual({ text: russian, encoding: 'windows-1251' });
  });

  it('uses the encoding the librarian names', () => {
    const bytes = iconv.encode('Иванов', 'win1251');
    expect(decodeText(bytes, 'windows-1251').text).toBe('Иванов');
  });

  it('finds the delimiter of the header line, ignoring the ones in quotes', () => {
    expect(detectDelimiter('Тегі;Аты;Сынып\n')).toBe(';');
    expect(detectDelimiter('Last name,First name,Class\n')).toBe(',');
    expect(detectDelimiter('Тегі\tАты\tСынып\n')).toBe('\t');
    expect(detectDelimiter('"Аты, жөні";Сынып\n')).toBe(';');
  });
});

describe('rows of a roster', () => {
  it('reads dates in both ways and refuses impossible ones', () => {
    expect(parseBirthDate('07.03.2014')).toBe('2014-03-07');
    expect(parseBirthDate('2014-03-07')).toBe('2014-03-07');
    expect(parseBirthDate('7/3/2014')).toBe('2014-03-07');
    expect(parseBirthDate('31.02.2014')).toBeUndefined();
    expect(parseBirthDate('2014.03')).toBeUndefined();
    expect(parseBirthDate('01.01.2999')).toBeUndefined();
  });

  it('splits a full name with a two-word patronymic', () => {
    expect(splitFullName('Сәрсенова Аружан Болат қызы')).toEqual({ lastName: 'Сәрсенова', firstName: 'Аружан', middleName: 'Болат қызы' });
  });

  it('reports each broken row with its file line', async () => {
    const csv = [
      'Тегі;Аты;Сынып;Туған күні',
      'Әлиева;Ұлжан;5Ә;12.04.2014',
      ';Дана;5Ә;',
      'Қасымов;Нұрлан;5Ж7;',
      'Бекова;Айым;5Ә;31.13.2014',
      'Әлиева;Ұлжан;5 ә;12.04.2014',
    ].join('\r\n');
    const table = await readRosterFile(Buffer.from(csv), 'roster.csv');
    const { columns, rows } = parseRoster(table);
    expect(columns.map((c) => c.field)).toEqual(['lastName', 'firstName', 'className', 'birthDate']);
    expect(rows.map((r) => [r.line, r.errors.map((e) => e.code)])).toEqual([
      [2, []],
      [3, ['readers.import.missing_name']],
      [4, ['readers.import.bad_class']],
      [5, ['readers.import.bad_date']],
      [6, ['readers.import.duplicate_in_file']],
    ]);
    expect(rows[4]!.errors[0]!.params).toEqual({ line: 2 });
    expect(rows[0]!.values).toMatchObject({ lastName: 'Әлиева', grade: 5, classLetter: 'Ә', birthDate: '2014-04-12' });
  });

  it('refuses a row whose value is longer than the reader form takes, naming the file\'s own column', async () => {
    const long = 'Ә'.repeat(101);
    const csv = ['Тегі;Аты;Сынып;Ата-анасының телефоны', `${long};Ұлжан;5Ә;`, `Бекова;Айым;5Ә;${'7'.repeat(41)}`, 'Бекова;Дана;5Ә;+7 701 000 00 00'].join('\n');
    const { rows } = parseRoster(await readRosterFile(Buffer.from(csv), 'roster.csv'));
    expect(rows.map((r) => r.errors.map((e) => [e.code, e.params]))).toEqual([
      [['readers.import.too_long', { column: 'Тегі', length: 101, max: 100 }]],
      [['readers.import.too_long', { column: 'Ата-анасының телефоны', length: 41, max: 40 }]],
      [],
    ]);
    const fullName = await readRosterFile(Buffer.from(`ФИО;Класс\nОмаров Ерлан ${'С'.repeat(120)};3Б\n`), 'roster.csv');
    expect(parseRoster(fullName).rows[0]!.errors).toEqual([{ code: 'readers.import.too_long', params: { column: 'ФИО', length: 120, max: 100 } }]);
  });

  it('applies the class chosen by the librarian to a roster without a class column', async () => {
    const table = await readRosterFile(Buffer.from('ФИО\tДата рождения\nОмаров Ерлан Серікұлы\t2015-09-01\n'), 'roster.txt');
    expect(table.delimiter).toBe('\t');
    const { rows } = parseRoster(table, { grade: 3, classLetter: 'Б' });
    expect(rows[0]!.values).toMatchObject({ lastName: 'Омаров', firstName: 'Ерлан', middleName: 'Серікұлы', grade: 3, classLetter: 'Б' });
    expect(parseRoster(table).rows[0]!.errors.map((e) => e.code)).toEqual(['readers.import.missing_class']);
  });

  it('reads an XLSX roster with real date cells', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('5Ә сынып');
    sheet.addRow(['Last name', 'First name', 'Class', 'Birth date']);
    sheet.addRow(['Жұмабек', 'Әлихан', '5Ә', new Date(Date.UTC(2014, 10, 3))]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const table = await readRosterFile(bytes, 'upload.bin');
    expect(table.format).toBe('xlsx');
    const { rows } = parseRoster(table);
    expect(rows).toEqual([
      {
        line: 2,
        errors: [],
        values: {
          lastName: 'Жұмабек', firstName: 'Әлихан', middleName: null, grade: 5, classLetter: 'Ә', birthDate: '2014-11-03',
          parentName: null, parentPhone: null, phone: null, email: null,
        },
      },
    ]);
  });

  it('refuses a file without a name column, saying which columns it found', async () => {
    const table = await readRosterFile(Buffer.from('Кітап;Саны\nАбай жолы;3\n'), 'books.csv');
    expect(() => parseRoster(table)).toThrow(expect.objectContaining({ code: 'readers.import.no_name_column', params: { headers: 'Кітап, Саны' } }));
  });
});

describe('translations of the readers area', () => {
  it('has every message in Kazakh, Russian and English, with the same placeholders', async () => {
    const { messages } = await import('./messages.js');
    const keys = Object.keys(messages.kk).sort();
    expect(Object.keys(messages.ru).sort()).toEqual(keys);
    expect(Object.keys(messages.en).sort()).toEqual(keys);
    const placeholders = (text: string) => (text.match(/{{\w+}}/g) ?? []).sort();
    for (const key of keys) {
      expect(placeholders(messages.ru[key]!), key).toEqual(placeholders(messages.kk[key]!));
      expect(placeholders(messages.en[key]!), key).toEqual(placeholders(messages.kk[key]!));
    }
  });
});
