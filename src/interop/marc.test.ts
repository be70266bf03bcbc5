import fs from 'node:fs';
import iconv from 'iconv-lite';
import marcjs from 'marcjs';
import { describe, expect, it } from 'vitest';
import { decodeBytes, detectEncoding, guessEncoding, resolveNcrs } from './marc/encoding.js';
import { readIso2709, RecordTooLongError, splitIso2709, splitLongField, writeIso2709 } from './marc/iso2709.js';
import { decodeMarc8 } from './marc/marc8.js';
import { MARCXML_NS, readMarcXml, writeMarcXmlCollection } from './marc/marcxml.js';
import { dataFields, type MarcRecord, type Subfield } from './marc/record.js';
import { clean, detectFormat, mapRecord } from './mapping.js';
import { readMarcFile, readMarcFileInSlices } from './reader.js';
import { workToMarc21, type ExportWork } from './export.js';
import { marcFile } from './test-helpers.js';

const cyrillicWithQuestionMark = /[\u0400-\u04ff]\?[\u0400-\u04ff]/;

describe('reading the real MARC files', () => {
  it('reads all 52 Evergreen records as UTF-8 MARC 21, Cyrillic and Armenian intact', () => {
    const file = readMarcFile(fs.readFileSync(marcFile('evergreen-FSL-marc21-utf8.mrc')));
    expect(file.records).toHaveLength(52);
    expect(file.records.every((r) => r.encoding === 'utf8' && r.format === 'marc21' && r.work)).toBe(true);
    expect(file.records[0]!.work).toMatchObject({ title: 'Люди с чистой совестью', publisher: 'Правда', publishYear: 1989 });
    expect(file.records[1]!.work!.authors[0]!.name).toBe('Блок, Александр Александрович');
    const text = JSON.stringify(file.records.map((r) => r.record));
    expect(text).toMatch(/[\u0530-\u058f]/); // Armenian letters
    expect(text).not.toMatch(cyrillicWithQuestionMark);
    expect(text).not.toContain('\ufffd');
  });

  it('detects Windows-1251 in the Russian Book Chamber file and keeps UDC and BBK', () => {
    const file = readMarcFile(fs.readFileSync(marcFile('pymarc-1251-marc21-cp1251.mrc')));
    expect(file.records.map((r) => r.encoding)).toEqual(Array(6).fill('cp1251'));
    expect(file.records.map((r) => [r.work!.udc, r.work!.bbk])).toEqual([
      ['624.01:532.5(075.8)', '38.1я73'],
      ['159.922.7', '88.4'],
      ['69:658.012(075.8)', '65.31я73'],
      expect.any(Array),
      expect.any(Array),
      expect.any(Array),
    ]);
    expect(file.records.every((r) => r.work!.udc && r.work!.bbk)).toBe(true);
    expect(file.records[1]!.work).toMatchObject({ title: 'Психологический тренинг с подростками', authors: [{ name: 'Анн, Людмила Федоровна', role: 'author' }], subjects: ['Подростки -- Психология', 'Психологический тренинг'] });
  });

  it('reads the 81 RUSMARC records as UNIMARC: 200 title, 700/701/702 names, 010 ISBN, 686 BBK', () => {
    const file = readMarcFile(fs.readFileSync(marcFile('rusmarc-nlr-TEST1-cp1251.iso')));
    expect(file.records).toHaveLength(81);
    expect(file.records.every((r) => r.format === 'unimarc' && r.encoding === 'cp1251' && r.work)).toBe(true);
    expect(file.records[0]!.work).toMatchObject({ title: 'Задачи и этюды. Вып. 13.', isbn: '9785744300432', publishYear: 1997, pages: 80, language: 'rus' });
    expect(file.records[1]!.work).toMatchObject({ title: 'Задачи и этюды', bbk: 'Ч515.815я43', authors: [{ name: 'Барсуков, В. Н.', role: 'editor' }] });
    const withUdc = file.records.filter((r) => r.work!.udc);
    expect(withUdc.length).toBeGreaterThan(30);
    // a Cyrillic «х» typed for the ISBN check digit X is read as X
    expect(file.records[15]!.work!.isbn).toMatch(/^978590077631\d$/);
    const text = JSON.stringify(file.records.map((r) => r.record));
    expect(text).not.toMatch(cyrillicWithQuestionMark);
  });

  it('reads namespaced MARCXML and keeps each record’s own XML', () => {
    const file = readMarcFile(fs.readFileSync(marcFile('pymarc-utf8-marcxml.xml')));
    expect(file.syntax).toBe('marcxml');
    expect(file.records).toHaveLength(1);
    expect(file.records[0]!.work).toMatchObject({ title: 'Zen Classics', publisher: 'Virgin Classics', publishYear: 2008, notes: ['Préludes'] });
    // its own text from the file, with the prefix its collection declared now declared on it
    const xml = file.records[0]!.xml!;
    expect(xml.startsWith('<marc:record xmlns:marc="http://www.loc.gov/MARC21/slim">')).toBe(true);
    expect(xml).toContain('<marc:subfield code="t">Préludes</marc:subfield>');
    expect(xml.endsWith('</marc:record>')).toBe(true);
    expect(readMarcXml(xml)[0]!.record).toEqual(file.records[0]!.record);
  });
});

