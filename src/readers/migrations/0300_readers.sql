-- Readers belong to one library; children's personal data lives only here.
CREATE SCHEMA IF NOT EXISTS readers;

CREATE TABLE readers.readers (
  id                  bigserial PRIMARY KEY,
  organisation_id     bigint NOT NULL REFERENCES org.organisations(id),
  registration_number text NOT NULL,
  barcode             text NOT NULL,
  kind                text NOT NULL CHECK (kind IN ('student','teacher','staff','parent','other')),
  last_name           text NOT NULL,
  first_name          text NOT NULL,
  middle_name         text,
  grade               smallint CHECK (grade IS NULL OR grade BETWEEN 0 AND 12),
  class_letter        text,
  birth_date          date,
  phone               text,
  email               text,
  parent_name         text,
  parent_phone        text,
  status              text NOT NULL DEFAULT 'active' CHECK (status IN ('active','left')),
  left_on             date,
  search_key          text NOT NULL DEFAULT '',
  sort_key            text NOT NULL DEFAULT '',
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, registration_number),
  UNIQUE (organisation_id, barcode)
);
CREATE INDEX readers_class_idx ON readers.readers(organisation_id, grade, class_letter);
CREATE INDEX readers_search_trgm ON readers.readers USING gin (search_key gin_trgm_ops);

ALTER TABLE org.users ADD CONSTRAINT users_reader_fk FOREIGN KEY (reader_id) REFERENCES readers.readers(id);

-- Year-end promotion keeps what it changed so that it can be undone.
CREATE TABLE readers.promotions (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  performed_at     timestamptz NOT NULL DEFAULT now(),
  performed_by     bigint REFERENCES org.users(id),
  changes          jsonb NOT NULL,   -- [{readerId, grade, classLetter, status, leftOn}] as before
  undone_at        timestamptz
);
