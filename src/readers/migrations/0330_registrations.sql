-- Readers of a period: registered or re-registered in it under the library's registration number.
-- A row per reader and cycle ('2024' a calendar year, '2024-2025' a school year), made at the reader's
-- first visit or loan of the cycle, or in bulk for a class. The report group is kept as it was then,
-- so a later promotion or anonymisation never changes a past year's figures.
CREATE TABLE readers.registrations (
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  reader_id        bigint NOT NULL REFERENCES readers.readers(id) ON DELETE CASCADE,
  cycle            text NOT NULL CHECK (cycle ~ '^[0-9]{4}(-[0-9]{4})?$'),
  registered_on    date NOT NULL,
  reader_group     text NOT NULL CHECK (reader_group IN ('grades_1_4','grades_5_9','grades_10_11','teachers','others')),
  how              text NOT NULL CHECK (how IN ('visit','loan','bulk','new')),
  PRIMARY KEY (reader_id, cycle)
);
CREATE INDEX registrations_org_cycle_idx ON readers.registrations(organisation_id, cycle, reader_group);
