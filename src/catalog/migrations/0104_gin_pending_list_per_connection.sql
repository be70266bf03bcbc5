-- On a PostgreSQL server the 64 kB pending-list limit of 0102 is set for every connection instead of
-- on the indexes (db/connect.ts), so that a bulk import can widen it for its own transaction with
-- SET LOCAL, which locks nothing; an index option would win over it, and changing one locks the
-- index for every search. The embedded database has no other connections and keeps the index option.
DO $$
BEGIN
  IF version() NOT LIKE '%PGlite%' THEN
    ALTER INDEX catalog.works_search_trgm RESET (gin_pending_list_limit);
    ALTER INDEX catalog.authors_search_trgm RESET (gin_pending_list_limit);
  END IF;
END
$$;
