-- The whole fund on the books: booking an existing fund (opening balance), transfers between libraries,
-- the summary book's columns by publication type and children's literature, unpriced copies, and the
-- commission of a write-off act.

ALTER TABLE fund.receipts DROP CONSTRAINT IF EXISTS receipts_source_check;
ALTER TABLE fund.receipts ADD CONSTRAINT receipts_source_check CHECK (source IN
  ('budget_purchase','state_order','gift','exchange','subscription','replacement','initial','transfer'));
-- the accompanying document (invoice, waybill, act of transfer) has a date as well as a number
ALTER TABLE fund.receipts ADD COLUMN document_date date;
-- a receipt of source 'transfer' names the library the copies came from
ALTER TABLE fund.receipts ADD COLUMN from_organisation_id bigint REFERENCES org.organisations(id);

-- Fixed at receipt like the group and language: the summary book counts by publication type and keeps
-- children's literature in its own column. A price unknown (an old fund without a price) counts as 0 tiyn
-- and is shown as unpriced beside every sum.
ALTER TABLE fund.receipt_lines
  ADD COLUMN publication_type text NOT NULL DEFAULT 'book',
  ADD COLUMN children boolean NOT NULL DEFAULT false,
  ADD COLUMN price_unknown boolean NOT NULL DEFAULT false;
ALTER TABLE fund.write_off_lines
  ADD COLUMN publication_type text NOT NULL DEFAULT 'book',
  ADD COLUMN children boolean NOT NULL DEFAULT false,
  ADD COLUMN price_unknown boolean NOT NULL DEFAULT false;
UPDATE fund.receipt_lines l SET publication_type = w.publication_type,
       children = coalesce(w.age_rating IN ('0+','6+'), false) AND l.fund <> 'textbook'
  FROM catalog.works w WHERE w.id = l.work_id;
UPDATE fund.write_off_lines wl SET publication_type = l.publication_type, children = l.children
  FROM fund.copies c JOIN fund.receipt_lines l ON l.id = c.receipt_line_id WHERE c.id = wl.copy_id;

-- Write-off act: the commission's chair (members stay in `commission`), the head who approves it,
-- and a transfer to another library, where the copies arrive as a receipt of source 'transfer'.
ALTER TABLE fund.write_off_acts DROP CONSTRAINT IF EXISTS write_off_acts_reason_check;
ALTER TABLE fund.write_off_acts ADD CONSTRAINT write_off_acts_reason_check CHECK (reason IN
  ('physical_wear','obsolete_content','lost_by_reader','defective','out_of_profile',
   'duplicate','storage_expired','missing_at_check','transfer'));
ALTER TABLE fund.write_off_acts
  ADD COLUMN commission_chair text,
  ADD COLUMN head_name text,
  ADD COLUMN transfer_to bigint REFERENCES org.organisations(id),
  ADD COLUMN transfer_receipt_id bigint REFERENCES fund.receipts(id);

-- An opening balance (бұрыннан бар қорды есепке алу) is loaded as a draft, in chunks, and posted in one
-- step as a receipt of source 'initial'. Nothing of a draft reaches the registers until it is posted.
CREATE TABLE fund.opening_balances (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  as_of            date NOT NULL,                 -- the date the fund is taken on the books
  document_number  text,
  document_date    date,
  note             text,
  status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','posted')),
  receipt_id       bigint REFERENCES fund.receipts(id),
  import_id        bigint,                        -- a MARC import whose holdings it holds
  check_id         bigint REFERENCES fund.checks(id),
  created_by       bigint REFERENCES org.users(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  posted_at        timestamptz
);
CREATE INDEX opening_balances_org_idx ON fund.opening_balances(organisation_id, status);

-- One copy of a draft: either a copy the catalogue already holds (copy_id), or a new one with its own number.
CREATE TABLE fund.opening_rows (
  id               bigserial PRIMARY KEY,
  opening_id       bigint NOT NULL REFERENCES fund.opening_balances(id) ON DELETE CASCADE,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  load_id          integer NOT NULL DEFAULT 0,    -- rows of one file or scan session, removed together on failure
  row_number       integer,                       -- the row of the file it came from
  copy_id          bigint REFERENCES fund.copies(id) ON DELETE CASCADE,
  work_id          bigint NOT NULL REFERENCES catalog.works(id),
  inventory_number text NOT NULL,
  barcode          text,
  entered_on       date NOT NULL,
  price_tiyn       bigint NOT NULL DEFAULT 0 CHECK (price_tiyn >= 0),
  price_unknown    boolean NOT NULL DEFAULT false,
  valuation        boolean NOT NULL DEFAULT false,
  fund             text NOT NULL DEFAULT 'main',
  off_balance      boolean NOT NULL DEFAULT false,
  knowledge_group  text NOT NULL,
  language_group   text NOT NULL,
  publication_type text NOT NULL,
  children         boolean NOT NULL DEFAULT false,
  location         text,
  UNIQUE (opening_id, inventory_number)
);
CREATE INDEX opening_rows_org_number_idx ON fund.opening_rows(organisation_id, inventory_number);
CREATE UNIQUE INDEX opening_rows_copy_idx ON fund.opening_rows(opening_id, copy_id) WHERE copy_id IS NOT NULL;

CREATE INDEX copies_unbooked_idx ON fund.copies(organisation_id) WHERE receipt_line_id IS NULL;
