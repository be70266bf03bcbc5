CREATE SCHEMA IF NOT EXISTS circulation;

-- Loan rules are data: the most specific row wins; NULL means "any".
CREATE TABLE circulation.loan_rules (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint REFERENCES org.organisations(id),
  reader_kind      text,
  fund             text,
  loan_days        integer NOT NULL CHECK (loan_days > 0),
  max_renewals     integer NOT NULL DEFAULT 2 CHECK (max_renewals >= 0),
  max_loans        integer CHECK (max_loans IS NULL OR max_loans > 0)
);
CREATE UNIQUE INDEX loan_rules_key_uq ON circulation.loan_rules
  (coalesce(organisation_id, 0), coalesce(reader_kind, ''), coalesce(fund, ''));
INSERT INTO circulation.loan_rules (organisation_id, reader_kind, fund, loan_days, max_renewals)
VALUES (NULL, NULL, NULL, 14, 2);

CREATE TABLE circulation.loans (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  copy_id          bigint NOT NULL REFERENCES fund.copies(id),
  reader_id        bigint NOT NULL REFERENCES readers.readers(id),
  issued_at        timestamptz NOT NULL DEFAULT now(),
  due_on           date NOT NULL,
  renewals         integer NOT NULL DEFAULT 0,
  issued_by        bigint REFERENCES org.users(id),
  returned_at      timestamptz,
  returned_by      bigint REFERENCES org.users(id)
);
-- The database itself forbids a copy being on loan twice.
CREATE UNIQUE INDEX loans_one_open_per_copy ON circulation.loans(copy_id) WHERE returned_at IS NULL;
CREATE INDEX loans_reader_idx ON circulation.loans(reader_id, returned_at);
CREATE INDEX loans_open_due_idx ON circulation.loans(organisation_id, due_on) WHERE returned_at IS NULL;

-- One visit per reader per day, counted when the reader's card is scanned.
CREATE TABLE circulation.visits (
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  reader_id        bigint NOT NULL REFERENCES readers.readers(id),
  visited_on       date NOT NULL,
  PRIMARY KEY (reader_id, visited_on)
);
CREATE INDEX visits_org_day_idx ON circulation.visits(organisation_id, visited_on);
