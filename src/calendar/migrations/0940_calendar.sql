-- The calendar of significant dates: entries added by the republic, a region, a district or a
-- library beside the list shipped with the product (src/calendar/persons.json). An entry is seen
-- by its own organisation and every organisation below it: the republic's calendar is sent down.
CREATE SCHEMA IF NOT EXISTS calendar;

CREATE TABLE calendar.entries (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  -- person: a birth (anniversaries); event: a dated event (anniversaries); day: kept every year
  kind             text NOT NULL CHECK (kind IN ('person','event','day')),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  name_ru          text,
  name_en          text,
  occupation       text,
  year             integer CHECK (year IS NULL OR year BETWEEN 1 AND 2200),
  month            smallint CHECK (month IS NULL OR month BETWEEN 1 AND 12),
  day              smallint CHECK (day IS NULL OR day BETWEEN 1 AND 31),
  note             text,
  author_id        bigint REFERENCES catalog.authors(id),
  origin           text NOT NULL DEFAULT 'local' CHECK (origin IN ('local','package')),
  package_key      text,
  created_by       bigint REFERENCES org.users(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (day IS NULL OR month IS NOT NULL),
  CHECK (kind = 'day' OR year IS NOT NULL),
  CHECK (kind <> 'day' OR (month IS NOT NULL AND day IS NOT NULL)),
  UNIQUE (organisation_id, package_key)
);
CREATE INDEX calendar_entries_org_idx ON calendar.entries(organisation_id);
