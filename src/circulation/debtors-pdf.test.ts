import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { debtorsPdf } from './debtors-pdf.js';

/** The words of a PDF's text, as pdftotext reads them in reading order. */
function pdfWords(pdf: Buffer): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'debtors-pdf-'));
  try {
    const file = path.join(dir, 'list.pdf');
    fs.writeFileSync(file, pdf);
    return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).split(/\s+/).filter(Boolean);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the printed debtor list', () => {
  const input = {
    libraryName: 'Школа-гимназия № 1',
    today: '2026-03-05',
    locale: 'ru' as const,
    classes: [
      {
        grade: 5,
        classLetter: 'Ә',
        className: '5Ә',
        readers: [
          {
            readerId: 1,
            fullName: 'Жақсыбекова Ұлжан',
            loans: [{ loanId: 1, title: 'Путь Абая', authors: ['Мухтар Ауэзов'], barcode: '1000000001', inventoryNumber: '17', dueOn: '2026-02-20', overdueDays: 13 }],
          },
        ],
      },
    ],
  };

  it('keeps the words of a narrow Russian header whole and prints dates as dd.mm.yyyy', async () => {
    const words = pdfWords(await debtorsPdf(input));
    // «Дней просрочки» in a 56-pt column: wrapped between the words, never «просроч-» + «ки»
    expect(words).toContain('просрочки');
    expect(words).toContain('возврата');
    expect(words).toContain('20.02.2026');
    expect(words).toContain('05.03.2026');
    expect(words.join(' ')).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });
});
