import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { getFixedT, loadLanguage } from '../../i18n.js';
import { LANGUAGES, localeModules, mergeLocales } from '../../texts.js';
import { formatMoney } from '../../format.js';
import { actionLabel, detailParts, entityLabel, eventText } from './auditText.js';

const serverSource = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/**
 * Every (action, entity) the server writes to the audit log, read from its source: calls of
 * `audit(db, actor, action, entity, …)` (an action may be a conditional between literals), SQL that
 * inserts into org.audit_log, and rows built as `{ action: '…', entity: '…' }`.
 */
function auditCodesInSource(): { action: string; entity: string; file: string }[] {
  const found: { action: string; entity: string; file: string }[] = [];
  for (const file of sourceFiles(serverSource)) {
    const code = fs.readFileSync(file, 'utf8');
    const where = path.relative(serverSource, file);
    for (const m of code.matchAll(/\baudit\(\s*[^,()]+,\s*[^,()]+,\s*([^,]+?),\s*'([a-z_]+)'/g)) {
      // of `cond ? 'a' : 'b'` only the branches are actions
      const choices = m[1]!.includes('?') ? m[1]!.slice(m[1]!.indexOf('?')) : m[1]!;
      for (const action of choices.matchAll(/'([a-z_]+)'/g)) found.push({ action: action[1]!, entity: m[2]!, file: where });
    }
    for (const m of code.matchAll(/insert into org\.audit_log\b[\s\S]{0,400}?'([a-z_]+)',\s*'([a-z_]+)'/gi)) {
      found.push({ action: m[1]!, entity: m[2]!, file: where });
    }
    for (const m of code.matchAll(/\baction:\s*'([a-z_]+)',\s*entity:\s*'([a-z_]+)'/g)) found.push({ action: m[1]!, entity: m[2]!, file: where });
  }
  return found;
}

/** The index just past the string, template literal or comment starting at `i`; `i` when none starts there. */
function skipLiteral(code: string, i: number): number {
  const c = code[i];
  if (code.startsWith('//', i)) return code.indexOf('\n', i) < 0 ? code.length : code.indexOf('\n', i);
  if (code.startsWith('/*', i)) return code.indexOf('*/', i + 2) + 2;
  if (c !== "'" && c !== '"' && c !== '`') return i;
  for (let j = i + 1; j < code.length; j++) {
    if (code[j] === '\\') j++;
    else if (code[j] === c) return j + 1;
    // a template's `${…}` may hold strings and braces of its own
    else if (c === '`' && code.startsWith('${', j)) j = closing(code, j + 1);
  }
  return code.length;
}

/** The index of the bracket that closes the one at `open`. */
function closing(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const past = skipLiteral(code, i);
    if (past !== i) {
      i = past - 1;
      continue;
    }
    if ('([{'.includes(code[i]!)) depth++;
    else if (')]}'.includes(code[i]!) && --depth === 0) return i;
  }
  throw new Error(`unbalanced bracket at ${open}`);
}

