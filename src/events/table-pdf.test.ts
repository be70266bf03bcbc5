import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tablePdf } from './table-pdf.js';

function pdfWords(pdf: Buffer): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'table-pdf-'));
  try {
    const file = path.join(dir, 'table.pdf');
    fs.writeFileSync(file, pdf);
    return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).split(/\s+/).filter(Boolean);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the table of printed plans, calendars and lists', () => {
  it('wraps a Russian header between words, never inside one, even in a narrow column', async () => {
    // the columns of the events plan, in Russian: «Ответственный» and «Выполнение» are wider than their columns at 9 pt
    const pdf = await tablePdf({
      title: 'План мероприятий библиотеки на 2026-2027 учебный год',
      lines: ['Школа-гимназия № 1'],
      columns: [
        { label: '№', width: 4 },
        { label: 'Мероприятие', width: 36 },
        { label: 'Форма проведения', width: 14 },
        { label: 'Для кого', width: 12 },
        { label: 'Срок', width: 13 },
        { label: 'Ответственный', width: 13 },
        { label: 'Выполнение', width: 10 },
      ],
      rows: [['1', 'Неделя детской книги', 'Выставка', '1–4 классы', '01.03.2027', 'Библиотекарь', 'Проведено']],
    });
    const words = pdfWords(pdf);
    for (const word of ['Ответственный', 'Выполнение', 'Мероприятие', 'проведения']) expect(words).toContain(word);
  });
});
