-- PGlite has no autovacuum, so the pending list of a GIN index (fastupdate) is merged only when it
-- outgrows gin_pending_list_limit (4 MB by default), and every trigram search reads the whole list
-- linearly: at 100k works, a search for a word found nowhere took 35 ms in a 2 MB list against
-- 0.02 ms in the index. Turning fastupdate off made a bulk load of 20k works three times slower;
-- merging the list as soon as it holds 64 kB (a few hundred works) costs the bulk load 30% and
-- keeps every search's share of it under a millisecond. What is pending now is merged.
ALTER INDEX catalog.works_search_trgm SET (gin_pending_list_limit = 64);
ALTER INDEX catalog.authors_search_trgm SET (gin_pending_list_limit = 64);
SELECT gin_clean_pending_list('catalog.works_search_trgm'::regclass);
SELECT gin_clean_pending_list('catalog.authors_search_trgm'::regclass);
