-- A reader's reading records of past years that the library's retention removed leave their
-- numbers behind: per reader and period (a calendar year '2023' or a school year '2022-2023'), the
-- distinct books confirmed and their pages, counted while all the period's records were there.
-- Standings and the active share read these instead of the records for that reader and period,
-- so no past figure moves; the titles, dates and notes are gone. A pupil still at school keeps
-- every record and has no row here.
CREATE TABLE reading.kept_books (
  reader_id        bigint NOT NULL REFERENCES readers.readers(id) ON DELETE CASCADE,
  period           text NOT NULL CHECK (period ~ '^[0-9]{4}(-[0-9]{4})?$'),
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  books            integer NOT NULL CHECK (books >= 0),
  pages            integer NOT NULL DEFAULT 0 CHECK (pages >= 0),
  kept_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (reader_id, period)
);
CREATE INDEX kept_books_org_idx ON reading.kept_books(period, organisation_id) INCLUDE (reader_id, books, pages);
