import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, localeModules, mergeLocales, type Texts } from './texts.js';

const here = path.dirname(fileURLToPath(import.meta.url));

// literal, as the build needs them; the same modules the browser loads (web/build/locale-split.ts)
const parts: Record<string, () => Promise<{ default: Texts }>> = {
  'kk-start': () => import('virtual:texts/kk-start'),
  'kk-rest': () => import('virtual:texts/kk-rest'),
  'ru-start': () => import('virtual:texts/ru-start'),
  'ru-rest': () => import('virtual:texts/ru-rest'),
  'en-start': () => import('virtual:texts/en-start'),
  'en-rest': () => import('virtual:texts/en-rest'),
};

/** The source files a module pulls in with static imports: what is on screen before any lazy page loads. */
function staticGraph(entries: string[]): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = fs.readFileSync(file, 'utf8');
    for (const m of code.matchAll(/^import\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/gm)) {
      const target = path.resolve(path.dirname(file), m[1]!).replace(/\.js$/, '');
      const found = ['.tsx', '.ts'].map((ext) => target + ext).find((f) => fs.existsSync(f));
      if (found) visit(found);
    }
  };
  for (const entry of entries) visit(entry);
  return [...seen];
}

/** Literal keys a source file asks for, and the prefixes of the keys it builds (`t(\`nav.section.${…}\`)`). */
function keysIn(file: string): { literal: string[]; prefixes: string[] } {
  const code = fs.readFileSync(file, 'utf8');
  const literal = [...code.matchAll(/\bt\(\s*'([a-zA-Z][\w.]*)'|labelKey: '([\w.]+)'/g)].map((m) => m[1] ?? m[2]!);
  const prefixes = [...code.matchAll(/\bt\(\s*`([a-zA-Z][\w.]*)\$\{/g)].map((m) => m[1]!);
  return { literal, prefixes };
}

describe('one language at a time, the first page first', () => {
  const all = mergeLocales(Object.values(localeModules));

  it.each(LANGUAGES)('%s: the start and the rest are that language’s texts, each key in one of them', async (language) => {
    const start = (await parts[`${language}-start`]!()).default;
    const rest = (await parts[`${language}-rest`]!()).default;
    expect(Object.keys(start).length).toBeGreaterThan(100);
    expect(Object.keys(start).filter((k) => k in rest)).toEqual([]);
    expect({ ...start, ...rest }).toEqual(all[language]);
  });

  it('puts in the start part every text the catalogue search, the login form and the shell show', async () => {
    const start = (await parts['kk-start']!()).default;
    const files = staticGraph(['main.tsx', 'pages/catalog/SearchPage.tsx', 'pages/auth/LoginPage.tsx'].map((f) => path.join(here, f)));
    expect(files.map((f) => path.relative(here, f))).toEqual(expect.arrayContaining(['App.tsx', 'Layout.tsx', 'nav.tsx', 'components/ErrorBanner.tsx']));
    const missing: string[] = [];
    for (const file of files) {
      const { literal, prefixes } = keysIn(file);
      for (const key of literal) if (!(key in start) && !(`${key}_other` in start)) missing.push(`${path.relative(here, file)}: ${key}`);
      for (const prefix of prefixes) {
        const rest = Object.keys(all.kk).filter((k) => k.startsWith(prefix) && !(k in start));
        if (rest.length) missing.push(`${path.relative(here, file)}: ${prefix}… (${rest.join(', ')})`);
      }
    }
    expect(missing).toEqual([]);
  });
});
