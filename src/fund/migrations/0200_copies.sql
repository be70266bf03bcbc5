-- A library's own copies of shared works.
CREATE SCHEMA IF NOT EXISTS fund;

CREATE TABLE fund.copies (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  work_id          bigint NOT NULL REFERENCES catalog.works(id),
  inventory_number text NOT NULL,
  barcode          text NOT NULL,
  fund             text NOT NULL DEFAULT 'main' CHECK (fund IN ('main','textbook','periodical','electronic','off_balance')),
  price_tiyn       bigint NOT NULL DEFAULT 0 CHECK (price_tiyn >= 0),
  status           text NOT NULL DEFAULT 'available'
                   CHECK (status IN ('available','on_loan','in_repair','lost','written_off')),
  location         text,
  acquired_on      date NOT NULL DEFAULT current_date,
  note             text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, inventory_number),
  UNIQUE (organisation_id, barcode)
);
CREATE INDEX copies_work_idx ON fund.copies(work_id, organisation_id);

-- Per-organisation counters for numbers issued automatically (inventory numbers, barcodes, reader numbers).
CREATE TABLE fund.counters (
  organisation_id bigint NOT NULL REFERENCES org.organisations(id),
  name            text NOT NULL,
  next_value      bigint NOT NULL DEFAULT 1,
  PRIMARY KEY (organisation_id, name)
);
