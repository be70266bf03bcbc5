-- Reference service (bibliographic references, "ask the librarian", unmet requests, recommendation
-- lists and bibliographic indexes), the periodicals register with its article index, and digitised documents.
CREATE SCHEMA IF NOT EXISTS reference;

-- The log of references given, counted by kind in the annual report.
CREATE TABLE reference.requests (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  asked_on         date NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('thematic','address','clarifying','factographic')),
  question         text NOT NULL CHECK (length(question) BETWEEN 1 AND 4000),
  answer           text,
  reader_group     text NOT NULL CHECK (reader_group IN ('1-4','5-9','10-11','teachers','parents','others')),
  language         text NOT NULL CHECK (language IN ('kk','ru','en','other')),
  virtual          boolean NOT NULL DEFAULT false,
  question_id      bigint,
  created_by       bigint REFERENCES org.users(id),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX requests_org_date_idx ON reference.requests(organisation_id, asked_on);

-- "Ask the librarian": questions of pupils and parents from the web, and the answer.
CREATE TABLE reference.questions (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  asked_by         bigint NOT NULL REFERENCES org.users(id),
  asked_at         timestamptz NOT NULL DEFAULT now(),
  question         text NOT NULL CHECK (length(question) BETWEEN 1 AND 4000),
  answer           text,
  answered_by      bigint REFERENCES org.users(id),
  answered_at      timestamptz
);
CREATE INDEX questions_org_idx ON reference.questions(organisation_id, asked_at);

-- Requests the library could not meet: a book asked for at the desk that it lacks, a search that found nothing.
CREATE TABLE reference.unmet (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  noted_on         date NOT NULL,
  source           text NOT NULL CHECK (source IN ('desk','search','question')),
  title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  author           text,
  reader_group     text CHECK (reader_group IS NULL OR reader_group IN ('1-4','5-9','10-11','teachers','parents','others')),
  times            integer NOT NULL DEFAULT 1 CHECK (times >= 1),
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open','to_purchase','met','declined')),
  note             text,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX unmet_org_idx ON reference.unmet(organisation_id, status);

-- Recommendation lists and bibliographic indexes: saved lists of works and articles.
CREATE TABLE reference.lists (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  kind             text NOT NULL CHECK (kind IN ('recommendation','index')),
  title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  audience         text,
  compiler         text,
  intro            text,
  created_at       timestamptz NOT NULL DEFAULT now()
);

-- The periodicals register: titles subscribed per half-year.
CREATE TABLE reference.periodicals (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  issn             text,
  kind             text NOT NULL DEFAULT 'magazine' CHECK (kind IN ('newspaper','magazine')),
  language         text NOT NULL CHECK (language IN ('kk','ru','en','other')),
  for_children     boolean NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, title)
);

CREATE TABLE reference.subscriptions (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  periodical_id    bigint NOT NULL REFERENCES reference.periodicals(id) ON DELETE CASCADE,
  year             smallint NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  half             smallint NOT NULL CHECK (half IN (1, 2)),
  issues_expected  integer NOT NULL DEFAULT 0 CHECK (issues_expected >= 0),
  price_tiyn       bigint NOT NULL DEFAULT 0 CHECK (price_tiyn >= 0),
  UNIQUE (periodical_id, year, half)
);

CREATE TABLE reference.issues (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  periodical_id    bigint NOT NULL REFERENCES reference.periodicals(id) ON DELETE CASCADE,
  label            text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
  issue_date       date,
  received_on      date NOT NULL,
  UNIQUE (periodical_id, label)
);

-- The article index: analytic records of articles in the issues received.
CREATE TABLE reference.articles (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  issue_id         bigint NOT NULL REFERENCES reference.issues(id) ON DELETE CASCADE,
  title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 1000),
  authors          text,
  pages            text,
  subjects         text,
  annotation       text,
  created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE reference.list_items (
  id               bigserial PRIMARY KEY,
  list_id          bigint NOT NULL REFERENCES reference.lists(id) ON DELETE CASCADE,
  position         integer NOT NULL DEFAULT 0,
  work_id          bigint REFERENCES catalog.works(id),
  article_id       bigint REFERENCES reference.articles(id) ON DELETE CASCADE,
  annotation       text,
  CHECK ((work_id IS NULL) <> (article_id IS NULL))
);

-- Digitised articles and books: a PDF kept on the server's disk, with its access rule.
CREATE TABLE reference.documents (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  kind             text NOT NULL CHECK (kind IN ('book','article','other')),
  title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 1000),
  authors          text,
  work_id          bigint REFERENCES catalog.works(id),
  article_id       bigint REFERENCES reference.articles(id) ON DELETE SET NULL,
  pages            integer NOT NULL DEFAULT 0 CHECK (pages >= 0),
  -- readers: the library's own readers; public: anyone (public domain); licence: readers, under the rights holder's agreement
  access           text NOT NULL CHECK (access IN ('readers','public','licence')),
  licence_note     text,
  file_name        text,
  file_size        bigint,
  file_sha256      text,
  created_by       bigint REFERENCES org.users(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (access <> 'licence' OR licence_note IS NOT NULL)
);

-- Each view or download of a digitised document, by the reader group of who opened it.
CREATE TABLE reference.document_uses (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  document_id      bigint NOT NULL REFERENCES reference.documents(id) ON DELETE CASCADE,
  used_on          date NOT NULL,
  action           text NOT NULL CHECK (action IN ('view','download')),
  reader_group     text NOT NULL
);
CREATE INDEX document_uses_idx ON reference.document_uses(organisation_id, used_on);

-- The file of a digitised document, kept in the database in pieces of up to 1 MB so that it is in
-- every backup and is streamed in and out without holding the whole file in memory.
CREATE TABLE reference.document_chunks (
  document_id      bigint NOT NULL REFERENCES reference.documents(id) ON DELETE CASCADE,
  n                integer NOT NULL,
  bytes            bytea NOT NULL,
  PRIMARY KEY (document_id, n)
);
