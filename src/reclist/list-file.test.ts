import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText, entryKey, parseListFile, readCategory } from './list-file.js';
import { judge } from './matching.js';
import { t } from '../i18n/index.js';

describe('reading a list file', () => {
  it('knows the five categories by code and by name in Kazakh, Russian and English', () => {
    const names: [string, string][] = [
      ['Ежелгі және классикалық әдебиет', 'classical'],
      ['Древняя и классическая литература', 'classical'],
      ['Тәуелсіздік кезеңіндегі қазақ әдебиеті', 'independence'],
      ['Казахская литература периода Независимости', 'independence'],
      ['Қазіргі қазақ әдебиеті', 'contemporary'],
      ['Contemporary Kazakh literature', 'contemporary'],
      ['Шетелдегі қазақ әдебиеті', 'abroad'],
      ['Казахская литература зарубежья', 'abroad'],
      ['Kazakh literature published abroad', 'abroad'],
      ['Шетел әдебиеті', 'foreign'],
      ['Зарубежная литература', 'foreign'],
      ['foreign', 'foreign'],
      ['Поэзия', ''],
    ];
    expect(names.map(([name]) => readCategory(name) ?? '')).toEqual(names.map(([, code]) => code));
  });

  it('reads Windows-1251 when the bytes are not UTF-8, and UTF-8 with or without a BOM', () => {
    const text = 'Атауы;Санат\nҚара сөздер;Шетел әдебиеті';
    expect(decodeText(iconv.encode('Название;Категория', 'win1251'))).toBe('Название;Категория');
    expect(decodeText(Buffer.from(`\uFEFF${text}`, 'utf8'))).toBe(text);
  });

  it('gives one identity to a title written in Cyrillic and in the Kazakh Latin alphabet', () => {
    expect(entryKey('Бердібек Соқпақбаев', 'Менің атым Қожа')).toBe(entryKey('Berdibek Soqpaqbaev', 'Menıñ atym Qoja'));
    expect(entryKey('Бердібек Соқпақбаев', 'Менің атым Қожа')).not.toBe(entryKey('Бердібек Соқпақбаев', 'Балалық шаққа саяхат'));
  });

  it('takes the year from a column, and refuses a line of another year', async () => {
    const file = Buffer.from('Title,Category,Year\nАқ кеме,foreign,2027\nҚара сөздер,classical,2026\n', 'utf8');
    const parsed = await parseListFile(file);
    expect(parsed.year).toBe(2027);
    expect(parsed.rows.map((r) => r.title)).toEqual(['Ақ кеме']);
    expect(parsed.errors).toEqual([{ line: 3, code: 'reclist.row.other_year', params: { value: 2026, year: 2027 } }]);
  });

  it('refuses a line whose title or author is longer than the catalogue takes, and names which', async () => {
    const file = Buffer.from(`Title,Author,Category\n${'Ақ кеме '.repeat(130)},Шыңғыс Айтматов,foreign\nҚара сөздер,${'Абай '.repeat(61)},classical\nАқ кеме,Шыңғыс Айтматов,foreign\n`, 'utf8');
    const parsed = await parseListFile(file, 2026);
    expect(parsed.rows.map((r) => r.title)).toEqual(['Ақ кеме']);
    expect(parsed.errors).toEqual([
      { line: 2, code: 'reclist.row.too_long', params: { column: 'title', length: 1039, max: 1000 } },
      { line: 3, code: 'reclist.row.too_long', params: { column: 'author', length: 304, max: 300 } },
    ]);
    expect(t('ru', 'reclist.row.too_long', parsed.errors[1]!.params)).toBe('Имя автора слишком длинное (длина 304, допустимо не более 300)');
  });
});

describe('judging catalogue candidates for a list title', () => {
  const entry = { entry_key: '', title: 'Менің атым Қожа', author: 'Бердібек Соқпақбаев', isbn: null };

  it('applies the same title by the same author in another script, and queues the doubtful ones', () => {
    expect(
      judge(entry, [
        { id: 1, title: 'Menıñ atym Qoja', authors: ['Berdibek Soqpaqbaev'] },
        { id: 2, title: 'Менің атым Қожа', authors: ['Құрастырған: А. Сейітова'] },
        { id: 3, title: 'Менің атым Қожа: повесть және әңгімелер', authors: ['Б. Соқпақбаев'] },
        { id: 4, title: 'Менің атым Қожа туралы әдістемелік құрал', authors: ['Ә. Жұмабаева'] },
      ]),
    ).toEqual([
      { workId: 1, status: 'confirmed', method: 'author_title' },
      { workId: 2, status: 'pending', method: 'title' },
      { workId: 3, status: 'pending', method: 'author_title' },
    ]);
  });
});
