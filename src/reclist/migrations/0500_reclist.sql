-- The recommended list of the "Children's Library" programme and the monitoring of its coverage.
CREATE SCHEMA IF NOT EXISTS reclist;

-- One version of the list per year; versions are kept side by side so two years can be compared.
CREATE TABLE reclist.versions (
  id           bigserial PRIMARY KEY,
  year         smallint NOT NULL UNIQUE CHECK (year BETWEEN 2000 AND 2100),
  source_name  text,                        -- the file it was loaded from
  imported_at  timestamptz NOT NULL DEFAULT now(),
  imported_by  bigint REFERENCES org.users(id)
);

-- A title of the list. entry_key (folded author | folded title) identifies the same title
-- across years and scripts, so a year's additions and removals and the matches survive re-imports.
CREATE TABLE reclist.entries (
  id          bigserial PRIMARY KEY,
  version_id  bigint NOT NULL REFERENCES reclist.versions(id) ON DELETE CASCADE,
  position    integer NOT NULL,
  entry_key   text NOT NULL,
  title       text NOT NULL,
  author      text NOT NULL DEFAULT '',
  category    text NOT NULL CHECK (category IN ('classical','independence','contemporary','abroad','foreign')),
  genre       text,
  age_group   text NOT NULL DEFAULT 'all' CHECK (age_group IN ('1-4','5-9','10-11','all')),
  language    text,
  isbn        text,
  sort_key    text NOT NULL DEFAULT '',
  UNIQUE (version_id, entry_key)
);
CREATE INDEX entries_key_idx ON reclist.entries(entry_key);

-- Which catalogue works are editions of a list title. 'confirmed' counts for coverage,
-- 'pending' waits in the review queue, 'rejected' is remembered so matching never proposes it again.
CREATE TABLE reclist.matches (
  id          bigserial PRIMARY KEY,
  entry_key   text NOT NULL,
  work_id     bigint NOT NULL REFERENCES catalog.works(id) ON DELETE CASCADE,
  status      text NOT NULL CHECK (status IN ('confirmed','pending','rejected')),
  method      text NOT NULL CHECK (method IN ('isbn','author_title','title','manual')),
  decided_by  bigint REFERENCES org.users(id),
  decided_at  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (entry_key, work_id)
);
CREATE INDEX matches_work_idx ON reclist.matches(work_id) WHERE status = 'confirmed';
CREATE INDEX matches_pending_idx ON reclist.matches(created_at) WHERE status = 'pending';

-- A library's own rule for its purchase plan: one copy per N students of the title's age group.
CREATE TABLE reclist.purchase_rules (
  organisation_id    bigint PRIMARY KEY REFERENCES org.organisations(id),
  students_per_copy  integer NOT NULL CHECK (students_per_copy > 0),
  min_copies         integer NOT NULL DEFAULT 1 CHECK (min_copies >= 0),
  price_tiyn         bigint NOT NULL CHECK (price_tiyn >= 0),
  updated_at         timestamptz NOT NULL DEFAULT now()
);

-- Per-school statistics, one row per school and period (calendar year). Levels aggregate these
-- rows, never the copies. origin 'local' rows are computed from this server's own data,
-- 'package' rows come from a signed statistics package of a school on its own instance.
CREATE TABLE reclist.school_stats (
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  period           smallint NOT NULL,
  origin           text NOT NULL CHECK (origin IN ('local','package')),
  list_year        smallint NOT NULL,
  titles_total     integer NOT NULL,
  titles_held      integer NOT NULL,
  list_copies      bigint NOT NULL,
  students         integer NOT NULL,
  copies_total     bigint NOT NULL,
  fiction_copies   bigint NOT NULL,
  kazakh_copies    bigint NOT NULL,
  by_category      jsonb NOT NULL,   -- [{category, titles, held, copies}]
  bought           jsonb NOT NULL,   -- [{year, source, copies}]
  computed_at      timestamptz NOT NULL DEFAULT now(),
  content_hash     text,             -- of the package it came from
  PRIMARY KEY (organisation_id, period)
);
CREATE INDEX school_stats_period_idx ON reclist.school_stats(period, list_year);

-- The school side: its own Ed25519 key pair for signing statistics packages.
CREATE TABLE reclist.signing_keys (
  organisation_id  bigint PRIMARY KEY REFERENCES org.organisations(id),
  public_key       text NOT NULL,   -- PEM (SPKI)
  private_key      text NOT NULL,   -- PEM (PKCS#8)
  created_at       timestamptz NOT NULL DEFAULT now()
);

-- The district side: public keys of the schools whose packages it accepts.
CREATE TABLE reclist.trusted_keys (
  organisation_id  bigint PRIMARY KEY REFERENCES org.organisations(id),
  public_key       text NOT NULL,
  added_by         bigint REFERENCES org.users(id),
  added_at         timestamptz NOT NULL DEFAULT now()
);

-- Every package accepted once; importing the same content again changes nothing.
CREATE TABLE reclist.imported_packages (
  id            bigserial PRIMARY KEY,
  school_code   text NOT NULL,
  period        smallint NOT NULL,
  content_hash  text NOT NULL,
  organisation_id bigint NOT NULL REFERENCES org.organisations(id),
  imported_by   bigint REFERENCES org.users(id),
  imported_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (school_code, period, content_hash)
);
