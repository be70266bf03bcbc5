-- The readers' trigram index gets the same guard as the catalogue's (see catalog 0102): without
-- autovacuum on the embedded database, a long GIN pending list would be read by every reader search.
ALTER INDEX readers.readers_search_trgm SET (gin_pending_list_limit = 64);
SELECT gin_clean_pending_list('readers.readers_search_trgm'::regclass);
