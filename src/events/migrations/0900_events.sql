-- Mass work of a library: the annual work plan, the events held, book exhibitions with the
-- unified exhibition schedule, and clubs with their members, sessions and attendance.
CREATE SCHEMA IF NOT EXISTS events;

-- One work plan per library and school year; the head approves it and it is submitted to the district.
CREATE TABLE events.plans (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  school_year      text NOT NULL CHECK (school_year ~ '^[0-9]{4}-[0-9]{4}$'),
  status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','approved','submitted')),
  approved_by      text,
  approved_on      date,
  submitted_at     timestamptz,
  submitted_by     bigint REFERENCES org.users(id),
  copied_from      bigint REFERENCES events.plans(id) ON DELETE SET NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, school_year)
);

CREATE TABLE events.plan_entries (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  plan_id          bigint NOT NULL REFERENCES events.plans(id) ON DELETE CASCADE,
  position         integer NOT NULL DEFAULT 0,
  section          text NOT NULL,
  title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 1000),
  form             text,
  target           text,
  -- month: month_from; range: month_from–month_to; quarterly, constantly, during_year, as_needed: no months
  when_kind        text NOT NULL CHECK (when_kind IN ('month','range','quarterly','constantly','during_year','as_needed')),
  month_from       smallint CHECK (month_from IS NULL OR month_from BETWEEN 1 AND 12),
  month_to         smallint CHECK (month_to IS NULL OR month_to BETWEEN 1 AND 12),
  responsible      text,
  status           text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned','held','moved','cancelled')),
  note             text,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plan_entries_plan_idx ON events.plan_entries(plan_id, position);

-- An event held: counted in the annual report.
CREATE TABLE events.events (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  held_on          date NOT NULL,
  title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 1000),
  form             text NOT NULL,
  classes          text,
  pupils           integer NOT NULL DEFAULT 0 CHECK (pupils >= 0),
  teachers         integer NOT NULL DEFAULT 0 CHECK (teachers >= 0),
  parents          integer NOT NULL DEFAULT 0 CHECK (parents >= 0),
  others           integer NOT NULL DEFAULT 0 CHECK (others >= 0),
  plan_entry_id    bigint REFERENCES events.plan_entries(id) ON DELETE SET NULL,
  note             text,
  is_public        boolean NOT NULL DEFAULT false,
  created_by       bigint REFERENCES org.users(id),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_org_date_idx ON events.events(organisation_id, held_on);

CREATE TABLE events.event_photos (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  event_id         bigint NOT NULL REFERENCES events.events(id) ON DELETE CASCADE,
  mime             text NOT NULL CHECK (mime IN ('image/jpeg','image/png')),
  bytes            bytea NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX event_photos_event_idx ON events.event_photos(event_id);

-- The unified exhibition schedule: prepared once a year by the republic and sent down; a district
-- and a library add their own lines. A line is seen by its organisation and all below it.
CREATE TABLE events.schedule_items (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  school_year      text NOT NULL CHECK (school_year ~ '^[0-9]{4}-[0-9]{4}$'),
  month            smallint NOT NULL CHECK (month BETWEEN 1 AND 12),
  title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  theme            text,
  note             text,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX schedule_items_org_idx ON events.schedule_items(organisation_id, school_year);

CREATE TABLE events.exhibitions (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  theme            text,
  description      text,
  starts_on        date NOT NULL,
  ends_on          date NOT NULL,
  place            text,
  is_public        boolean NOT NULL DEFAULT false,
  calendar_key     text,
  schedule_item_id bigint REFERENCES events.schedule_items(id) ON DELETE SET NULL,
  created_by       bigint REFERENCES org.users(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_on >= starts_on)
);
CREATE INDEX exhibitions_org_idx ON events.exhibitions(organisation_id, starts_on);

CREATE TABLE events.exhibition_works (
  exhibition_id    bigint NOT NULL REFERENCES events.exhibitions(id) ON DELETE CASCADE,
  work_id          bigint NOT NULL REFERENCES catalog.works(id),
  position         integer NOT NULL DEFAULT 0,
  note             text,
  PRIMARY KEY (exhibition_id, work_id)
);

CREATE TABLE events.clubs (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  genre            text,
  leader           text,
  meets            text,
  target           text,
  active           boolean NOT NULL DEFAULT true,
  created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE events.club_members (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  club_id          bigint NOT NULL REFERENCES events.clubs(id) ON DELETE CASCADE,
  reader_id        bigint NOT NULL REFERENCES readers.readers(id),
  joined_on        date NOT NULL,
  left_on          date,
  UNIQUE (club_id, reader_id)
);

CREATE TABLE events.club_sessions (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  club_id          bigint NOT NULL REFERENCES events.clubs(id) ON DELETE CASCADE,
  held_on          date NOT NULL,
  topic            text NOT NULL CHECK (length(topic) BETWEEN 1 AND 500),
  guests           integer NOT NULL DEFAULT 0 CHECK (guests >= 0),
  note             text
);
CREATE INDEX club_sessions_club_idx ON events.club_sessions(club_id, held_on);

CREATE TABLE events.club_attendance (
  session_id       bigint NOT NULL REFERENCES events.club_sessions(id) ON DELETE CASCADE,
  member_id        bigint NOT NULL REFERENCES events.club_members(id) ON DELETE CASCADE,
  PRIMARY KEY (session_id, member_id)
);
