import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import i18n from '../../i18n.js';
import { LANGUAGES, localeModules, mergeLocales } from '../../texts.js';
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

describe('texts of the audit log', () => {
  const codes = auditCodesInSource();
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
    expect(eventText(i18n.getFixedT('kk'), 'create', 'reader')).toBe('Оқырман жасалды');
    expect(eventText(i18n.getFixedT('ru'), 'create', 'reader')).toBe('Создан читатель');
    expect(eventText(i18n.getFixedT('en'), 'create', 'reader')).toBe('Reader created');
    const en = i18n.getFixedT('en');
    expect(eventText(en, 'teleport', 'dragon')).toBe('dragon: teleport');
    expect(entityLabel(en, 'dragon')).toBe('dragon');
    expect(actionLabel(en, 'teleport')).toBe('teleport');
    expect(entityLabel(i18n.getFixedT('ru'), 'write_off_act')).toBe('Акт списания');
  });

  it('shows the details as short key: value parts', () => {
    const long = 'x'.repeat(200);
    const shown = detailParts({ copyIds: [4, 5, 6], fields: ['grade'], settlement: 'payment', note: null, changes: [{ copyId: 1 }], long });
    expect(shown.parts).toEqual([
      'copyIds: 4, 5, 6',
      'fields: grade',
      'settlement: payment',
      'note: —',
      'changes: [{"copyId":1}]',
      `long: ${'x'.repeat(79)}…`,
    ]);
    expect(JSON.parse(shown.full).long).toBe(long);
    expect(detailParts({})).toEqual({ parts: [], full: '' });
  });
});
