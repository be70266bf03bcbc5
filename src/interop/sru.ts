import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import { foldQuery } from '../catalog/folding.js';
import { parseIsbn } from '../catalog/isbn.js';
import type { Database } from '../db/schema.js';
import type { Executor } from '../db/executor.js';
import { loadExportWorks, workToMarc21 } from './export.js';
import { escapeXml, writeMarcXmlRecord } from './marc/marcxml.js';

/**
 * SRU searchRetrieve (versions 1.2 and 2.0) with basic CQL: terms and `index relation term`
 * clauses joined by and / or / not, with parentheses. Indexes: title (dc.title), author
 * (dc.creator), isbn (bath.isbn), any (cql.anywhere, cql.serverChoice). Records are MARCXML.
 */

type Index = 'title' | 'author' | 'isbn' | 'any';
type Relation = 'all' | 'any' | 'adj';
type Node = { kind: 'term'; index: Index; relation: Relation; term: string } | { kind: 'bool'; op: 'and' | 'or' | 'not'; left: Node; right: Node };

const INDEXES: Record<string, Index> = {
  title: 'title', 'dc.title': 'title',
  author: 'author', creator: 'author', 'dc.creator': 'author', 'dc.author': 'author',
  isbn: 'isbn', 'bath.isbn': 'isbn', 'dc.identifier': 'isbn',
  any: 'any', anywhere: 'any', 'cql.anywhere': 'any', 'cql.serverchoice': 'any', serverchoice: 'any', 'cql.keywords': 'any',
};

class SruDiagnostic extends Error {
  constructor(
    readonly number: number,
    readonly details: string,
  ) {
    super(details);
  }
}

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  const re = /\s*("(?:[^"\\]|\\.)*"|[()]|<>|==|>=|<=|[=<>]|[^\s()=<>"]+)/gy;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(query))) {
    tokens.push(m[1]!);
    last = re.lastIndex;
  }
  if (query.slice(last).trim()) throw new SruDiagnostic(10, 'Query syntax error');
  return tokens;
}

const RELATIONS = new Set(['=', '==', 'all', 'any', 'adj', 'exact']);

export function parseCql(query: string): Node {
  const tokens = tokenize(query);
  let pos = 0;
  const peek = () => tokens[pos];
  const unquote = (t: string) => (t.startsWith('"') ? t.slice(1, -1).replace(/\\(.)/g, '$1') : t);

  function clause(): Node {
    const t = peek();
    if (t === undefined) throw new SruDiagnostic(10, 'Query syntax error');
    if (t === '(') {
      pos++;
      const inner = expression();
      if (peek() !== ')') throw new SruDiagnostic(13, 'Unbalanced parentheses');
      pos++;
      return inner;
    }
    pos++;
    const next = peek()?.toLowerCase();
    if (next !== undefined && (RELATIONS.has(next) || ['<', '>', '<=', '>=', '<>'].includes(next))) {
      if (!RELATIONS.has(next)) throw new SruDiagnostic(19, `Unsupported relation ${next}`);
      pos++;
      const term = peek();
      if (term === undefined || term === '(' || term === ')') throw new SruDiagnostic(10, 'Query syntax error');
      pos++;
      const index = INDEXES[t.toLowerCase()];
      if (!index) throw new SruDiagnostic(16, `Unsupported index ${t}`);
      // CQL: `any` is any of the words, `all` and `=` every word, `adj`, `==` and `exact` the words in order
      const relation: Relation = next === 'any' ? 'any' : next === 'adj' || next === '==' || next === 'exact' ? 'adj' : 'all';
      return { kind: 'term', index, relation, term: unquote(term) };
    }
    return { kind: 'term', index: 'any', relation: 'all', term: unquote(t) };
  }

  function expression(): Node {
    let left = clause();
    for (;;) {
      const op = peek()?.toLowerCase();
      if (op !== 'and' && op !== 'or' && op !== 'not' && op !== 'prox') return left;
      if (op === 'prox') throw new SruDiagnostic(37, 'Unsupported boolean operator prox');
      pos++;
      left = { kind: 'bool', op, left, right: clause() };
    }
  }

  const tree = expression();
  if (pos !== tokens.length) throw new SruDiagnostic(10, 'Query syntax error');
  return tree;
}