/** The parts of code[from, to) split at the separators that no bracket or string encloses. */
function topLevelParts(code: string, from: number, to: number, separators = ','): string[] {
  const parts: string[] = [];
  let start = from;
  for (let i = from; i < to; i++) {
    const past = skipLiteral(code, i);
    if (past !== i) i = past - 1;
    else if ('([{'.includes(code[i]!)) i = closing(code, i);
    else if (separators.includes(code[i]!)) {
      parts.push(code.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(code.slice(start, to));
  return parts.map((p) => p.replace(/\/\*[\s\S]*?\*\/|\/\/.*/g, '').trim()).filter(Boolean);
}

/** The arguments of the call whose `(` is at `open`. */
function callArguments(code: string, open: number): string[] {
  return topLevelParts(code, open + 1, closing(code, open));
}

/**
 * The keys of an object literal such as `{ name }`, `{ fileName: options.fileName, 'x': 1 }`; a spread
 * `...scope` is read from the interface of the parameter or variable it spreads, declared in the same file.
 */
function literalKeys(code: string, literal: string): string[] | null {
  if (!literal.startsWith('{')) return null;
  const keys: string[] = [];
  for (const part of topLevelParts(literal, 1, closing(literal, 0))) {
    const spread = /^\.\.\.(\w+)$/.exec(part);
    const key = /^(?:'([^']+)'|"([^"]+)"|(\w+))\s*(?::|$)/.exec(part);
    if (spread) {
      const fields = interfaceFields(code, spread[1]!);
      if (!fields) return null;
      keys.push(...fields);
    } else if (key) keys.push(key[1] ?? key[2] ?? key[3]!);
    else return null;
  }
  return keys;
}

function interfaceFields(code: string, name: string): string[] | null {
  const type = new RegExp(`\\b${name}\\??:\\s*(\\w+)\\b`).exec(code)?.[1];
  const declared = type && new RegExp(`\\binterface ${type}\\s*\\{`).exec(code);
  if (!declared) return null;
  const open = declared.index + declared[0].length - 1;
  const fields = topLevelParts(code, open + 1, closing(code, open), ';\n').map((field) => /^(?:readonly\s+)?(\w+)\??:/.exec(field)?.[1]);
  return fields.every((f) => f !== undefined) ? (fields as string[]) : null;
}

/**
 * Every key of the details the server writes to the audit log, read from its source: the details
 * argument of `audit(…)` calls, `details` of rows inserted into org.audit_log by query builder or
 * `insertRows`, and the JSON of SQL inserts (`jsonb_build_object('key', …)` or a `${details}`
 * made by `JSON.stringify({ … })`). Details it cannot read come back in `unreadable`, so that a new
 * way of writing them is noticed rather than skipped.
 */
function detailKeysInSource(): { keys: { key: string; file: string }[]; unreadable: string[] } {
  const keys: { key: string; file: string }[] = [];
  const unreadable: string[] = [];
  const take = (code: string, literal: string | undefined, where: string) => {
    const found = literal === undefined ? [] : literalKeys(code, literal);
    if (found) keys.push(...found.map((key) => ({ key, file: where })));
    else unreadable.push(`${where}: ${literal}`);
  };
  for (const file of sourceFiles(serverSource)) {
    const code = fs.readFileSync(file, 'utf8');
    const where = path.relative(serverSource, file);
    // db/transaction.ts's auditedChange passes on what its callers give, read below at their calls
    if (where !== path.join('db', 'transaction.ts')) {
      for (const m of code.matchAll(/(?<!function\s+)\baudit\(/g)) {
        take(code, callArguments(code, m.index + m[0].length - 1)[5], where);
      }
    }
    for (const m of code.matchAll(/(?<!function\s+)\bauditedChange\(/g)) {
      const entry = callArguments(code, m.index + m[0].length - 1)[2] ?? '';
      const row = /\bdetails:\s*/.exec(entry);
      if (!row) continue; // an entry without details writes {}
      const at = row.index + row[0].length;
      take(code, entry[at] === '{' ? entry.slice(at, closing(entry, at) + 1) : entry.slice(at), where);
    }
    for (const m of code.matchAll(/(?:\binsertInto\(\s*|\binsertRows\([^,()]+,\s*)'org\.audit_log'/g)) {
      // the one generic insert, in audit() itself, writes what its callers pass
      if (where === path.join('org', 'audit.ts')) continue;
      const row = /\bdetails:\s*/.exec(code.slice(m.index));
      const at = row ? m.index + row.index + row[0].length : -1;
      take(code, row ? code.slice(at, code[at] === '{' ? closing(code, at) + 1 : code.indexOf('\n', at)) : '(no details)', where);
    }
    for (const m of code.matchAll(/insert into org\.audit_log\b/gi)) {
      const statement = code.slice(m.index, m.index + 600);
      const built = /jsonb_build_object\(/.exec(statement);
      const stringified = /\$\{(\w+)\}::jsonb/.exec(statement);
      if (built) {
        const args = callArguments(code, m.index + built.index + built[0].length - 1);
        take(code, `{ ${args.filter((_, i) => i % 2 === 0).join(', ')} }`, where);
      } else if (stringified) {
        const made = new RegExp(`\\b${stringified[1]} = JSON\\.stringify\\(`).exec(code);
        take(code, made ? callArguments(code, made.index + made[0].length - 1)[0] : stringified[0], where);
      } else take(code, statement.slice(0, 200), where);
    }
  }
  return { keys, unreadable };
}

describe('texts of the audit log', () => {
  beforeAll(() => Promise.all(LANGUAGES.map(loadLanguage)));

  const codes = auditCodesInSource();
  const details = detailKeysInSource();
  const texts = mergeLocales(Object.values(localeModules));

  it('finds the audit writes of every kind in the server’s source', () => {
    const pairs = codes.map((c) => `${c.action} ${c.entity}`);
    expect(pairs).toEqual(
      expect.arrayContaining([
        'create reader', // audit(trx, actor, 'create', 'reader', …)
        'login user', // audit(app.db, …) in the sign-in route
        'confirm reclist_match', // a conditional action
        'reject reclist_match',
        'issue loan', // SQL insert at the desk
        'return loan',
        'create author', // rows of the bulk author resolver
      ]),
    );
    expect(new Set(pairs).size).toBeGreaterThan(50);
  });

  it('has a sentence, an entity name and an action name for every code in Kazakh, Russian and English', () => {
    const missing: string[] = [];
    for (const { action, entity, file } of codes) {
      for (const key of [`audit.event.${entity}.${action}`, `audit.entity.${entity}`, `audit.action.${action}`]) {
        for (const language of LANGUAGES) if (!texts[language][key]?.trim()) missing.push(`${language} ${key} (${file})`);
      }
    }
    expect([...new Set(missing)]).toEqual([]);
  });

  it('writes the sentence in the reader’s language, and shows an unknown code as it is', () => {
    expect(eventText(getFixedT('kk'), 'create', 'reader')).toBe('Оқырман жасалды');
    expect(eventText(getFixedT('ru'), 'create', 'reader')).toBe('Создан читатель');
    expect(eventText(getFixedT('en'), 'create', 'reader')).toBe('Reader created');
    const en = getFixedT('en');
    expect(eventText(en, 'teleport', 'dragon')).toBe('dragon: teleport');
    expect(entityLabel(en, 'dragon')).toBe('dragon');
    expect(actionLabel(en, 'teleport')).toBe('teleport');
    expect(entityLabel(getFixedT('ru'), 'write_off_act')).toBe('Акт списания');
  });

  it('reads the details keys of every kind of audit write in the server’s source', () => {
    expect(details.unreadable).toEqual([]);
    const where = (key: string, file: string) => ({ key, file: path.join(...file.split('/')) });
    expect(details.keys).toEqual(
      expect.arrayContaining([
        where('name', 'catalog/authors.ts'), // { name }
        where('fileName', 'interop/imports.ts'), // { fileName: options.fileName, … }
        where('schoolYear', 'textbooks/issues.ts'), // an object over several lines
        where('knowledgeGroup', 'fund/accounting/checks.ts'), // { number, ...scope }
        where('priceTiyn', 'reclist/coverage.ts'), // { ...rule }
        where('name', 'interop/authority.ts'), // rows for insertRows
        where('barcode', 'circulation/loans.ts'), // ${details} made by JSON.stringify
        where('overdueDays', 'circulation/loans.ts'), // jsonb_build_object
      ]),
    );
    expect(new Set(details.keys.map((k) => k.key)).size).toBeGreaterThan(60);
  });

  it('has a label for every details key in Kazakh, Russian and English', () => {
    const missing: string[] = [];
    for (const { key, file } of details.keys) {
      for (const language of LANGUAGES) if (!texts[language][`audit.detail.${key}`]?.trim()) missing.push(`${language} audit.detail.${key} (${file})`);
    }
    expect([...new Set(missing)]).toEqual([]);
  });

  it('shows the details as short parts named in the reader’s language', () => {
    const long = 'x'.repeat(200);
    const record = { copyIds: [4, 5, 6], fields: ['grade'], settlement: 'payment', note: null, changes: [{ copyId: 1 }], schoolYear: '2026-2027', long };
    const shown = detailParts(getFixedT('kk'), record);
    expect(shown.parts).toEqual([
      'Даналар: 4, 5, 6',
      'Өзгертілген өрістер: grade',
      'Өтелуі: payment',
      'note: —', // a key without a text shows as it is
      'Өзгерістер: [{"copyId":1}]',
      'Оқу жылы: 2026-2027',
      `long: ${'x'.repeat(79)}…`,
    ]);
    expect(JSON.parse(shown.full)).toEqual(record); // the exact record, keys and all
    expect(detailParts(getFixedT('ru'), { notIssued: 0, issuedCopies: 253 }).parts).toEqual(['Не выдано: 0', 'Выдано экземпляров: 253']);
    expect(detailParts(getFixedT('en'), {})).toEqual({ parts: [], full: '' });
  });

  it('shows money in tenge and yes or no in words', () => {
    const ru = getFixedT('ru');
    expect(detailParts(ru, { priceTiyn: 250_050, holdings: true }).parts).toEqual([`Цена: ${formatMoney(250_050)}`, 'С данными об экземплярах: Да']);
    expect(formatMoney(250_050)).toMatch(/^2\s500,50 ₸$/);
    expect(detailParts(getFixedT('kk'), { holdings: false, priceTiyn: null }).parts).toEqual(['Даналар туралы деректермен: Жоқ', 'Бағасы: —']);
    expect(detailParts(getFixedT('en'), { holdings: true }).full).toBe('{"holdings":true}');
  });
});
