CREATE SCHEMA IF NOT EXISTS reports;

-- A period of the annual report: '2024' (calendar year) or '2024-2025' (school year).
-- The plan the library enters for a period, one number per indicator.
CREATE TABLE reports.plans (
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  period           text NOT NULL CHECK (period ~ '^[0-9]{4}(-[0-9]{4})?$'),
  indicator        text NOT NULL CHECK (indicator ~ '^[a-zA-Z_.]{1,60}$'),
  value            bigint NOT NULL CHECK (value >= 0),
  updated_by       bigint REFERENCES org.users(id),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organisation_id, period, indicator)
);

-- The library passport and the sections typed by hand, kept per period.
CREATE TABLE reports.passports (
  organisation_id    bigint NOT NULL REFERENCES org.organisations(id),
  period             text NOT NULL CHECK (period ~ '^[0-9]{4}(-[0-9]{4})?$'),
  area_m2            numeric(9,1) NOT NULL DEFAULT 0 CHECK (area_m2 >= 0),
  reading_room_m2    numeric(9,1) NOT NULL DEFAULT 0 CHECK (reading_room_m2 >= 0),
  storage_m2         numeric(9,1) NOT NULL DEFAULT 0 CHECK (storage_m2 >= 0),
  seats              integer NOT NULL DEFAULT 0 CHECK (seats >= 0),
  computers          integer NOT NULL DEFAULT 0 CHECK (computers >= 0),
  internet_computers integer NOT NULL DEFAULT 0 CHECK (internet_computers >= 0),
  open_access_copies integer NOT NULL DEFAULT 0 CHECK (open_access_copies >= 0),
  texts              jsonb NOT NULL DEFAULT '{}'::jsonb,
  updated_by         bigint REFERENCES org.users(id),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organisation_id, period)
);

-- How many visit-days a year make a regular visitor (the programme's target counts them).
CREATE TABLE reports.settings (
  organisation_id    bigint PRIMARY KEY REFERENCES org.organisations(id),
  regular_visit_days integer NOT NULL CHECK (regular_visit_days BETWEEN 1 AND 366)
);

-- A closed period: the library's own figures as they were when it closed, so that later changes
-- (retention of children's data, corrections) never change a past report. origin 'package' when a
-- school on its own instance sent them in a signed statistics package.
CREATE TABLE reports.closed_periods (
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  period           text NOT NULL CHECK (period ~ '^[0-9]{4}(-[0-9]{4})?$'),
  origin           text NOT NULL CHECK (origin IN ('local','package')),
  figures          jsonb NOT NULL,
  content_hash     text,
  closed_at        timestamptz NOT NULL DEFAULT now(),
  closed_by        bigint REFERENCES org.users(id),
  PRIMARY KEY (organisation_id, period)
);

-- When a district (or region) expects its libraries' reports of a period.
CREATE TABLE reports.schedules (
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  period           text NOT NULL CHECK (period ~ '^[0-9]{4}(-[0-9]{4})?$'),
  due_on           date NOT NULL,
  set_by           bigint REFERENCES org.users(id),
  PRIMARY KEY (organisation_id, period)
);
