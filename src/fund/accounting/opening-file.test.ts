import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { readTemplate, templateXlsx, type TemplateRow } from './opening-file.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kitaphana-template-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const WORDS = ['Әуезов', 'Абай жолы', 'Қыз Жібек', 'Шоқан Уәлиханов', 'Ұлы дала', 'Көшпенділер', 'Өмір өзені', 'Сказки Пушкина', 'Ғасырлар үні', 'Үш бақытым'];
/** Titles of Kazakh and Russian letters, two bytes each in UTF-8: some fall on the boundaries of the reader's chunks. */
const title = (i: number) => `${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} ${i}`;
const HEADER = ['Инвентарлық нөмір', 'Түскен күні', 'Авторы', 'Атауы', 'КБЖ'];
const row = (i: number) => [String(1000 + i), '01.09.2010', `${WORDS[i % 3]} А.`, title(i), '84(5Қаз)7-44'];

async function readAll(file: string, format: 'csv' | 'xlsx'): Promise<TemplateRow[]> {
  const rows: TemplateRow[] = [];
  for await (const r of readTemplate(file, format)) rows.push(r);
  return rows;
}

describe('reading a template file as a stream', () => {
  // exceljs 4.4's streaming reader decodes each chunk of a sheet on its own: a letter cut by a chunk boundary
  // came back as U+FFFD, in titles as in any other cell (about one cell in a hundred of a large Kazakh sheet)
  it.each([
    ['inline strings', false],
    ['shared strings', true],
  ])('keeps every Kazakh and Russian letter of a 3,000-row XLSX with %s', async (_, useSharedStrings) => {
    const file = path.join(dir, `fund-${useSharedStrings}.xlsx`);
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings, useStyles: false });
    const ws = wb.addWorksheet('Қор');
    ws.addRow(HEADER).commit();
    for (let i = 0; i < 3000; i++) ws.addRow(row(i)).commit();
    await wb.commit();
    const rows = await readAll(file, 'xlsx');
    expect(rows).toHaveLength(3000);
    const broken = rows.filter((r) => Object.values(r.values).some((v) => v!.includes('\uFFFD')));
    expect(broken.map((r) => r.row)).toEqual([]);
    rows.forEach((r, i) => expect(r.values).toEqual({ inventoryNumber: String(1000 + i), enteredOn: '01.09.2010', author: `${WORDS[i % 3]} А.`, title: title(i), bbk: '84(5Қаз)7-44' }));
  });

  it('reads the cells of a workbook as Excel keeps them: dates, numbers, rich text, entities, the first sheet only', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Қор');
    wb.addWorksheet('Басқа').addRow(['Инвентарлық нөмір', 'Түскен күні', 'Атауы']);
    ws.addRow([]);
    ws.addRow(['Инвентарлық нөмір', 'Түскен күні', 'Авторы', 'Атауы', 'Бағасы, теңге', 'Басылған жылы']);
    ws.addRow([7002, new Date(Date.UTC(2003, 4, 6)), { richText: [{ text: 'Абай ' }, { font: { bold: true }, text: 'Құнанбайұлы' }] }, 'Қара сөздер & <өлеңдер>', 1250.5, 1995]);
    ws.getCell('F3').numFmt = '0';
    ws.addRow(['7003', '07.05.2003', null, 'Қыз Жібек', null, null]);
    ws.addRow([]);
    ws.getCell('H6').value = 'ескерту';
    const file = path.join(dir, 'cells.xlsx');
    fs.writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
    expect(await readAll(file, 'xlsx')).toEqual([
      { row: 3, values: { inventoryNumber: '7002', enteredOn: '37747', author: 'Абай Құнанбайұлы', title: 'Қара сөздер & <өлеңдер>', price: '1250.5', year: '1995' } },
      { row: 4, values: { inventoryNumber: '7003', enteredOn: '07.05.2003', title: 'Қыз Жібек' } },
    ]);
  });

  it('reads back the template it hands out, in each language', async () => {
    for (const locale of ['kk', 'ru', 'en'] as const) {
      const file = path.join(dir, `template-${locale}.xlsx`);
      fs.writeFileSync(file, await templateXlsx(locale));
      const rows = await readAll(file, 'xlsx');
      expect(rows).toHaveLength(1);
      expect(rows[0]!.values).toMatchObject({ inventoryNumber: '1024', enteredOn: '15.09.2008', title: 'Абай жолы', year: '2005', bbk: '84(5Каз)' });
    }
  });

  it('reads a large CSV in UTF-8 and in Windows-1251 alike', async () => {
    const text = [HEADER, ...Array.from({ length: 3000 }, (_, i) => row(i))].map((r) => r.join(';')).join('\r\n');
    const utf8 = path.join(dir, 'fund-utf8.csv');
    fs.writeFileSync(utf8, text, 'utf8');
    // Windows-1251 has no Kazakh letters: its file holds the Russian titles only
    const russian = [['Инвентарный номер', 'Дата поступления', 'Автор', 'Заглавие', 'ББК'], ...Array.from({ length: 3000 }, (_, i) => [String(1000 + i), '01.09.2010', 'Пушкин А.', `Сказки ${i}`, '84(2Рос=Рус)'])];
    const cp1251 = path.join(dir, 'fund-1251.csv');
    fs.writeFileSync(cp1251, iconv.encode(russian.map((r) => r.join(';')).join('\r\n'), 'win1251'));
    const a = await readAll(utf8, 'csv');
    expect(a.map((r) => r.values.title)).toEqual(Array.from({ length: 3000 }, (_, i) => title(i)));
    const b = await readAll(cp1251, 'csv');
    expect(b.map((r) => r.values.title)).toEqual(Array.from({ length: 3000 }, (_, i) => `Сказки ${i}`));
  });
});
