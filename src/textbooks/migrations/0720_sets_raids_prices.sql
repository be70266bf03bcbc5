-- A class raid (рейд): the librarian goes through a class and notes the condition of each copy each pupil holds.
CREATE TABLE textbooks.raids (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  school_year      text NOT NULL,
  grade            smallint NOT NULL,
  class_letter     text NOT NULL,
  raid_on          date NOT NULL,
  note             text,
  created_by       bigint REFERENCES org.users(id),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX raids_org_idx ON textbooks.raids(organisation_id, school_year, grade, class_letter);

CREATE TABLE textbooks.raid_lines (
  raid_id    bigint NOT NULL REFERENCES textbooks.raids(id) ON DELETE CASCADE,
  reader_id  bigint NOT NULL REFERENCES readers.readers(id),
  work_id    bigint NOT NULL REFERENCES catalog.works(id),
  -- absent: the pupil did not have the copy with them at the raid
  condition  text NOT NULL CHECK (condition IN ('good','worn','unusable','absent')),
  note       text,
  PRIMARY KEY (raid_id, reader_id, work_id)
);

-- The ministry's price list for a school year, imported from its spreadsheet: the order values titles at it.
CREATE TABLE textbooks.prices (
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  school_year      text NOT NULL,
  work_id          bigint NOT NULL REFERENCES catalog.works(id),
  price_tiyn       bigint NOT NULL CHECK (price_tiyn >= 0),
  PRIMARY KEY (organisation_id, school_year, work_id)
);
