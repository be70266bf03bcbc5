-- Children's data, under the Law of the Republic of Kazakhstan «On personal data and their protection».

-- Erasures: which readers' personal data was destroyed, when and why. Only numbers, never a name:
-- the list is also written outside the database so that a restore of an older backup erases them again.
CREATE TABLE readers.erasures (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  reader_id        bigint NOT NULL REFERENCES readers.readers(id),
  reason           text NOT NULL CHECK (reason IN ('left','request','retention')),
  erased_at        timestamptz NOT NULL DEFAULT now(),
  erased_by        bigint REFERENCES org.users(id),
  UNIQUE (reader_id)
);
CREATE INDEX erasures_org_idx ON readers.erasures(organisation_id);

-- A reader's data may be blocked on the legal representative's request: kept, but not used.
ALTER TABLE readers.readers ADD COLUMN blocked_at timestamptz;

-- Requests of a reader's legal representative (or an adult reader): correct a field, block, erase.
CREATE TABLE readers.requests (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  reader_id        bigint NOT NULL REFERENCES readers.readers(id),
  kind             text NOT NULL CHECK (kind IN ('correction','blocking','erasure')),
  message          text NOT NULL DEFAULT '',
  requested_by     bigint REFERENCES org.users(id),
  requested_at     timestamptz NOT NULL DEFAULT now(),
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open','done','refused')),
  answer           text,
  answered_by      bigint REFERENCES org.users(id),
  answered_at      timestamptz
);
CREATE INDEX requests_org_idx ON readers.requests(organisation_id, status);
CREATE INDEX requests_reader_idx ON readers.requests(reader_id);

-- A lost book's record names its reader: the reference is made a real one, so that every table
-- holding a reader's data is found by following the foreign keys (the parent's export relies on it).
ALTER TABLE fund.losses ADD CONSTRAINT losses_reader_fk FOREIGN KEY (reader_id) REFERENCES readers.readers(id);
