import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeIso2709 } from '../src/interop/marc/iso2709.js';
import type { MarcRecord } from '../src/interop/marc/record.js';
import { eventually, openBrowserSession, signIn, type BrowserSession } from './support.js';

const TITLES = ['Көшпенділер әлемі: сурет кітабы', 'Ұлы дала ертегілері'];

/** Two books of another school's catalogue with their copies, and one record whose leader is broken. */
function schoolFile(): Buffer {
  const book = (id: string, title: string, inventory: string): MarcRecord => ({
    leader: '00000nam a2200000 i 4500',
    fields: [
      { tag: '001', value: id },
      { tag: '003', value: 'E2E-MARC' },
      { tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: 'Сәрсенбаев, Ерлан' }] },
      { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: title }] },
      { tag: '876', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: inventory }, { code: 'c', value: '3200.00' }] },
    ],
  });
  const broken = Buffer.from(writeIso2709(book('e3', 'Бүлінген жазба', '970003')));
  broken.write('ab', 12, 'latin1'); // the base address is no number
  return Buffer.concat([writeIso2709(book('e1', TITLES[0]!, '970001')), broken, writeIso2709(book('e2', TITLES[1]!, '970002'))]);
}

/**
 * A librarian brings in a file from the school's old system: checks it, sees the broken record
 * with its place, imports the good ones with their copies, finds them in the catalogue, and
 * undoes the import.
 */
describe('a librarian imports a MARC file in the browser', () => {
  let s: BrowserSession;

  beforeAll(async () => {
    s = await openBrowserSession();
    await signIn(s.page, s.baseUrl, s.library.librarianLogin, s.library.password, '/desk');
  });

  afterAll(async () => {
    await s?.close();
  });

  it('checks the file, imports the readable records with their copies, and undoes the import', async () => {
    const { page } = s;
    await page.goto(`${s.baseUrl}/interop/marc`);
    await page.getByText('Бұл кітапхана әлі ешбір файл импорттаған жоқ.').waitFor();

    await page.locator('#marc-file').setInputFiles({ name: 'old-system.mrc', mimeType: 'application/marc', buffer: schoolFile() });
    await page.getByRole('button', { name: 'Файлды тексеру' }).click();
    const preview = page.locator('.panel', { hasText: 'Тексеру нәтижесі' });
    await eventually(() => preview.textContent()).toContain('Жазбалар: 3, оқылды: 2, қате: 1');
    expect(await preview.textContent()).toContain('Формат: MARC 21, кодтау: UTF-8.');
    await preview.getByRole('cell', { name: TITLES[0]!, exact: true }).first().waitFor();
    // the copies as the holdings profile reads them, before anything is written
    const copiesSeen = page.getByRole('table', { name: 'Алғашқы даналар осы профильмен' });
    expect(await copiesSeen.getByRole('cell', { name: TITLES[0]!, exact: true }).count()).toBeGreaterThan(0);
    // the broken record is named with its place in the file and the reason, in the librarian's language
    const broken = schoolFile().indexOf(0x1d) + 1;
    expect(await preview.locator('details li').first().textContent()).toContain(`№2 жазба (байт ${broken}): Жазба маркері бүлінген`);

    await page.getByRole('button', { name: '2 жазбаны импорттау' }).click();
    const report = page.locator('.panel[aria-live="polite"]');
    await eventually(() => report.textContent()).toContain('Аяқталды · 3 / 3');
    expect(await report.textContent()).toContain('Жаңа жазбалар: 2, біріктірілді: 0, өткізілді: 0, қате: 1, даналар: 2.');
    await eventually(() => page.locator('table', { hasText: 'old-system.mrc' }).count()).toBe(1);

    const copies = await s.db
      .selectFrom('fund.copies as c')
      .innerJoin('catalog.works as w', 'w.id', 'c.work_id')
      .select(['w.title', 'c.inventory_number'])
      .where('w.title', 'in', TITLES)
      .orderBy('c.inventory_number')
      .execute();
    expect(copies).toEqual([
      { title: TITLES[0], inventory_number: '970001' },
      { title: TITLES[1], inventory_number: '970002' },
    ]);

    await page.goto(`${s.baseUrl}/?q=${encodeURIComponent('Ұлы дала ертегілері')}`);
    await page.getByRole('link', { name: TITLES[1]! }).waitFor();

    await page.goto(`${s.baseUrl}/interop/marc`);
    const row = page.locator('tr', { hasText: 'old-system.mrc' });
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Болдырмау' }).click();
    await eventually(() => page.locator('tr', { hasText: 'old-system.mrc' }).textContent()).toContain('Болдырылмады');
    const left = await s.db.selectFrom('catalog.works').select('id').where('title', 'in', TITLES).execute();
    expect(left).toEqual([]);
  });
});
