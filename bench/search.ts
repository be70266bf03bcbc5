import fs from 'node:fs';
import { sql } from 'kysely';
import path from 'node:path';
import { foldForSearch, kazakhSortKey, searchKey } from '../src/catalog/folding.js';
import { searchCatalogue } from '../src/catalog/search.js';
import { connectPGlite, type DatabaseHandle } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { Random } from '../src/demo/random.js';
import { createOrganisation } from '../src/org/organisations.js';
import { buildQueryMix, type BenchQuery, type QueryKind, type QuerySource } from './queries.js';
import { summarise, timed, type LatencySummary } from './stats.js';
import { syntheticAuthor, syntheticWork } from './catalogue-words.js';

/**
 * Search at catalogue scale on the embedded database. The catalogue is generated once per
 * size into a data folder under the cache and reused: generating 100,000 works takes
 * minutes, searching them seconds.
 */

const GENERATOR_VERSION = 2;
const BATCH = 2000;
/** Works sampled at generation for the query mix. */
const SOURCES = 400;

export interface SearchBenchOptions {
  works: number;
  queries: number;
  /** Passes over the query mix that are measured (one more runs first, unmeasured, to warm up). */
  passes: number;
  cacheDir: string;
}

export interface SearchBenchResult {
  works: number;
  copies: number;
  generatedNow: boolean;
  generationSeconds: number | null;
  openSeconds: number;
  queries: number;
  latencyMs: LatencySummary;
  byKind: Record<string, LatencySummary & { hitRate: number }>;
  targetP95Ms: number;
  meetsTarget: boolean;
}

export function searchDataDir(cacheDir: string, works: number): string {
  return path.join(cacheDir, `search-${works}-works`);
}

interface Marker {
  version: number;
  works: number;
  copies: number;
  /** Works the query mix is made from, picked at generation. */
  sources: QuerySource[];
  organisationId: number;
  generationSeconds: number;
}

/** The description of the cached catalogue of this size, or null when there is none (or it is from an older generator). */
export function readMarker(dataDir: string, works: number): Marker | null {
  try {
    const marker = JSON.parse(fs.readFileSync(`${dataDir}.json`, 'utf8')) as Marker;
    return marker.version === GENERATOR_VERSION && marker.works === works ? marker : null;
  } catch {
    return null;
  }
}

