-- MARC exchange: import batches, the original records, and tombstones for OAI-PMH harvesters.
CREATE SCHEMA IF NOT EXISTS interop;

CREATE TABLE interop.import_batches (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  created_by       bigint REFERENCES org.users(id),
  file_name        text NOT NULL,
  syntax           text NOT NULL CHECK (syntax IN ('iso2709', 'marcxml')),
  format           text NOT NULL,               -- marc21, unimarc, or mixed
  encoding         text NOT NULL,               -- utf8, marc8, cp1251, cp866, or mixed
  options          jsonb NOT NULL DEFAULT '{}', -- matching, holdings, named encoding/format
  status           text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed', 'undone')),
  total            integer NOT NULL DEFAULT 0,  -- records found in the file
  processed        integer NOT NULL DEFAULT 0,  -- records handled so far (the progress bar)
  created          integer NOT NULL DEFAULT 0,
  merged           integer NOT NULL DEFAULT 0,
  skipped          integer NOT NULL DEFAULT 0,
  failed           integer NOT NULL DEFAULT 0,
  warnings         integer NOT NULL DEFAULT 0,
  copies           integer NOT NULL DEFAULT 0,
  created_authors  bigint[] NOT NULL DEFAULT '{}', -- authors this batch added to the authority (undo removes the unused)
  error            text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz,
  undone_at        timestamptz,
  undone_by        bigint REFERENCES org.users(id)
);
CREATE INDEX import_batches_org_idx ON interop.import_batches(organisation_id, id DESC);

-- One row per record of a file, readable or not: the original bytes (ISO 2709) or XML (MARCXML)
-- are kept as they came, with what the import did with them.
CREATE TABLE interop.source_records (
  id              bigserial PRIMARY KEY,
  batch_id        bigint NOT NULL REFERENCES interop.import_batches(id) ON DELETE CASCADE,
  position        integer NOT NULL,             -- 1-based record number in the file
  byte_offset     integer,                      -- ISO 2709 only
  format          text,                         -- marc21 or unimarc; null when unreadable
  encoding        text,
  raw             bytea,                        -- ISO 2709 record bytes as in the file
  xml             text,                         -- MARCXML record as in the file
  control_number  text,                         -- 003|001 of the record
  isbn            text,
  work_id         bigint REFERENCES catalog.works(id) ON DELETE SET NULL,
  action          text NOT NULL CHECK (action IN ('created', 'merged', 'skipped', 'failed')),
  previous        jsonb,                        -- the work before a merge, to undo it
  copy_ids        bigint[] NOT NULL DEFAULT '{}',
  subjects        text[] NOT NULL DEFAULT '{}',
  notes           text[] NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (batch_id, position)
);
CREATE INDEX source_records_work_idx ON interop.source_records(work_id) WHERE work_id IS NOT NULL;
CREATE INDEX source_records_control_idx ON interop.source_records(control_number) WHERE control_number IS NOT NULL;

-- Problems found in a batch, with the record's position, for the import report.
CREATE TABLE interop.import_problems (
  id             bigserial PRIMARY KEY,
  batch_id       bigint NOT NULL REFERENCES interop.import_batches(id) ON DELETE CASCADE,
  position       integer NOT NULL,
  byte_offset    integer,
  severity       text NOT NULL CHECK (severity IN ('error', 'warning')),
  code           text NOT NULL,
  params         jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX import_problems_batch_idx ON interop.import_problems(batch_id, position);

-- Works removed from the catalogue, announced to OAI-PMH harvesters as deleted records.
CREATE TABLE interop.deleted_records (
  work_id          bigint PRIMARY KEY,
  organisation_id  bigint REFERENCES org.organisations(id),
  deleted_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deleted_records_time_idx ON interop.deleted_records(deleted_at);
