-- Biblio-cross actions of a library (seed 001): "we read one author together" and "six months of reading".
-- Their results are counted from the confirmed reading records, so nothing here names a reader.
CREATE TABLE reading.actions (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  kind             text NOT NULL CHECK (kind IN ('one_author', 'six_months')),
  title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  -- the author read together (one_author): matched against the author of each record, in any script
  author           text CHECK (author IS NULL OR length(author) BETWEEN 1 AND 300),
  starts_on        date NOT NULL,
  ends_on          date NOT NULL,
  -- books a month a reader needs in each of the six months (six_months)
  books_per_month  smallint NOT NULL DEFAULT 1 CHECK (books_per_month BETWEEN 1 AND 31),
  created_by       bigint REFERENCES org.users(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_on >= starts_on),
  CHECK (kind <> 'one_author' OR author IS NOT NULL)
);
CREATE INDEX actions_org_idx ON reading.actions(organisation_id, starts_on);