describe('reading MARCXML as a stream', () => {
  const leader = '00000nam a2200000 i 4500';
  const record = (title: string, prefix = '') =>
    `<${prefix}record><${prefix}leader>${leader}</${prefix}leader><${prefix}controlfield tag="001">${title}</${prefix}controlfield>` +
    `<${prefix}datafield tag="245" ind1="1" ind2="0"><${prefix}subfield code="a">${title} &amp; <![CDATA[<бөлім>]]></${prefix}subfield></${prefix}datafield></${prefix}record>`;

  it('finds MARC records inside another document, such as an OAI-PMH answer, and not its own record elements', () => {
    const oai =
      `<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>` +
      `<record><header><identifier>oai:x:1</identifier></header><metadata><marc:collection xmlns:marc="${MARCXML_NS}">${record('Абай', 'marc:')}</marc:collection></metadata></record>` +
      `<record><header><identifier>oai:x:2</identifier></header><metadata>${record('Қозы Көрпеш').replace('<record>', `<record xmlns="${MARCXML_NS}">`)}</metadata></record>` +
      `</ListRecords></OAI-PMH>`;
    const read = readMarcXml(oai);
    expect(read.map((r) => r.record!.fields[1])).toEqual([
      { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Абай & <бөлім>' }] },
      { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Қозы Көрпеш & <бөлім>' }] },
    ]);
    expect(read[0]!.xml.startsWith(`<marc:record xmlns:marc="${MARCXML_NS}">`)).toBe(true);
    // it declares its namespace itself: nothing is added
    expect(read[1]!.xml.startsWith(`<record xmlns="${MARCXML_NS}"><leader>`)).toBe(true);
    // a record outside any namespace is declared MARCXML
    expect(readMarcXml(`<collection>${record('Ер Төстік')}</collection>`)[0]!.xml.startsWith(`<record xmlns="${MARCXML_NS}">`)).toBe(true);
  });

  it('keeps the records before the place where the XML breaks and names that place', () => {
    const broken = `<collection xmlns="${MARCXML_NS}">${record('Бірінші')}${record('Екінші')}<record><leader>${leader}</leader><datafield tag="245"></record></collection>`;
    const file = readMarcFile(Buffer.from(broken));
    expect(file.records.map((r) => r.work?.title)).toEqual(['Бірінші & <бөлім>', 'Екінші & <бөлім>']);
    expect(file.fileError).toMatchObject({ code: 'interop.bad_xml' });
    expect(file.fileError!.params!.reason).toMatch(/1:\d+/);
  });

  it('reads a large file in slices, the same records as in one piece, and lets timers run meanwhile', async () => {
    const text = `<?xml version="1.0" encoding="UTF-8"?><collection xmlns="${MARCXML_NS}">${Array.from({ length: 3000 }, (_, i) => record(`Кітап ${i + 1}`)).join('\n')}</collection>`;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const sliced = await readMarcFileInSlices(Buffer.from(text));
    clearInterval(timer);
    const whole = readMarcFile(Buffer.from(text));
    expect(sliced.records).toHaveLength(3000);
    expect(sliced.records.map((r) => [r.position, r.work?.title, r.xml])).toEqual(whole.records.map((r) => [r.position, r.work?.title, r.xml]));
    expect(sliced.records[2999]!.work!.title).toBe('Кітап 3000 & <бөлім>');
    expect(ticks).toBeGreaterThan(0);
  });
});

describe('character sets', () => {
  const russian = 'Война и мир. Толстой Лев Николаевич. Москва: Художественная литература';

  it('tells cp1251 from cp866 and from UTF-8', () => {
    expect(detectEncoding(iconv.encode(russian, 'win1251'))).toBe('cp1251');
    expect(detectEncoding(iconv.encode(russian, 'cp866'))).toBe('cp866');
    expect(detectEncoding(Buffer.from('Абай жолы — Әуезов', 'utf8'))).toBe('utf8');
    expect(decodeBytes(iconv.encode(russian, 'cp866'), 'cp866').text).toBe(russian);
  });

  it('decodes MARC-8: ANSEL diacritics before the letter, and the Cyrillic sets by escape sequences', () => {
    // «Pérez» with the acute (0xE2) written before the e
    expect(decodeMarc8(Buffer.from([0x50, 0xe2, 0x65, 0x72, 0x65, 0x7a])).text).toBe('Pérez');
    // ESC ( N switches G0 to Basic Cyrillic: 0x61 А, 0x42 б, 0x41 а, 0x4a й; ESC ( B back to ASCII
    const abai = Buffer.from([0x1b, 0x28, 0x4e, 0x61, 0x42, 0x41, 0x4a, 0x1b, 0x28, 0x42, 0x20, 0x31]);
    expect(decodeMarc8(abai)).toEqual({ text: 'Абай 1', unknown: 0 });
    // ESC ) Q: Extended Cyrillic as G1 (0xC6 і, 0xE4 Ё)
    expect(decodeMarc8(Buffer.from([0x1b, 0x29, 0x51, 0xc6, 0xe4])).text).toBe('іЁ');
    expect(detectEncoding(abai)).toBe('marc8');
    expect(detectEncoding(Buffer.from([0x50, 0xe2, 0x65, 0x72, 0x65, 0x7a, 0xe8, 0x61]))).toBe('marc8');
  });

  it('counts characters of sets it cannot decode instead of dropping them silently', () => {
    const hebrew = Buffer.from([0x1b, 0x28, 0x32, 0x60, 0x61]);
    expect(decodeMarc8(hebrew).unknown).toBe(2);
  });
});

function record(fields: MarcRecord['fields']): MarcRecord {
  return { leader: '00000nam a2200000 i 4500', fields };
}

describe('ISO 2709 structure', () => {
  const sample = record([
    { tag: '001', value: 'kz-1' },
    { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Көшпенділер /' }, { code: 'c', value: 'І. Есенберлин' }] },
  ]);

  it('writes lengths in bytes, so a reader that trusts the directory gets every Kazakh letter', () => {
    const bytes = writeIso2709(sample);
    expect(Number(bytes.subarray(0, 5).toString())).toBe(bytes.length);
    const [raw] = [...splitIso2709(bytes)];
    const read = readIso2709(raw!);
    expect(read.ok && read.record).toEqual({ ...sample, leader: read.ok ? read.record.leader : '' });
    expect(read.ok && read.warnings).toEqual([]);
  });

  it('repairs a directory whose lengths were counted in characters', () => {
    const bytes = writeIso2709(sample);
    const broken = Buffer.from(bytes);
    // the 245 entry claims 28 instead of the real byte count
    const directory = broken.subarray(24, 48).toString('latin1');
    broken.write(directory.slice(0, 12) + '245' + '0028' + directory.slice(19, 24), 24, 'latin1');
    const read = readIso2709([...splitIso2709(broken)][0]!);
    expect(read.ok).toBe(true);
    expect(read.ok && read.warnings.map((w) => w.code)).toContain('interop.directory_repaired');
    expect(read.ok && dataFields(read.record, '245')[0]!.subfields[0]!.value).toBe('Көшпенділер /');
  });

  it('is read back by marcjs, the other reader we know', async () => {
    const bytes = writeIso2709(sample);
    const parsed = marcjs.Marc.parse(bytes, 'iso2709') as { fields: string[][] };
    expect(parsed.fields).toEqual([
      ['001', 'kz-1'],
      ['245', '10', 'a', 'Көшпенділер /', 'c', 'І. Есенберлин'],
    ]);
  });
});

describe('mapping', () => {
  it('strips ISBD punctuation but keeps abbreviations', () => {
    expect(clean('Москва :.')).toBe('Москва');
    expect(clean('М.')).toBe('М.');
    expect(clean('Т. Н. Ильина.')).toBe('Т. Н. Ильина');
    expect(clean('Сб.', true)).toBe('Сб.');
  });

  it('keeps a record with an invalid ISBN, warns, and stores no ISBN', () => {
    const r = record([
      { tag: '020', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: '5-02-016536-2' }] },
      { tag: '245', ind1: '0', ind2: '0', subfields: [{ code: 'a', value: 'Ақ кеме' }] },
    ]);
    const mapped = mapRecord(r, detectFormat(r));
    expect(mapped.work).toMatchObject({ title: 'Ақ кеме', isbn: null });
    expect(mapped.warnings).toEqual([{ code: 'interop.invalid_isbn', params: { isbn: '5-02-016536-2' } }]);
  });

  it('refuses a record without a title', () => {
    const mapped = mapRecord(record([{ tag: '001', value: '1' }]), 'marc21');
    expect(mapped.error).toEqual({ code: 'interop.no_title' });
  });
});

describe('MARC 21 export', () => {
  const work: ExportWork = {
    id: 7,
    title: 'Қан мен тер',
    subtitle: 'трилогия',
    isbn: '9786010100015',
    publisher: 'Атамұра',
    publishPlace: 'Алматы',
    publishYear: 2019,
    language: 'kaz',
    pages: 640,
    udc: '821.512.122',
    bbk: '84(5Каз)',
    annotation: 'Қазақ ауылының ХХ ғасыр басындағы өмірі',
    createdAt: new Date('2024-09-01T10:00:00Z'),
    updatedAt: new Date('2024-09-02T10:00:00Z'),
    authors: [
      { name: 'Нұрпейісов, Әбдіжәміл', role: 'author' },
      { name: 'Сейітжанов, Ғ.', role: 'illustrator' },
    ],
    subjects: ['Қазақ әдебиеті -- Роман'],
    notes: ['Үш кітаптан тұрады'],
    holdings: { library: '№1 мектеп-гимназия', copies: [{ inventoryNumber: '5003', barcode: '1000005003', priceTiyn: 180000, location: 'Абонемент', acquiredOn: '2024-09-01', status: 'available' }] },
  };

  it('maps back to the same catalogue fields through ISO 2709 and MARCXML', () => {
    const marc = workToMarc21(work);
    const f008 = marc.fields.find((f) => f.tag === '008');
    expect(f008 && 'value' in f008 && f008.value.length).toBe(40);
    const viaIso = readMarcFile(writeIso2709(marc)).records[0]!;
    const viaXml = readMarcXml(writeMarcXmlCollection([marc]))[0]!;
    for (const read of [viaIso.record!, viaXml.record!]) {
      const mapped = mapRecord(read, detectFormat(read)).work!;
      expect(mapped).toMatchObject({
        title: work.title,
        subtitle: work.subtitle,
        isbn: work.isbn,
        publisher: work.publisher,
        publishPlace: work.publishPlace,
        publishYear: work.publishYear,
        language: work.language,
        pages: work.pages,
        udc: work.udc,
        bbk: work.bbk,
        annotation: work.annotation,
        authors: work.authors,
        subjects: work.subjects,
        notes: work.notes,
        holdings: [{ inventoryNumber: '5003', barcode: '1000005003', priceTiyn: 180000, location: 'Абонемент' }],
      });
    }
    expect(viaIso.record!.fields).toEqual(marc.fields);
  });
});

describe('reading a large file without holding up the server', () => {
  it('reads in slices the same records as in one go, and lets timers run meanwhile', async () => {
    const real = fs.readFileSync(marcFile('pymarc-1251-marc21-cp1251.mrc'));
    const file = Buffer.concat(Array.from({ length: 20 }, () => real));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const sliced = await readMarcFileInSlices(file, {}, 50);
    clearInterval(timer);
    const whole = readMarcFile(file);
    expect(sliced.records.length).toBe(whole.records.length);
    expect(sliced.records.map((r) => [r.position, r.offset, r.encoding, r.work?.title, r.problems.length])).toEqual(
      whole.records.map((r) => [r.position, r.offset, r.encoding, r.work?.title, r.problems.length]),
    );
    expect(ticks).toBeGreaterThan(0);
  });

  it('leaves values with nothing to strip as they are, and cleans the others as before', () => {
    const cases: [string, boolean, string | null][] = [
      ['Абай жолы', false, 'Абай жолы'], ['Абай жолы /', false, 'Абай жолы'], ['М.', false, 'М.'], ['Т. Н.', false, 'Т. Н.'],
      ['a  b', false, 'a b'], [' a', false, 'a'], ['a\u00a0b', false, 'a b'], ['Сб.', true, 'Сб.'], ['2019.', false, '2019'],
      ['\u0098Der \u009cTitel', false, 'Der Titel'], ['84(5Каз)', false, '84(5Каз)'], ['', false, null],
    ];
    for (const [value, keepPeriod, expected] of cases) expect(clean(value, keepPeriod)).toBe(expected);
  });
});

describe('UNIMARC names and ISBNs as exporters write them', () => {
  const unimarc = (fields: { tag: string; subfields: [string, string][] }[]): MarcRecord => ({
    leader: '00000nam0 2200000   450 ',
    fields: [
      { tag: '200', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: 'Foundation' }] },
      ...fields.map((f) => ({ tag: f.tag, ind1: ' ', ind2: '1', subfields: f.subfields.map(([code, value]) => ({ code, value })) })),
    ],
  });

  it('joins 700/701 $a, $b and $g into one name without empty parts', () => {
    const work = mapRecord(
      unimarc([
        { tag: '700', subfields: [['a', 'Asimov'], ['b', 'I.'], ['g', 'Isaac']] },
        { tag: '701', subfields: [['a', 'Иванов,'], ['b', ','], ['g', 'Иван Петрович']] },
        { tag: '701', subfields: [['a', 'Сейфуллин'], ['b', 'С.']] },
      ]),
      'unimarc',
    ).work!;
    expect(work.authors.map((a) => a.name)).toEqual(['Asimov, Isaac', 'Иванов, Иван Петрович', 'Сейфуллин, С.']);
  });

  it.each([
    ['978-5-699-12014-7 :', '9785699120147'],
    ['978-5-699-12014-7:', '9785699120147'],
    ['0-306-40615-2(pbk.)', '9780306406157'],
    ['ISBN 0-306-40615-2 (сб.)', '9780306406157'],
    ['978 0 306 40615 7', '9780306406157'],
  ])('reads the ISBN in «%s»', (value, isbn) => {
    const result = mapRecord(unimarc([{ tag: '010', subfields: [['a', value]] }]), 'unimarc');
    expect(result.work!.isbn).toBe(isbn);
    expect(result.warnings).toEqual([]);
  });
});

