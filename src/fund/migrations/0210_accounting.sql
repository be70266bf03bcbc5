-- Fund accounting: the registers a school library is audited on are derived from these documents.

-- Which report group a work counts in, from its BBK or UDC index. Data, editable per deployment;
-- the longest matching prefix wins, then the higher priority.
CREATE TABLE fund.knowledge_group_rules (
  id               bigserial PRIMARY KEY,
  scheme           text NOT NULL CHECK (scheme IN ('bbk','udc')),
  prefix           text NOT NULL CHECK (prefix <> ''),
  knowledge_group  text NOT NULL CHECK (knowledge_group IN
                   ('socio_political','natural_sciences','technology_agriculture','sport_arts',
                    'linguistics_literature','fiction','other')),
  priority         integer NOT NULL DEFAULT 0,
  UNIQUE (scheme, prefix)
);
INSERT INTO fund.knowledge_group_rules (scheme, prefix, knowledge_group) VALUES
  ('bbk','6','socio_political'), ('bbk','7','socio_political'), ('bbk','8','socio_political'),
  ('bbk','2','natural_sciences'),
  ('bbk','3','technology_agriculture'), ('bbk','4','technology_agriculture'),
  ('bbk','75','sport_arts'), ('bbk','77','sport_arts'), ('bbk','85','sport_arts'),
  ('bbk','80','linguistics_literature'), ('bbk','81','linguistics_literature'), ('bbk','82','linguistics_literature'), ('bbk','83','linguistics_literature'),
  ('bbk','84','fiction'),
  ('udc','1','socio_political'), ('udc','2','socio_political'), ('udc','3','socio_political'), ('udc','9','socio_political'),
  ('udc','5','natural_sciences'),
  ('udc','6','technology_agriculture'),
  ('udc','7','sport_arts'),
  ('udc','80','linguistics_literature'), ('udc','81','linguistics_literature'), ('udc','82','linguistics_literature'),
  ('udc','821','fiction');

-- A receipt document (түсім құжаты): one batch of literature entering the fund.
CREATE TABLE fund.receipts (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  number           text NOT NULL,
  received_on      date NOT NULL,
  source           text NOT NULL CHECK (source IN
                   ('budget_purchase','state_order','gift','exchange','subscription','replacement','initial')),
  document_number  text,
  supplier         text,
  note             text,
  created_by       bigint REFERENCES org.users(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, number)
);
CREATE INDEX receipts_org_date_idx ON fund.receipts(organisation_id, received_on);

-- One title of a receipt: its copies share the price, group and language fixed at receipt,
-- so later catalogue edits never rewrite the books.
CREATE TABLE fund.receipt_lines (
  id               bigserial PRIMARY KEY,
  receipt_id       bigint NOT NULL REFERENCES fund.receipts(id),
  work_id          bigint NOT NULL REFERENCES catalog.works(id),
  copies_count     integer NOT NULL CHECK (copies_count > 0),
  price_tiyn       bigint NOT NULL CHECK (price_tiyn >= 0),
  valuation        boolean NOT NULL DEFAULT false,  -- price set by the acceptance commission (gifts)
  fund             text NOT NULL,
  knowledge_group  text NOT NULL,                   -- a report group, or 'textbooks'
  language_group   text NOT NULL CHECK (language_group IN ('kk','ru','other')),
  off_balance      boolean NOT NULL DEFAULT false   -- brochures of 48 pages or fewer, temporary storage
);
CREATE INDEX receipt_lines_receipt_idx ON fund.receipt_lines(receipt_id);

-- A write-off act (есептен шығару актісі), or the reversal of an approved one.
CREATE TABLE fund.write_off_acts (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  number           text NOT NULL,
  kind             text NOT NULL DEFAULT 'write_off' CHECK (kind IN ('write_off','reversal')),
  reverses_id      bigint REFERENCES fund.write_off_acts(id),
  act_date         date NOT NULL,
  reason           text NOT NULL CHECK (reason IN
                   ('physical_wear','obsolete_content','lost_by_reader','defective','out_of_profile',
                    'duplicate','storage_expired','missing_at_check')),
  commission       jsonb NOT NULL DEFAULT '[]',
  note             text,
  status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','approved')),
  approved_at      timestamptz,
  approved_by      bigint REFERENCES org.users(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, number)
);
CREATE INDEX write_off_acts_org_date_idx ON fund.write_off_acts(organisation_id, status, act_date);
-- An approved act is reversed at most once.
CREATE UNIQUE INDEX write_off_acts_one_reversal ON fund.write_off_acts(reverses_id) WHERE reverses_id IS NOT NULL;

