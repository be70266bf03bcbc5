-- Shared bibliographic reference data: no organisation owns a work or an author.
CREATE SCHEMA IF NOT EXISTS catalog;

CREATE TABLE catalog.authors (
  id          bigserial PRIMARY KEY,
  name        text NOT NULL,                 -- as catalogued: «Абай Құнанбайұлы»
  variants    text[] NOT NULL DEFAULT '{}',  -- other spellings and scripts
  birth_date  date,
  death_date  date,
  note        text,
  search_key  text NOT NULL DEFAULT '',      -- folded across scripts, see catalog/folding.ts
  sort_key    text NOT NULL DEFAULT '',      -- Kazakh collation key computed in the app
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX authors_search_trgm ON catalog.authors USING gin (search_key gin_trgm_ops);

CREATE TABLE catalog.works (
  id               bigserial PRIMARY KEY,
  title            text NOT NULL,
  subtitle         text,
  isbn             text,                      -- normalised ISBN-13 without hyphens
  publisher        text,
  publish_place    text,
  publish_year     smallint,
  language         text,                      -- ISO 639-2: kaz, rus, eng, ...
  pages            integer CHECK (pages IS NULL OR pages > 0),
  bbk              text,
  udc              text,
  knowledge_group  text,                      -- report group, see fund accounting
  genre            text,
  age_rating       text,                      -- 0+, 6+, 12+, 16+, 18+
  annotation       text,
  cover_url        text,
  search_key       text NOT NULL DEFAULT '',
  sort_key         text NOT NULL DEFAULT '',
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX works_isbn_idx ON catalog.works(isbn) WHERE isbn IS NOT NULL;
CREATE INDEX works_search_trgm ON catalog.works USING gin (search_key gin_trgm_ops);
CREATE INDEX works_sort_idx ON catalog.works(sort_key);

CREATE TABLE catalog.work_authors (
  work_id    bigint NOT NULL REFERENCES catalog.works(id) ON DELETE CASCADE,
  author_id  bigint NOT NULL REFERENCES catalog.authors(id),
  role       text NOT NULL DEFAULT 'author',  -- author, editor, translator, illustrator, compiler
  position   smallint NOT NULL DEFAULT 0,
  PRIMARY KEY (work_id, author_id, role)
);
CREATE INDEX work_authors_author_idx ON catalog.work_authors(author_id);