type Eb = ExpressionBuilder<Database, 'catalog.works'>;

function condition(eb: Eb, node: Node): Expression<SqlBool> {
  if (node.kind === 'bool') {
    const left = condition(eb, node.left);
    const right = condition(eb, node.right);
    if (node.op === 'and') return eb.and([left, right]);
    if (node.op === 'or') return eb.or([left, right]);
    return eb.and([left, eb.not(right)]);
  }
  const words = foldQuery(node.term);
  if (node.index === 'isbn') {
    const isbn = parseIsbn(node.term)?.isbn13 ?? node.term.replace(/[^0-9X]/gi, '');
    return eb('catalog.works.isbn', '=', isbn);
  }
  if (!words.length) return sql<SqlBool>`true`;
  const combine = (parts: Expression<SqlBool>[]) => (node.relation === 'any' ? eb.or(parts) : eb.and(parts));
  // words in order are one pattern over the folded key; otherwise one pattern per word
  const patterns = node.relation === 'adj' ? [words.join(' ')] : words;
  if (node.index === 'title') return combine(patterns.map((w) => sql<SqlBool>`catalog.works.title_key like ${'%' + w + '%'}`));
  if (node.index === 'author') {
    return combine(
      patterns.map((w) =>
        eb.exists(
          eb
            .selectFrom('catalog.work_authors as wa')
            .innerJoin('catalog.authors as a', 'a.id', 'wa.author_id')
            .select('wa.work_id')
            .whereRef('wa.work_id', '=', 'catalog.works.id')
            .where(sql<SqlBool>`a.search_key like ${'%' + w + '%'}`),
        ),
      ),
    );
  }
  return combine(patterns.map((w) => sql<SqlBool>`catalog.works.search_key like ${'%' + w + '%'}`));
}

export interface SruArgs {
  operation?: string;
  version?: string;
  query?: string;
  startRecord?: string;
  maximumRecords?: string;
  recordSchema?: string;
  recordPacking?: string;
}

/** SRU 1.2 answers in the Library of Congress namespace; SRU 2.0 in OASIS's, without a version element. */
const SRU_NS: Record<string, string> = {
  '1.2': 'http://www.loc.gov/zing/srw/',
  '2.0': 'http://docs.oasis-open.org/ns/search-ws/sruResponse',
};
const DIAGNOSTIC_NS: Record<string, string> = {
  '1.2': 'http://www.loc.gov/zing/srw/diagnostic/',
  '2.0': 'http://docs.oasis-open.org/ns/search-ws/diagnostic',
};

function diagnostic(version: string, n: number, details: string): string {
  return `<diagnostics><diagnostic xmlns="${DIAGNOSTIC_NS[version]}"><uri>info:srw/diagnostic/1/${n}</uri><details>${escapeXml(details)}</details></diagnostic></diagnostics>`;
}

function envelope(element: string, version: string, body: string): string {
  const versionElement = version === '2.0' ? '' : `<version>${version}</version>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${element} xmlns="${SRU_NS[version]}">${versionElement}${body}</${element}>\n`;
}

/** How a record is packed: SRU 1.2's recordPacking, SRU 2.0's recordXMLEscaping. */
const packing = (version: string) => (version === '2.0' ? '<recordXMLEscaping>xml</recordXMLEscaping>' : '<recordPacking>xml</recordPacking>');

