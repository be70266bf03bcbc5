-- Search support: the folded title on its own (ranking: a title match before an author match)
-- and a btree over the start of the search key, for queries of one or two letters that the
-- trigram index cannot serve. The search key starts with the folded title, so its prefix is
-- the title's prefix in any script.
ALTER TABLE catalog.works ADD COLUMN title_key text NOT NULL DEFAULT '';
CREATE INDEX works_search_prefix_idx ON catalog.works (left(search_key, 40) text_pattern_ops);
