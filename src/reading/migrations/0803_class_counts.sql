-- The class standings of a school year, kept per class: the pupils on each class's roll, and the
-- confirmed books of those pupils per school year (with how many of them read at least one). A
-- region's standings (hundreds of schools, a quarter of a million pupils) then read one row per class
-- instead of joining every pupil to their count. Kept by triggers on the per-reader counts
-- (reading.reader_year_books) and on the roll (readers.readers: a pupil who changes class, leaves or
-- comes back takes the counts along). A pupil is on a class's roll when an active student with a
-- grade; a class without a letter is kept under the letter ''. recountReaderYearBooks() rebuilds them.
CREATE TABLE reading.class_pupils (
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  grade            smallint NOT NULL,
  class_letter     text NOT NULL,
  pupils           integer NOT NULL DEFAULT 0,
  PRIMARY KEY (organisation_id, grade, class_letter)
);

CREATE TABLE reading.class_year_books (
  school_year      text NOT NULL,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  grade            smallint NOT NULL,
  class_letter     text NOT NULL,
  books            integer NOT NULL DEFAULT 0,
  readers          integer NOT NULL DEFAULT 0,
  PRIMARY KEY (school_year, organisation_id, grade, class_letter)
);

-- A reader's count of a school year changed: the change goes to the class the reader is on the roll of.
CREATE FUNCTION reading.count_year_books_in_class() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    SELECT organisation_id, grade, coalesce(class_letter, '') AS letter INTO r FROM readers.readers
      WHERE id = OLD.reader_id AND kind = 'student' AND status = 'active' AND grade IS NOT NULL;
    IF FOUND THEN
      UPDATE reading.class_year_books
        SET books = books - OLD.books, readers = readers - (OLD.books > 0)::int
        WHERE school_year = OLD.school_year AND organisation_id = r.organisation_id AND grade = r.grade AND class_letter = r.letter;
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    SELECT organisation_id, grade, coalesce(class_letter, '') AS letter INTO r FROM readers.readers
      WHERE id = NEW.reader_id AND kind = 'student' AND status = 'active' AND grade IS NOT NULL;
    IF FOUND THEN
      INSERT INTO reading.class_year_books (school_year, organisation_id, grade, class_letter, books, readers)
        VALUES (NEW.school_year, r.organisation_id, r.grade, r.letter, NEW.books, (NEW.books > 0)::int)
        ON CONFLICT (school_year, organisation_id, grade, class_letter) DO UPDATE
          SET books = reading.class_year_books.books + EXCLUDED.books, readers = reading.class_year_books.readers + EXCLUDED.readers;
    END IF;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER reader_year_books_count_class
  AFTER INSERT OR UPDATE OR DELETE ON reading.reader_year_books
  FOR EACH ROW EXECUTE FUNCTION reading.count_year_books_in_class();

-- A reader joins, leaves or changes a class's roll: the pupil and all of the reader's counts move.
-- Before a delete (while the reader's counts still exist), after an insert or an update.
CREATE FUNCTION reading.count_reader_in_class() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was boolean := false;
  is_now boolean := false;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    was := OLD.kind = 'student' AND OLD.status = 'active' AND OLD.grade IS NOT NULL;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    is_now := NEW.kind = 'student' AND NEW.status = 'active' AND NEW.grade IS NOT NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND was AND is_now AND OLD.organisation_id = NEW.organisation_id AND OLD.grade = NEW.grade
     AND coalesce(OLD.class_letter, '') = coalesce(NEW.class_letter, '') THEN
    RETURN NULL;
  END IF;
  IF was THEN
    UPDATE reading.class_pupils SET pupils = pupils - 1
      WHERE organisation_id = OLD.organisation_id AND grade = OLD.grade AND class_letter = coalesce(OLD.class_letter, '');
    UPDATE reading.class_year_books c SET books = c.books - y.books, readers = c.readers - (y.books > 0)::int
      FROM reading.reader_year_books y
      WHERE y.reader_id = OLD.id AND c.school_year = y.school_year AND c.organisation_id = OLD.organisation_id
        AND c.grade = OLD.grade AND c.class_letter = coalesce(OLD.class_letter, '');
  END IF;
  IF is_now THEN
    INSERT INTO reading.class_pupils (organisation_id, grade, class_letter, pupils)
      VALUES (NEW.organisation_id, NEW.grade, coalesce(NEW.class_letter, ''), 1)
      ON CONFLICT (organisation_id, grade, class_letter) DO UPDATE SET pupils = reading.class_pupils.pupils + 1;
    INSERT INTO reading.class_year_books (school_year, organisation_id, grade, class_letter, books, readers)
      SELECT y.school_year, NEW.organisation_id, NEW.grade, coalesce(NEW.class_letter, ''), y.books, (y.books > 0)::int
      FROM reading.reader_year_books y WHERE y.reader_id = NEW.id
      ON CONFLICT (school_year, organisation_id, grade, class_letter) DO UPDATE
        SET books = reading.class_year_books.books + EXCLUDED.books, readers = reading.class_year_books.readers + EXCLUDED.readers;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER readers_count_class
  AFTER INSERT OR UPDATE OF organisation_id, kind, status, grade, class_letter ON readers.readers
  FOR EACH ROW EXECUTE FUNCTION reading.count_reader_in_class();
CREATE TRIGGER readers_uncount_class
  BEFORE DELETE ON readers.readers
  FOR EACH ROW EXECUTE FUNCTION reading.count_reader_in_class();

-- what the libraries already hold
INSERT INTO reading.class_pupils (organisation_id, grade, class_letter, pupils)
  SELECT organisation_id, grade, coalesce(class_letter, ''), count(*)::int FROM readers.readers
  WHERE kind = 'student' AND status = 'active' AND grade IS NOT NULL
  GROUP BY 1, 2, 3;
INSERT INTO reading.class_year_books (school_year, organisation_id, grade, class_letter, books, readers)
  SELECT y.school_year, r.organisation_id, r.grade, coalesce(r.class_letter, ''), sum(y.books)::int, count(*) FILTER (WHERE y.books > 0)::int
  FROM reading.reader_year_books y JOIN readers.readers r ON r.id = y.reader_id
  WHERE r.kind = 'student' AND r.status = 'active' AND r.grade IS NOT NULL
  GROUP BY 1, 2, 3, 4;