-- The copies of an act with the booked price, group, language and register copied at approval,
-- so the books aggregate the lines alone.
CREATE TABLE fund.write_off_lines (
  act_id           bigint NOT NULL REFERENCES fund.write_off_acts(id) ON DELETE CASCADE,
  copy_id          bigint NOT NULL REFERENCES fund.copies(id),
  price_tiyn       bigint NOT NULL DEFAULT 0,
  knowledge_group  text NOT NULL DEFAULT '',
  language_group   text NOT NULL DEFAULT '',
  off_balance      boolean NOT NULL DEFAULT false,
  PRIMARY KEY (act_id, copy_id)
);
CREATE INDEX write_off_lines_copy_idx ON fund.write_off_lines(copy_id);

ALTER TABLE fund.copies
  ADD COLUMN receipt_id      bigint REFERENCES fund.receipts(id),
  ADD COLUMN receipt_line_id bigint REFERENCES fund.receipt_lines(id),
  ADD COLUMN write_off_id    bigint REFERENCES fund.write_off_acts(id);
CREATE INDEX copies_receipt_idx ON fund.copies(receipt_id);

-- Re-inventory keeps every earlier inventory number of a copy.
CREATE TABLE fund.inventory_number_history (
  id               bigserial PRIMARY KEY,
  copy_id          bigint NOT NULL REFERENCES fund.copies(id),
  old_number       text NOT NULL,
  new_number       text NOT NULL,
  changed_on       date NOT NULL,
  changed_by       bigint REFERENCES org.users(id)
);
CREATE INDEX inventory_number_history_copy_idx ON fund.inventory_number_history(copy_id);

-- A fund check (stocktaking) of a part of the fund.
CREATE TABLE fund.checks (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  number           text NOT NULL,
  started_on       date NOT NULL,
  location_prefix  text,
  fund             text,
  knowledge_group  text,
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),
  closed_at        timestamptz,
  write_off_act_id bigint REFERENCES fund.write_off_acts(id),
  created_by       bigint REFERENCES org.users(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, number)
);

-- Scans are idempotent per barcode: a copy scanned twice is counted once. Unknown barcodes are kept for the report.
CREATE TABLE fund.check_scans (
  id               bigserial PRIMARY KEY,
  check_id         bigint NOT NULL REFERENCES fund.checks(id),
  barcode          text NOT NULL,
  copy_id          bigint REFERENCES fund.copies(id),
  shelf            text,
  scanned_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (check_id, barcode)
);

-- A book lost by a reader, settled by a replacement copy or a payment.
-- Fund migrations run before the readers and circulation ones, so reader_id and loan_id cannot be
-- foreign keys here; recordLoss checks both inside the transaction that writes the row.
CREATE TABLE fund.losses (
  id                  bigserial PRIMARY KEY,
  organisation_id     bigint NOT NULL REFERENCES org.organisations(id),
  reader_id           bigint NOT NULL,
  copy_id             bigint NOT NULL REFERENCES fund.copies(id),
  loan_id             bigint,
  lost_on             date NOT NULL,
  settlement          text NOT NULL CHECK (settlement IN ('replacement','payment')),
  replacement_copy_id bigint REFERENCES fund.copies(id),
  payment_tiyn        bigint CHECK (payment_tiyn IS NULL OR payment_tiyn >= 0),
  write_off_act_id    bigint NOT NULL REFERENCES fund.write_off_acts(id),
  note                text,
  created_by          bigint REFERENCES org.users(id),
  created_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (copy_id)
);
CREATE INDEX losses_reader_idx ON fund.losses(reader_id);
