import fs from 'node:fs';
import path from 'node:path';
import { parseAst, type Plugin } from 'vite';

/**
 * The browser downloads the texts of the chosen language only, and of those first only what the
 * catalogue search and the login form show. Each locale module keeps the three languages side by side
 * (a key is added in all of them at once, and the locales test compares them); at build,
 * `locales/<area>.ts?lang=kk&part=start` is that module cut down to one language and one part, and the
 * virtual module `virtual:texts/kk-start` gathers that part of every area.
 */
export const LANGUAGES = ['kk', 'ru', 'en'] as const;
export type TextPart = 'start' | 'rest';

/** Areas whose texts the first page needs whole: the shell, the login form, the catalogue search. */
export const START_AREAS = ['common', 'auth', 'catalog'];

/** Whether a key of an area belongs to the texts loaded before the first page: the menu of every area is. */
export function isStartKey(area: string, key: string): boolean {
  return START_AREAS.includes(area) || key.startsWith('nav.');
}

const PART_QUERY = /\/locales\/([^/?]+)\.ts\?(?:[^#]*&)?lang=([a-z]{2})&part=(start|rest)$/;
const VIRTUAL = /^virtual:texts\/([a-z]{2})-(start|rest)$/;

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

function propertyName(property: Node): string | undefined {
  const key = property.key as Node | undefined;
  if (!key || property.computed) return undefined;
  if (key.type === 'Identifier') return key.name as string;
  if (key.type === 'Literal' && typeof key.value === 'string') return key.value;
  return undefined;
}

function objectLiteral(node: Node | undefined, file: string, what: string): Node {
  let object = node;
  while (object && ['TSSatisfiesExpression', 'TSAsExpression', 'ParenthesizedExpression'].includes(object.type)) object = object.expression as Node;
  if (!object || object.type !== 'ObjectExpression') throw new Error(`${file}: ${what} is not an object literal`);
  return object;
}

/**
 * The source of a locale module (`export default { kk: {…}, ru: {…}, en: {…} }`) cut down to
 * `export default {…}` of one language's keys that `keep` accepts. Any other shape is an error, never a
 * silently missing text.
 */
export function languageTexts(code: string, language: string, keep: (key: string) => boolean = () => true, file = 'locale module'): string {
  const program = parseAst(code, { lang: 'ts' }) as unknown as { body: Node[] };
  const exported = program.body.find((n) => n.type === 'ExportDefaultDeclaration');
  const all = objectLiteral(exported?.declaration as Node | undefined, file, 'the default export');
  const property = (all.properties as Node[]).find((p) => p.type === 'Property' && propertyName(p) === language);
  if (!property) throw new Error(`${file}: no texts for the language '${language}'`);
  const texts = objectLiteral(property.value as Node, file, `the texts of '${language}'`);
  const kept = (texts.properties as Node[]).filter((p) => {
    const key = p.type === 'Property' ? propertyName(p) : undefined;
    if (key === undefined) throw new Error(`${file}: every text of '${language}' must be a plain 'key': 'text' pair`);
    return keep(key);
  });
  return `export default {\n${kept.map((p) => code.slice(p.start, p.end)).join(',\n')}\n};\n`;
}

/** The virtual module of one language's part: every area's share of it, merged. */
function partModule(localesDir: string, language: string, part: TextPart): string {
  const areas = fs
    .readdirSync(localesDir)
    .filter((f) => f.endsWith('.ts'))
    .sort();
  const imports = areas.map((f, i) => `import t${i} from ${JSON.stringify(`${path.join(localesDir, f)}?lang=${language}&part=${part}`)};`);
  return `${imports.join('\n')}\nexport default Object.assign({}, ${areas.map((_, i) => `t${i}`).join(', ')});\n`;
}

/** The language a visitor gets before choosing one: its start part is fetched beside the entry script. */
export const DEFAULT_LANGUAGE = 'kk';

export function localesByLanguage(localesDir: string): Plugin {
  return {
    name: 'kitaphana:locales-by-language',
    enforce: 'pre',
    // Without this the texts are asked for only once the entry script has arrived and run: one round trip
    // and its parsing later. A visitor in another language downloads these 4 kB for nothing.
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunk = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.facadeModuleId === `\0virtual:texts/${DEFAULT_LANGUAGE}-start`);
        if (!chunk) return [];
        return [{ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${chunk.fileName}` }, injectTo: 'head' }];
      },
    },
    resolveId(id) {
      return VIRTUAL.test(id) ? `\0${id}` : null;
    },
    load(id) {
      const match = id.startsWith('\0') ? VIRTUAL.exec(id.slice(1)) : null;
      if (!match) return null;
      if (!(LANGUAGES as readonly string[]).includes(match[1]!)) throw new Error(`no such interface language: ${match[1]}`);
      return partModule(localesDir, match[1]!, match[2] as TextPart);
    },
    transform(code, id) {
      const match = PART_QUERY.exec(id);
      if (!match) return null;
      const [, area, language, part] = match;
      const keep = (key: string) => isStartKey(area!, key) === (part === 'start');
      return { code: languageTexts(code, language!, keep, id.split('?')[0]), map: null };
    },
  };
}