export async function handleSru(db: Executor, args: SruArgs, baseUrl: string): Promise<string> {
  const version = args.version === '2.0' ? '2.0' : '1.2';
  if (!args.operation || args.operation === 'explain') return explain(version, baseUrl);
  // SRU 1.2 requires numberOfRecords in every searchRetrieve answer, a diagnostic one included
  if (args.operation !== 'searchRetrieve') {
    return envelope('searchRetrieveResponse', version, `<numberOfRecords>0</numberOfRecords>${diagnostic(version, 4, `Unsupported operation ${args.operation}`)}`);
  }
  try {
    if (!args.query) throw new SruDiagnostic(7, 'query');
    const schema = (args.recordSchema ?? 'marcxml').toLowerCase();
    if (!['marcxml', 'marc21', 'info:srw/schema/1/marcxml-v1.1'].includes(schema)) throw new SruDiagnostic(66, `Unknown schema ${args.recordSchema}`);
    const start = args.startRecord ? Number(args.startRecord) : 1;
    const maximum = args.maximumRecords ? Number(args.maximumRecords) : 10;
    if (!Number.isInteger(start) || start < 1) throw new SruDiagnostic(6, 'startRecord');
    if (!Number.isInteger(maximum) || maximum < 0) throw new SruDiagnostic(6, 'maximumRecords');
    const tree = parseCql(args.query);
    const where = (eb: Eb) => condition(eb, tree);
    const total = await db.selectFrom('catalog.works').select((eb) => eb.fn.countAll<number>().as('n')).where(where).executeTakeFirstOrThrow();
    const ids = (
      await db.selectFrom('catalog.works').select('id').where(where).orderBy('sort_key').orderBy('id').limit(Math.min(maximum, 100)).offset(start - 1).execute()
    ).map((r) => r.id);
    const works = await loadExportWorks(db, ids);
    const byId = new Map(works.map((w) => [w.id, w]));
    const records = ids
      .map((id, i) => {
        const record = writeMarcXmlRecord(workToMarc21(byId.get(id)!));
        return `<record><recordSchema>info:srw/schema/1/marcxml-v1.1</recordSchema>${packing(version)}<recordData>${record}</recordData><recordPosition>${start + i}</recordPosition></record>`;
      })
      .join('\n');
    const n = Number(total.n);
    const next = start - 1 + ids.length < n && ids.length ? `<nextRecordPosition>${start + ids.length}</nextRecordPosition>` : '';
    // records holds one record or more: an answer without any leaves it out
    return envelope('searchRetrieveResponse', version, `<numberOfRecords>${n}</numberOfRecords>${ids.length ? `<records>${records}</records>` : ''}${next}`);
  } catch (err) {
    if (err instanceof SruDiagnostic) return envelope('searchRetrieveResponse', version, `<numberOfRecords>0</numberOfRecords>${diagnostic(version, err.number, err.details)}`);
    throw err;
  }
}

function explain(version: string, baseUrl: string): string {
  const url = new URL(baseUrl);
  // the indexes a query may use, each under the context set that defines it
  const indexes = (
    [
      ['title', 'dc', 'title'],
      ['author', 'dc', 'creator'],
      ['ISBN', 'bath', 'isbn'],
      ['any field', 'cql', 'anywhere'],
    ] as const
  )
    .map(([title, set, name]) => `<index><title>${title}</title><map><name set="${set}">${name}</name></map></index>`)
    .join('');
  const sets =
    '<set identifier="info:srw/cql-context-set/1/cql-v1.2" name="cql"/><set identifier="info:srw/cql-context-set/1/dc-v1.1" name="dc"/><set identifier="http://zing.z3950.org/cql/bath/2.0/" name="bath"/>';
  return envelope(
    'explainResponse',
    version,
    `<record><recordSchema>http://explain.z3950.org/dtd/2.0/</recordSchema>${packing(version)}<recordData><explain xmlns="http://explain.z3950.org/dtd/2.0/"><serverInfo protocol="SRU" version="${version}"><host>${escapeXml(url.hostname)}</host><port>${url.port || (url.protocol === 'https:' ? 443 : 80)}</port><database>${escapeXml(url.pathname.replace(/^\//, ''))}</database></serverInfo><databaseInfo><title>Kitaphana</title></databaseInfo><indexInfo>${sets}${indexes}</indexInfo><schemaInfo><schema identifier="info:srw/schema/1/marcxml-v1.1" name="marcxml"><title>MARCXML</title></schema></schemaInfo></explain></recordData></record>`,
  );
}
