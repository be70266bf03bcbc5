-- The textbook fund: group accounting by title (counts, not individual copies).
CREATE SCHEMA IF NOT EXISTS textbooks;

-- The curriculum list: the textbooks each grade needs in a school year, per language of instruction.
CREATE TABLE textbooks.curriculum (
  id                 bigserial PRIMARY KEY,
  organisation_id    bigint NOT NULL REFERENCES org.organisations(id),
  school_year        text NOT NULL CHECK (school_year ~ '^[0-9]{4}-[0-9]{4}$'),
  grade              smallint NOT NULL CHECK (grade BETWEEN 0 AND 12),
  subject            text NOT NULL CHECK (subject <> ''),
  work_id            bigint NOT NULL REFERENCES catalog.works(id),
  language           text NOT NULL CHECK (language ~ '^[a-z]{2}$'),
  copies_per_student smallint NOT NULL DEFAULT 1 CHECK (copies_per_student BETWEEN 1 AND 5),
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, school_year, grade, language, work_id)
);

-- Language of instruction of a class; a class without a row is taught in Kazakh.
CREATE TABLE textbooks.class_languages (
  organisation_id bigint NOT NULL REFERENCES org.organisations(id),
  grade           smallint NOT NULL CHECK (grade BETWEEN 0 AND 12),
  class_letter    text NOT NULL,
  language        text NOT NULL CHECK (language ~ '^[a-z]{2}$'),
  PRIMARY KEY (organisation_id, grade, class_letter)
);

-- Students expected in a grade that no current grade feeds (first graders), as the school enters them.
CREATE TABLE textbooks.enrolment_forecasts (
  organisation_id bigint NOT NULL REFERENCES org.organisations(id),
  school_year     text NOT NULL CHECK (school_year ~ '^[0-9]{4}-[0-9]{4}$'),
  grade           smallint NOT NULL CHECK (grade BETWEEN 0 AND 12),
  language        text NOT NULL CHECK (language ~ '^[a-z]{2}$'),
  expected        integer NOT NULL CHECK (expected >= 0),
  PRIMARY KEY (organisation_id, school_year, grade, language)
);

-- Batches received with a receipt document of the fund (fund.receipts): counts and price per title.
CREATE TABLE textbooks.batches (
  id              bigserial PRIMARY KEY,
  organisation_id bigint NOT NULL REFERENCES org.organisations(id),
  receipt_id      bigint NOT NULL REFERENCES fund.receipts(id),
  work_id         bigint NOT NULL REFERENCES catalog.works(id),
  school_year     text NOT NULL CHECK (school_year ~ '^[0-9]{4}-[0-9]{4}$'),
  copies_count    integer NOT NULL CHECK (copies_count > 0),
  price_tiyn      bigint NOT NULL CHECK (price_tiyn >= 0),
  -- The day the library stamped the batch as its property; null while the books wait for the stamp.
  stamped_on      date,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX batches_title_idx ON textbooks.batches(organisation_id, work_id);

-- Copies in the library by condition; copies with students are the open issues.
-- The checks make the database refuse to hand out more than the shelf holds.
CREATE TABLE textbooks.stock (
  organisation_id bigint NOT NULL REFERENCES org.organisations(id),
  work_id         bigint NOT NULL REFERENCES catalog.works(id),
  good            integer NOT NULL DEFAULT 0 CHECK (good >= 0),
  worn            integer NOT NULL DEFAULT 0 CHECK (worn >= 0),
  unusable        integer NOT NULL DEFAULT 0 CHECK (unusable >= 0),
  lost            integer NOT NULL DEFAULT 0 CHECK (lost >= 0),
  PRIMARY KEY (organisation_id, work_id)
);

-- One row per copy handed to a student; returned_on and the condition are filled in on return.
CREATE TABLE textbooks.issues (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  reader_id        bigint NOT NULL REFERENCES readers.readers(id),
  work_id          bigint NOT NULL REFERENCES catalog.works(id),
  school_year      text NOT NULL CHECK (school_year ~ '^[0-9]{4}-[0-9]{4}$'),
  issued_on        date NOT NULL,
  issued_condition text NOT NULL CHECK (issued_condition IN ('good','worn')),
  barcode          text CHECK (barcode ~ '^[0-9]+$'),
  returned_on      date,
  return_condition text CHECK (return_condition IN ('good','worn','unusable','lost')),
  created_by       bigint REFERENCES org.users(id),
  CHECK ((returned_on IS NULL) = (return_condition IS NULL))
);
CREATE INDEX issues_reader_idx ON textbooks.issues(organisation_id, reader_id);
CREATE INDEX issues_open_idx ON textbooks.issues(organisation_id, work_id) WHERE returned_on IS NULL;
-- A numbered textbook can be with one student at a time.
CREATE UNIQUE INDEX issues_open_barcode ON textbooks.issues(organisation_id, barcode)
  WHERE returned_on IS NULL AND barcode IS NOT NULL;

-- Write-off acts of the textbook fund; numbered in the library's one sequence of write-off acts.
CREATE TABLE textbooks.write_off_acts (
  id              bigserial PRIMARY KEY,
  organisation_id bigint NOT NULL REFERENCES org.organisations(id),
  number          text NOT NULL,
  act_date        date NOT NULL,
  reason          text NOT NULL CHECK (reason IN ('wear','curriculum_change','loss')),
  note            text,
  created_by      bigint REFERENCES org.users(id),
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE textbooks.write_off_lines (
  act_id       bigint NOT NULL REFERENCES textbooks.write_off_acts(id) ON DELETE CASCADE,
  work_id      bigint NOT NULL REFERENCES catalog.works(id),
  condition    text NOT NULL CHECK (condition IN ('good','worn','unusable','lost')),
  copies_count integer NOT NULL CHECK (copies_count > 0),
  sum_tiyn     bigint NOT NULL CHECK (sum_tiyn >= 0),
  PRIMARY KEY (act_id, work_id, condition)
);

-- Textbook checks: the copies counted on the shelf by condition against the register.
CREATE TABLE textbooks.checks (
  id              bigserial PRIMARY KEY,
  organisation_id bigint NOT NULL REFERENCES org.organisations(id),
  checked_on      date NOT NULL,
  note            text,
  created_by      bigint REFERENCES org.users(id),
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE textbooks.check_lines (
  check_id          bigint NOT NULL REFERENCES textbooks.checks(id) ON DELETE CASCADE,
  work_id           bigint NOT NULL REFERENCES catalog.works(id),
  expected_good     integer NOT NULL,
  expected_worn     integer NOT NULL,
  expected_unusable integer NOT NULL,
  counted_good      integer NOT NULL CHECK (counted_good >= 0),
  counted_worn      integer NOT NULL CHECK (counted_worn >= 0),
  counted_unusable  integer NOT NULL CHECK (counted_unusable >= 0),
  PRIMARY KEY (check_id, work_id)
);
