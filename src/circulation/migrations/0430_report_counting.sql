-- Counting at the source for the annual report.
-- A visit of a reader-day says whether it was (also) to the reading room; the desk line is the rest.
ALTER TABLE circulation.visits ADD COLUMN reading_room boolean NOT NULL DEFAULT false;

-- Documents used in the reading room, not taken home: one row per use, with how many items.
CREATE TABLE circulation.reading_room_uses (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  reader_id        bigint REFERENCES readers.readers(id) ON DELETE SET NULL,
  copy_id          bigint REFERENCES fund.copies(id),
  used_on          date NOT NULL,
  items            integer NOT NULL DEFAULT 1 CHECK (items > 0),
  recorded_by      bigint REFERENCES org.users(id),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reading_room_uses_org_day_idx ON circulation.reading_room_uses(organisation_id, used_on);

-- Contacts that are not a reader-day at the desk: attendance of events (counted as visits), and
-- remote contacts (online renewals, virtual references), which the report keeps on their own line.
CREATE TABLE circulation.contacts (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  kind             text NOT NULL CHECK (kind IN ('event','online_renewal','virtual_reference')),
  occurred_on      date NOT NULL,
  quantity         integer NOT NULL DEFAULT 1 CHECK (quantity > 0),
  reader_id        bigint REFERENCES readers.readers(id) ON DELETE SET NULL,
  note             text,
  recorded_by      bigint REFERENCES org.users(id),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contacts_org_day_idx ON circulation.contacts(organisation_id, occurred_on, kind);
