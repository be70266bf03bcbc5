import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '../src/shared/library-time.js';
import { DEMO_PASSWORD } from '../src/demo/seed.js';
import { eventually, openBrowserSession, signIn, type BrowserSession } from './support.js';
import { makeReader } from '../test/support/factories.js';

const nbsp = (text: string | null) => (text ?? '').replace(/\u00a0|\u202f/g, ' ');

/**
 * Beyond the desk: the librarian receives copies and prints their labels, imports a class
 * roster and moves the school up a grade (and back); the class teacher prints the debtor list;
 * a student renews a book from a phone.
 */
const ONE_PIXEL_PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478016338b165c17f000780031c9f73e2160000000049454e44ae426082',
  'hex',
);

describe('the catalogue, the class teacher and a student in the browser', () => {
  let s: BrowserSession;

  beforeAll(async () => {
    s = await openBrowserSession();
  });

  afterAll(async () => {
    await s?.close();
  });

  async function newPage(viewport = { width: 1280, height: 860 }): Promise<Page> {
    const context = await s.page.context().browser()!.newContext({ viewport, acceptDownloads: true });
    return context.newPage();
  }

  async function studentReaderId(): Promise<number> {
    const user = await s.db.selectFrom('org.users').select('reader_id').where('login', '=', 'student').executeTakeFirstOrThrow();
    return user.reader_id!;
  }

  it('the librarian receives two copies of a work, prints their labels and sends one to repair', async () => {
    const page = s.page;
    await signIn(page, s.baseUrl, s.library.librarianLogin, s.library.password, '/desk');
    await page.getByRole('link', { name: 'Каталогтан іздеу' }).click();
    await page.getByRole('searchbox').fill(s.library.copy.title);
    await page.keyboard.press('Enter');
    await page.locator('.result-title', { hasText: s.library.copy.title }).first().click();
    await page.getByRole('heading', { name: 'Дана қосу' }).waitFor();
    const rows = page.locator('table tbody tr');
    const before = await rows.count();

    await page.getByLabel('Дана саны').fill('2');
    await page.getByLabel('Бағасы, ₸').fill('1500');
    await page.getByLabel('Орны (сөре)').fill('Б-2');
    await page.getByRole('button', { name: 'Қосу', exact: true }).click();
    await eventually(() => rows.count()).toBe(before + 2);

    const added = await s.db
      .selectFrom('fund.copies')
      .select(['id', 'barcode', 'inventory_number', 'price_tiyn', 'location'])
      .where('location', '=', 'Б-2')
      .orderBy('id')
      .execute();
    expect(added.map((c) => [c.price_tiyn, c.location])).toEqual([[150_000, 'Б-2'], [150_000, 'Б-2']]);
    for (const copy of added) {
      const row = rows.filter({ hasText: copy.barcode });
      expect(nbsp(await row.textContent())).toContain('1 500 ₸');
    }

    // The new copies come selected: one click prints their labels.
    const printButton = page.getByRole('button', { name: 'Таңдалған 2 дананың жапсырмасын басып шығару' });
    const [download] = await Promise.all([page.waitForEvent('download'), printButton.click()]);
    expect(download.suggestedFilename()).toBe('labels.pdf');
    const pdfPath = path.join(s.shotsDir, 'labels.pdf');
    await download.saveAs(pdfPath);
    expect(fs.readFileSync(pdfPath).subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' });
    for (const copy of added) expect(text).toContain(copy.inventory_number);

    const first = added[0]!;
    await page.getByRole('button', { name: `${first.barcode} данасын өңдеу` }).click();
    await page.getByLabel('Жөндеуде').check();
    await page.getByRole('button', { name: 'Сақтау' }).click();
    await eventually(async () => (await rows.filter({ hasText: first.barcode }).textContent()) ?? '').toContain('Жөндеуде');
    const saved = await s.db.selectFrom('fund.copies').select('status').where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(saved.status).toBe('in_repair');

    // a photo of the cover: a file that is not an image is refused in Kazakh, a PNG is shown
    const coverInput = page.getByLabel('Мұқаба суретін жүктеу:');
    await coverInput.setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: Buffer.from('not a picture') });
    await page.getByText('Мұқаба суреті JPEG немесе PNG файлы болуы керек').waitFor();
    await coverInput.setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: ONE_PIXEL_PNG });
    const cover = page.getByRole('img', { name: 'Мұқаба' });
    await cover.waitFor();
    expect(await cover.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
  });

  it('the librarian imports a class roster: checks every row, skips the bad one, gets the new readers', async () => {
    const page = s.page;
    // The demo library has readers of its own with these surnames (a teacher Жақсылықова): only the ones added by this import count.
    const { lastId } = await s.db.selectFrom('readers.readers').select((eb) => eb.fn.max('id').as('lastId')).executeTakeFirstOrThrow();
    await page.getByRole('link', { name: 'Тізімді жүктеу' }).click();
    const roster = 'Тегі;Аты;Сынып;Туған күні\nЖақсылықова;Інжу;2Б;14.03.2018\nТөлегенов;Ерасыл;2Б;02.11.2017\nСейітов;;2Б;01.01.2018\n';
    await page.getByLabel('Сынып тізімі (CSV немесе XLSX)').setInputFiles({ name: '2b.csv', mimeType: 'text/csv', buffer: Buffer.from(roster) });
    await page.getByRole('button', { name: 'Тексеру' }).click();

    const badRow = page.locator('tr.has-error');
    await badRow.waitFor();
    expect(await badRow.textContent()).toContain('Тегі немесе аты жазылмаған');
    expect(await page.getByText('Дұрыс жолдар: 2, қатесі барлары: 1').count()).toBe(1);
    const importButton = page.getByRole('button', { name: '2 оқырманды жүктеу' });
    expect(await importButton.isDisabled()).toBe(true);

    await page.getByLabel('Қатесі бар жолдарды өткізіп, қалғандарын жүктеу').check();
    await importButton.click();
    await page.getByText('Жүктелді: 2, өткізілді: 1').waitFor();
    const imported = await s.db
      .selectFrom('readers.readers')
      .select(['last_name', 'grade', 'class_letter', 'birth_date'])
      .where('last_name', 'in', ['Жақсылықова', 'Төлегенов', 'Сейітов'])
      .where('id', '>', Number(lastId ?? 0))
      .orderBy('last_name')
      .execute();
    expect(imported).toEqual([
      { last_name: 'Жақсылықова', grade: 2, class_letter: 'Б', birth_date: '2018-03-14' },
      { last_name: 'Төлегенов', grade: 2, class_letter: 'Б', birth_date: '2017-11-02' },
    ]);
  });

  it('the librarian previews the year-end promotion, performs it and undoes it exactly', async () => {
    const page = s.page;
    page.on('dialog', (dialog) => void dialog.accept());
    const gradeOf = async () =>
      (await s.db.selectFrom('readers.readers').select('grade').where('id', '=', s.library.reader.id).executeTakeFirstOrThrow()).grade;
    const before = await gradeOf();

    await page.getByRole('link', { name: 'Жыл соңында сыныпқа көшіру' }).click();
    await page.getByRole('button', { name: 'Алдын ала қарау' }).click();
    const move = page.getByRole('row').filter({ hasText: '2Б' }).first();
    await move.waitFor();
    expect(await move.textContent()).toContain('3Б');

    await page.getByRole('button', { name: 'Сыныптарды көшіру' }).click();
    await page.getByRole('button', { name: 'Көшіруді болдырмау' }).waitFor();
    expect(await gradeOf()).toBe(before! + 1);

    await page.getByRole('button', { name: 'Көшіруді болдырмау' }).click();
    await page.getByText('Көшіру болдырылмады: сыныптар бұрынғы қалпына келді.').waitFor();
    expect(await gradeOf()).toBe(before);
  });

  it('the librarian erases the personal data of a reader who left two years ago', async () => {
    const page = s.page; // the promotion test's dialog handler accepts the confirmation
    const school = await s.db.selectFrom('readers.readers').select('organisation_id').where('id', '=', s.library.reader.id).executeTakeFirstOrThrow();
    const gone = await makeReader(s.db, school.organisation_id, { lastName: 'Ертеректегі', firstName: 'Түлек', grade: 11, classLetter: 'А' });
    await s.db.updateTable('readers.readers').set({ status: 'left', left_on: '2022-05-25', parent_phone: '+7 701 000 11 22' }).where('id', '=', gone.id).execute();

    await page.getByRole('link', { name: 'Жыл соңында сыныпқа көшіру' }).click();
    await page.getByRole('button', { name: 'Тексеру' }).click();
    await page.getByText(/дейін кеткен, қолында ештеңе жоқ оқырмандар: \d+/).waitFor();
    await page.getByRole('button', { name: /оқырманның деректерін жою$/ }).click();
    await page.getByText(/^Жойылды: \d+ оқырманның жеке деректері\.$/).waitFor();
    const erased = await s.db.selectFrom('readers.readers').select(['last_name', 'parent_phone', 'anonymised_at']).where('id', '=', gone.id).executeTakeFirstOrThrow();
    expect(erased).toMatchObject({ last_name: '***', parent_phone: null });
    expect(erased.anonymised_at).not.toBeNull();
  });

  it('the class teacher sees the own class on the debtor list and prints it', async () => {
    const page = await newPage();
    await signIn(page, s.baseUrl, 'teacher', DEMO_PASSWORD, '/debtors');
    const reader = await s.db
      .selectFrom('readers.readers')
      .select(['last_name', 'first_name'])
      .where('id', '=', await studentReaderId())
      .executeTakeFirstOrThrow();
    await page.getByRole('heading', { name: '5Ә сыныбы' }).waitFor();
    expect(await page.locator('main').textContent()).toContain(`${reader.last_name} ${reader.first_name}`);
    // A teacher has no class filter: the list is always the own class.
    expect(await page.locator('#debtors-grade').count()).toBe(0);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Тізімді басып шығару (PDF)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`debtors-${localDate()}.pdf`);
    await page.context().close();
  });

  it('a student renews a book from a phone; an overdue one must come back first', async () => {
    const readerId = await studentReaderId();
    const open = await s.db
      .selectFrom('circulation.loans as l')
      .innerJoin('fund.copies as c', 'c.id', 'l.copy_id')
      .innerJoin('catalog.works as w', 'w.id', 'c.work_id')
      .select(['l.id', 'l.due_on', 'w.title'])
      .where('l.reader_id', '=', readerId)
      .where('l.returned_at', 'is', null)
      .orderBy('l.id')
      .execute();
    expect(open.length).toBeGreaterThan(1);
    // One book is due in two days and one is a month late.
    const today = localDate();
    const [soon, late] = open;
    await s.db.updateTable('circulation.loans').set({ due_on: addDays(today, 2), renewals: 0 }).where('id', '=', soon!.id).execute();
    await s.db.updateTable('circulation.loans').set({ due_on: addDays(today, -30) }).where('id', '=', late!.id).execute();

    const page = await newPage({ width: 390, height: 800 });
    await signIn(page, s.baseUrl, 'student', DEMO_PASSWORD, '/my');
    const rows = page.locator('.loan-table tbody tr');
    await eventually(() => rows.count()).toBe(open.length);

    const lateRow = rows.filter({ hasText: late!.title }).first();
    expect(await lateRow.getAttribute('class')).toBe('overdue');
    expect(await lateRow.getByRole('button').isDisabled()).toBe(true);
    expect(await lateRow.textContent()).toContain('кітапты кітапханаға әкеліңіз');

    const soonRow = rows.filter({ hasText: soon!.title }).first();
    await soonRow.getByRole('button', { name: `«${soon!.title}» кітабының мерзімін ұзарту` }).click();
    await page.getByRole('status').waitFor();
    const due = addDays(today, 14).split('-').reverse().join('.');
    expect(await page.getByRole('status').textContent()).toBe(`«${soon!.title}» мерзімі ${due} дейін ұзартылды`);
    const renewed = await s.db.selectFrom('circulation.loans').select(['due_on', 'renewals']).where('id', '=', soon!.id).executeTakeFirstOrThrow();
    expect(renewed).toEqual({ due_on: addDays(today, 14), renewals: 1 });
    await page.screenshot({ path: path.join(s.shotsDir, 'my-books-phone.png'), fullPage: true });
    await page.context().close();
  });
});