describe('ISO 2709 export of long fields and records', () => {
  const record = (subfields: Subfield[]): MarcRecord => ({
    leader: '00000nam a2200000 i 4500',
    fields: [{ tag: '001', value: 'kt1' }, { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Title' }] }, { tag: '520', ind1: ' ', ind2: ' ', subfields }],
  });

  it('splits a field over 9,999 bytes into repeated fields that read back to the same text', () => {
    const long = 'Қазақ әдебиеті '.repeat(1200); // about 33,000 bytes in UTF-8
    const bytes = writeIso2709(record([{ code: 'a', value: long }, { code: 'b', value: 'end' }]));
    const read = readIso2709([...splitIso2709(bytes)][0]!);
    if (!read.ok) throw new Error('not read back');
    const back = read.record;
    const notes = dataFields(back, '520');
    expect(notes.length).toBeGreaterThan(3);
    expect(notes.flatMap((f) => f.subfields.filter((s) => s.code === 'a').map((s) => s.value)).join('')).toBe(long);
    expect(notes.at(-1)!.subfields.at(-1)).toEqual({ code: 'b', value: 'end' });
    for (const f of notes) expect(splitLongField(f)).toHaveLength(1);
  });

  it('refuses a record over 99,999 bytes with an error the export reports, not a crash', () => {
    expect(() => writeIso2709(record([{ code: 'a', value: 'ж'.repeat(60_000) }]))).toThrow(RecordTooLongError);
  });
});

describe('telling the encodings apart over the whole record', () => {
  const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

  it.each([
    ['before a space', bytes('Le ', [0xe5], ' titre, ', [0xe2], 'ecole')],
    ['before punctuation', bytes('Vers ', [0xe3], '. Index ', [0xe8], 'u')],
    ['before an ANSEL letter', bytes('K', [0xe2, 0xb2], 'benhavn ', [0xe1], 'a la')],
    ['stacked', bytes('Vi', [0xe3, 0xe2], 'et Nam ', [0xe4], 'n')],
  ])('reads MARC-8 with a combining mark %s as MARC-8, not Windows-1251', (_where, record) => {
    const guess = guessEncoding(record);
    expect(guess.encoding).toBe('marc8');
    expect(decodeBytes(record, 'marc8').lost).toBe(0);
  });

  it('turns MARC-8 numeric character references into the letters they name', () => {
    const text = decodeBytes(bytes('&#x049A;&#x0430;z &#1186;', [0x20], 'ok'), 'marc8').text;
    expect(text).toBe('Қаz Ң ok');
    expect(resolveNcrs('&#xD800; &#x110000;')).toBe('&#xD800; &#x110000;');
  });

  it('reports a record flagged as Unicode whose bytes are MARC-8', () => {
    const record = writeIso2709({
      leader: '00000nam a2200000 a 4500',
      fields: [{ tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'x' }] }],
    });
    // put MARC-8 bytes where the title is: «Pérez» with the acute before the e
    const marc8 = Buffer.concat([record.subarray(0, record.length - 4), Buffer.from([0x50, 0xe2, 0x65, 0x1e, 0x1d])]);
    marc8.write(String(marc8.length).padStart(5, '0'), 0, 'latin1');
    // the directory's length of field 245 follows what was written
    const read = readIso2709([...splitIso2709(marc8)][0]!);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.encoding).toBe('marc8');
    expect(read.warnings.map((w) => w.code)).toContain('interop.flagged_unicode');
  });

  it('tells Windows-1251 from cp866 for the same Russian and Kazakh words, and reads KZ-1048', () => {
    const words = 'Абай Құнанбайұлы. Қара сөздер. Алматы: Атамұра, 2015';
    const russian = 'Пушкин А. С. Капитанская дочка: повесть. Москва: Просвещение';
    expect(guessEncoding(iconv.encode(russian, 'win1251')).encoding).toBe('cp1251');
    expect(guessEncoding(iconv.encode(russian, 'cp866')).encoding).toBe('cp866');
    // KZ-1048 has the Kazakh letters where Windows-1251 has Serbian and Macedonian ones
    const kz = Buffer.from([...words].map((ch) => KZ_BYTES[ch] ?? iconv.encode(ch, 'win1251')[0]!));
    const guess = guessEncoding(kz);
    expect(guess.encoding).toBe('kz1048');
    expect(decodeBytes(kz, 'kz1048').text).toBe(words);
  });
});

/** KZ-1048 bytes of the Kazakh letters (STRK 1048-2002). */
const KZ_BYTES: Record<string, number> = { Қ: 0x8d, қ: 0x9d, Ұ: 0xa1, ұ: 0xa2, Ә: 0xa3, ә: 0xbc, Ө: 0xa5, ө: 0xb4, Ғ: 0xaa, ғ: 0xba, Ү: 0xaf, ү: 0xbf, Ң: 0xbd, ң: 0xbe, Һ: 0x8e, һ: 0x9e };
