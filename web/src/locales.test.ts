import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, localeModules, mergeLocales, type Language, type LocaleModule } from './texts.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'locales' ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const PLURAL = /_(zero|one|two|few|many|other)$/;

function baseKey(key: string): string {
  return key.replace(PLURAL, '');
}

/**
 * A plain key, or, for a counted text ('x_one', 'x_other' in any language), every plural form
 * the language's own rules ask for: Kazakh and English one/other, Russian one/few/many/other.
 */
function requiredKeys(texts: LocaleModule, language: Language, base: string): string[] {
  const plural = LANGUAGES.some((l) => Object.keys(texts[l] ?? {}).some((k) => k !== base && baseKey(k) === base));
  if (!plural) return [base];
  return new Intl.PluralRules(language).resolvedOptions().pluralCategories.map((c) => `${base}_${c}`);
}

describe('interface texts', () => {
  const modules = Object.entries(localeModules);

  it('finds the locale modules of the shell and the pages', () => {
    const names = modules.map(([file]) => path.basename(file));
    expect(names).toEqual(expect.arrayContaining(['common.ts', 'auth.ts', 'catalog.ts']));
  });

  it.each(modules)('%s has every key in Kazakh, Russian and English, none empty', (_file, texts) => {
    const bases = new Set(LANGUAGES.flatMap((l) => Object.keys(texts[l] ?? {}).map(baseKey)));
    expect(bases.size).toBeGreaterThan(0);
    for (const language of LANGUAGES) {
      for (const base of bases) {
        for (const key of requiredKeys(texts, language, base)) {
          const value = texts[language]?.[key];
          expect(value, `${language} ${key}`).toBeTypeOf('string');
          expect(value!.trim(), `${language} ${key}`).not.toBe('');
        }
      }
    }
  });

  it('defines each key in one module only, so one area cannot overwrite another', () => {
    const owner = new Map<string, string>();
    for (const [file, texts] of modules) {
      for (const key of Object.keys(texts.en)) {
        expect(owner.get(key), `${key} in ${file}`).toBeUndefined();
        owner.set(key, file);
      }
    }
  });

  it('has a text for every literal key the pages ask for', () => {
    const known = mergeLocales(modules.map(([, texts]) => texts)).kk;
    const missing: string[] = [];
    for (const file of sourceFiles(here)) {
      const code = fs.readFileSync(file, 'utf8');
      for (const match of code.matchAll(/\bt\(\s*'([a-zA-Z][\w.]*)'|labelKey: '([\w.]+)'/g)) {
        const key = match[1] ?? match[2]!;
        if (!(key in known) && !(`${key}_other` in known)) missing.push(`${path.relative(here, file)}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