/** Opens the cached catalogue of this size, generating it first when it is missing or was cut short. */
export async function openSearchCatalogue(cacheDir: string, works: number): Promise<{ handle: DatabaseHandle; marker: Marker; generatedNow: boolean; openSeconds: number }> {
  const dataDir = searchDataDir(cacheDir, works);
  let marker = readMarker(dataDir, works);
  if (marker) {
    const [openMs, handle] = await timed(() => connectPGlite(dataDir));
    try {
      await migrateToLatest(handle.db);
      return { handle, marker, generatedNow: false, openSeconds: Math.round(openMs / 10) / 100 };
    } catch {
      // a migration added before the cache's last one cannot be applied to it: start afresh
      await handle.close();
    }
  }
  fs.rmSync(`${dataDir}.json`, { force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
  const [openMs, handle] = await timed(() => connectPGlite(dataDir));
  await migrateToLatest(handle.db);
  const [ms, generated] = await timed(() => generateCatalogue(handle, works));
  marker = { version: GENERATOR_VERSION, works, ...generated, generationSeconds: Math.round(ms / 100) / 10 };
  // written last: a generation cut short leaves no marker and is redone
  fs.writeFileSync(`${dataDir}.json`, JSON.stringify(marker));
  return { handle, marker, generatedNow: true, openSeconds: Math.round(openMs / 10) / 100 };
}

/**
 * Works, authors and one school's copies of every third work, with the keys computed in the
 * application exactly as the catalogue computes them, inserted a few thousand rows at a time.
 */
async function generateCatalogue(handle: DatabaseHandle, works: number) {
  const db = handle.db;
  const rng = new Random(100_000 + works);
  const republic = await createOrganisation(db, null, { parentId: null, kind: 'republic', name: 'Қазақстан Республикасы' });
  const region = await createOrganisation(db, null, { parentId: republic.id, kind: 'region', name: 'Абай облысы' });
  const school = await createOrganisation(db, null, { parentId: region.id, kind: 'school', name: '№ 7 мектеп-гимназия' });

  const authorNames = Array.from({ length: Math.max(50, Math.round(works / 12)) }, () => syntheticAuthor(rng));
  const authorIds: number[] = [];
  for (let i = 0; i < authorNames.length; i += BATCH) {
    const rows = authorNames.slice(i, i + BATCH).map((name) => ({ name, search_key: searchKey(name), sort_key: kazakhSortKey(name) }));
    const inserted = await db.insertInto('catalog.authors').values(rows).returning('id').execute();
    authorIds.push(...inserted.map((r) => r.id));
  }

  let copies = 0;
  const sources: QuerySource[] = [];
  for (let start = 0; start < works; start += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, works - start) }, () => syntheticWork(rng, authorNames.length));
    const inserted = await db
      .insertInto('catalog.works')
      .values(
        batch.map((w) => ({
          title: w.title,
          language: w.language,
          publish_year: w.publishYear,
          publisher: w.language === 'kaz' ? 'Атамұра' : 'Фолиант',
          knowledge_group: 'fiction',
          search_key: searchKey(w.title, authorNames[w.authorIndex]),
          title_key: foldForSearch(w.title),
          sort_key: kazakhSortKey(w.title),
        })),
      )
      .returning('id')
      .execute();
    await db
      .insertInto('catalog.work_authors')
      .values(inserted.map((r, i) => ({ work_id: r.id, author_id: authorIds[batch[i]!.authorIndex]!, role: 'author', position: 0 })))
      .execute();
    for (const w of batch) if (rng.chance(SOURCES / works)) sources.push({ title: w.title, author: authorNames[w.authorIndex]! });
    const shelved = inserted.filter((_, i) => (start + i) % 3 === 0);
    if (shelved.length) {
      await db
        .insertInto('fund.copies')
        .values(
          shelved.map((r) => ({
            organisation_id: school.id,
            work_id: r.id,
            inventory_number: String(r.id),
            barcode: `1${String(r.id).padStart(9, '0')}`,
            status: r.id % 7 === 0 ? ('on_loan' as const) : ('available' as const),
          })),
        )
        .execute();
      copies += shelved.length;
    }
  }
  // fresh statistics, as autovacuum would have gathered them on a library's server by now
  await sql`analyze`.execute(db);
  // and a checkpoint, so the bulk load's write-ahead log does not stay in the cached folder
  await sql`checkpoint`.execute(db);
  return { copies, sources, organisationId: school.id };
}

export async function runSearchBench(options: SearchBenchOptions, log: (line: string) => void): Promise<SearchBenchResult> {
  const { handle, marker, generatedNow, openSeconds } = await openSearchCatalogue(options.cacheDir, options.works);
  try {
    log(generatedNow ? `  generated ${options.works} works in ${marker.generationSeconds} s` : `  reused the cached catalogue of ${options.works} works`);
    const mix = buildQueryMix(new Random(7), marker.sources, options.queries);
    const run = (q: BenchQuery) => searchCatalogue(handle.db, { q: q.q, organisationId: marker.organisationId, limit: 20, offset: 0 });
    for (const q of mix) await run(q); // warm-up: caches and plans, as on a library's second search
    const samples: { kind: QueryKind; ms: number; hits: number }[] = [];
    for (let pass = 0; pass < options.passes; pass++) {
      for (const q of mix) {
        const [ms, result] = await timed(() => run(q));
        samples.push({ kind: q.kind, ms, hits: result.total });
      }
    }
    const latencyMs = summarise(samples.map((s) => s.ms));
    const byKind: SearchBenchResult['byKind'] = {};
    for (const kind of new Set(samples.map((s) => s.kind))) {
      const of = samples.filter((s) => s.kind === kind);
      byKind[kind] = { ...summarise(of.map((s) => s.ms)), hitRate: Math.round((of.filter((s) => s.hits > 0).length / of.length) * 100) / 100 };
    }
    return {
      works: options.works,
      copies: marker.copies,
      generatedNow,
      generationSeconds: generatedNow ? marker.generationSeconds : null,
      openSeconds,
      queries: mix.length,
      latencyMs,
      byKind,
      targetP95Ms: 20,
      meetsTarget: latencyMs.p95 <= 20,
    };
  } finally {
    await handle.close();
  }
}
