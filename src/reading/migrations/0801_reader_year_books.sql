-- Confirmed books per reader per school year, kept by a trigger as records are confirmed, rejected
-- or removed: the standings of a region (hundreds of schools, millions of records) read this
-- table of one row per reader instead of counting the records each time.
CREATE TABLE reading.reader_year_books (
  reader_id        bigint NOT NULL REFERENCES readers.readers(id) ON DELETE CASCADE,
  school_year      text NOT NULL,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  books            integer NOT NULL DEFAULT 0,
  PRIMARY KEY (reader_id, school_year)
);
CREATE INDEX reader_year_books_org_idx ON reading.reader_year_books(school_year, organisation_id) INCLUDE (reader_id, books);

CREATE FUNCTION reading.count_confirmed_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'confirmed' THEN
    UPDATE reading.reader_year_books SET books = books - 1
      WHERE reader_id = OLD.reader_id AND school_year = OLD.school_year;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'confirmed' THEN
    INSERT INTO reading.reader_year_books (reader_id, school_year, organisation_id, books)
      VALUES (NEW.reader_id, NEW.school_year, NEW.organisation_id, 1)
      ON CONFLICT (reader_id, school_year) DO UPDATE SET books = reading.reader_year_books.books + 1;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER records_count_confirmed
  AFTER INSERT OR DELETE OR UPDATE OF status, reader_id, school_year ON reading.records
  FOR EACH ROW EXECUTE FUNCTION reading.count_confirmed_record();
