import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/demo/seed.js';
import { eventually, openBrowserSession, signIn, type BrowserSession } from './support.js';

/** A parent sees everything the library holds about the child and asks for a correction; the librarian answers. */
describe("a family's rights over a child's data, in the browser", () => {
  let s: BrowserSession;

  beforeAll(async () => {
    s = await openBrowserSession();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('shows the parent the data about the child and takes a correction request', async () => {
    const { page } = s;
    await signIn(page, s.baseUrl, 'parent', DEMO_PASSWORD, '/my');
    await page.getByRole('link', { name: 'Балам туралы деректер' }).click();
    await page.getByRole('heading', { name: 'Балам туралы деректер' }).waitFor();
    await page.getByRole('heading', { name: /^Кітап беру тарихы \(\d+\)$/ }).waitFor();
    await page.getByRole('heading', { name: /^Келісімдер \([1-9]\d*\)$/ }).waitFor();
    // the demo parent's own correction request is there, still open
    await eventually(() => page.getByText('Туған күні қате жазылған').count()).toBeGreaterThan(0);
    await page.getByLabel('Не сұрайсыз').selectOption('blocking');
    await page.getByLabel('Түсініктеме').fill('Жарысқа қатысқысы келмейді');
    await page.getByRole('button', { name: 'Жіберу' }).click();
    await page.getByRole('status').getByText('Өтініш жіберілді: кітапханашы жауап береді.').waitFor();
    await eventually(() => page.getByText('Жарысқа қатысқысы келмейді').count()).toBeGreaterThan(0);
  });

  it('lists the requests for the librarian, and the reader page shows consents without the contacts of families who gave none', async () => {
    const { page } = s;
    await page.context().clearCookies();
    await signIn(page, s.baseUrl, s.library.librarianLogin, s.library.password, '/desk');
    await page.goto(`${s.baseUrl}/readers/requests`);
    await page.getByRole('heading', { name: 'Ата-аналардың өтініштері' }).waitFor();
    await eventually(() => page.getByText('Жарысқа қатысқысы келмейді').count()).toBe(1);
    await page.goto(`${s.baseUrl}/readers/${s.library.reader.id}`);
    await page.getByRole('heading', { name: 'Жеке деректер және келісімдер' }).waitFor();
    // this pupil's family gave no contact consent: no phone fields, a note instead
    await page.getByText('Оқушының және ата-анасының телефоны мен поштасы байланыс келісімі тіркелгенде ғана сақталады (төменде).').waitFor();
    expect(await page.locator('#reader-parentPhone').count()).toBe(0);
  });

  it('lets the librarian set the retention periods within their bounds', async () => {
    const { page } = s;
    await page.context().clearCookies();
    await signIn(page, s.baseUrl, s.library.librarianLogin, s.library.password, '/desk');
    await page.getByRole('link', { name: 'Деректерді сақтау мерзімдері' }).click();
    await page.getByRole('heading', { name: 'Деректерді сақтау мерзімдері' }).waitFor();
    const loans = page.getByLabel('Берулер тарихы (күн)');
    await eventually(() => loans.inputValue()).toBe('1095');
    await page.getByText('Рұқсат: 365–3650, әдепкі 1095.').first().waitFor();
    const save = page.getByRole('button', { name: 'Сақтау', exact: true });
    await loans.fill('100');
    expect(await save.isDisabled()).toBe(true);
    await loans.fill('730');
    // the reading records: a pupil still at school keeps them, the others become numbers after the period
    const reading = page.getByLabel('Оқу жазбалары (күн)');
    await page.getByText('Мектепте оқып жүрген оқушы өз жазбаларының бәрін сақтайды.', { exact: false }).waitFor();
    await reading.fill('1460');
    await save.click();
    await page.getByRole('status').getByText('Сақтау мерзімдері сақталды.').waitFor();
    await page.reload();
    await eventually(() => page.getByLabel('Берулер тарихы (күн)').inputValue()).toBe('730');
    await eventually(() => page.getByLabel('Оқу жазбалары (күн)').inputValue()).toBe('1460');
  });
});
