import type { Executor } from '../db/executor.js';
import { foldForSearch, kazakhSortKey, searchKey } from './folding.js';

/**
 * Recomputes a work's search, title and sort keys from its title, subtitle, ISBN and its authors'
 * names with their variants. Works and authors both call it when either changes.
 */
export async function refreshWorkSearchKey(db: Executor, workId: number): Promise<void> {
  const work = await db
    .selectFrom('catalog.works')
    .select(['title', 'subtitle', 'isbn'])
    .where('id', '=', workId)
    .executeTakeFirstOrThrow();
  const authors = await db
    .selectFrom('catalog.work_authors as wa')
    .innerJoin('catalog.authors as a', 'a.id', 'wa.author_id')
    .select(['a.name', 'a.variants'])
    .where('wa.work_id', '=', workId)
    .execute();
  const names = authors.flatMap((a) => [a.name, ...(a.variants ?? [])]);
  await db
    .updateTable('catalog.works')
    .set({
      search_key: searchKey(work.title, work.subtitle, ...names, work.isbn),
      title_key: foldForSearch(work.title),
      sort_key: kazakhSortKey(work.title),
    })
    .where('id', '=', workId)
    .execute();
}
