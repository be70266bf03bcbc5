-- What the annual report counts from the busiest tables — loans, visits, reading-room use, textbook
-- issues — kept per library and period as those rows are written, so that a district, a region or the
-- republic reads a few rows per library instead of counting millions of loans (docs/reports.md). A row
-- counts in the two periods that hold its day: the calendar year ('2025') and the school year
-- ('2025-2026'). The numbers are what counting the rows gives: the triggers follow every insert and
-- delete of those rows and every change of what a count depends on (a loan's copy or day, a copy's
-- work, fund or receipt line, a work's group or language, a receipt line's group, a library's time
-- zone); src/reports/running.test.ts compares both ways of counting on a generated year.

-- The calendar year and the school year (September to August) of a day.
CREATE FUNCTION reports.periods_of(day date) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY[extract(year FROM day)::int::text,
               CASE WHEN extract(month FROM day) >= 9 THEN extract(year FROM day)::int || '-' || (extract(year FROM day)::int + 1)
                    ELSE (extract(year FROM day)::int - 1) || '-' || extract(year FROM day)::int END]
$$;

-- The report's language group of a work's language code and knowledge domain of a copy, as
-- src/reports/sections.ts counts them from the rows (langOf, domainOf).
CREATE FUNCTION reports.language_of(language text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE lower(trim(coalesce(language, ''))) WHEN 'kaz' THEN 'kk' WHEN 'kk' THEN 'kk' WHEN 'rus' THEN 'ru' WHEN 'ru' THEN 'ru' ELSE 'other' END
$$;
CREATE FUNCTION reports.domain_of(line_group text, fund text, work_group text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(line_group, CASE WHEN fund = 'textbook' THEN 'textbooks'
    WHEN work_group IN ('socio_political','natural_sciences','technology_agriculture','sport_arts','linguistics_literature','fiction','other')
    THEN work_group ELSE 'other' END)
$$;

-- Loans home (by fund, domain and language), reader-days (desk or reading room) and reading-room items
-- (by domain and language) of a library in a period.
CREATE TABLE reports.running_counts (
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  period           text NOT NULL,
  what             text NOT NULL CHECK (what IN ('loan','visit','reading_room')),
  reading_room     boolean NOT NULL DEFAULT false,
  fund             text NOT NULL DEFAULT '',
  domain           text NOT NULL DEFAULT '',
  language         text NOT NULL DEFAULT '',
  n                bigint NOT NULL,
  PRIMARY KEY (organisation_id, period, what, reading_room, fund, domain, language)
);

-- Textbook issues by title: the title's language is read when the report is made.
CREATE TABLE reports.running_textbook_issues (
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  period           text NOT NULL,
  work_id          bigint NOT NULL,
  n                bigint NOT NULL,
  PRIMARY KEY (organisation_id, period, work_id)
);

-- Visit-days of each reader in a period, for the regular visitors (at least N days). Derived from
-- circulation.visits alone: the row goes with the reader's last visit of the period (retention,
-- erasure), so nothing stays of a reader whose visits are gone.
CREATE TABLE reports.running_visit_days (
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  period           text NOT NULL,
  reader_id        bigint NOT NULL,
  days             integer NOT NULL,
  PRIMARY KEY (organisation_id, period, reader_id) INCLUDE (days)
);

-- The cells a loan counts in: its periods (its day in the library's time zone), fund, domain, language.
CREATE FUNCTION reports.loan_cells(org bigint, copy bigint, issued timestamptz)
RETURNS TABLE (period text, fund text, domain text, language text) LANGUAGE sql STABLE AS $$
  SELECT p.period, CASE WHEN c.fund = 'textbook' THEN 'textbooks' ELSE 'main' END,
         reports.domain_of(rl.knowledge_group, c.fund, w.knowledge_group), reports.language_of(w.language)
    FROM fund.copies c
    JOIN catalog.works w ON w.id = c.work_id
    JOIN org.organisations o ON o.id = org
    LEFT JOIN fund.receipt_lines rl ON rl.id = c.receipt_line_id
    CROSS JOIN LATERAL unnest(reports.periods_of((issued AT TIME ZONE o.time_zone)::date)) AS p(period)
   WHERE c.id = copy
$$;

-- The cells a reading-room use counts in (a use without a copy is in domain 'other').
CREATE FUNCTION reports.reading_room_cells(copy bigint, used date)
RETURNS TABLE (period text, domain text, language text) LANGUAGE sql STABLE AS $$
  SELECT p.period, CASE WHEN c.id IS NULL THEN 'other' ELSE reports.domain_of(rl.knowledge_group, c.fund, w.knowledge_group) END,
         reports.language_of(w.language)
    FROM unnest(reports.periods_of(used)) AS p(period)
    LEFT JOIN fund.copies c ON c.id = copy
    LEFT JOIN catalog.works w ON w.id = c.work_id
    LEFT JOIN fund.receipt_lines rl ON rl.id = c.receipt_line_id
$$;

-- Adds (delta 1) or takes away (-1) rows of the counted tables, given column by column. The triggers
-- below call these for the rows a statement inserted or deleted, and for a row's old and new version
-- when something it is counted by changes.
CREATE FUNCTION reports.add_loans(orgs bigint[], copies bigint[], issued timestamptz[], delta int) RETURNS void LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  INSERT INTO reports.running_counts AS k (organisation_id, period, what, fund, domain, language, n)
    SELECT l.org, x.period, 'loan', x.fund, x.domain, x.language, count(*) * delta
      FROM unnest(orgs, copies, issued) AS l(org, copy, issued)
      CROSS JOIN LATERAL reports.loan_cells(l.org, l.copy, l.issued) x
     GROUP BY 1, 2, 4, 5, 6 ORDER BY 1, 2, 4, 5, 6
    ON CONFLICT (organisation_id, period, what, reading_room, fund, domain, language) DO UPDATE SET n = k.n + excluded.n;
END
$$;

CREATE FUNCTION reports.add_reading_room(orgs bigint[], copies bigint[], used date[], items int[], delta int) RETURNS void LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  INSERT INTO reports.running_counts AS k (organisation_id, period, what, domain, language, n)
    SELECT u.org, x.period, 'reading_room', x.domain, x.language, sum(u.items) * delta
      FROM unnest(orgs, copies, used, items) AS u(org, copy, used, items)
      CROSS JOIN LATERAL reports.reading_room_cells(u.copy, u.used) x
     GROUP BY 1, 2, 4, 5 ORDER BY 1, 2, 4, 5
    ON CONFLICT (organisation_id, period, what, reading_room, fund, domain, language) DO UPDATE SET n = k.n + excluded.n;
END
$$;

CREATE FUNCTION reports.add_textbook_issues(orgs bigint[], works bigint[], issued date[], delta int) RETURNS void LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  INSERT INTO reports.running_textbook_issues AS k (organisation_id, period, work_id, n)
    SELECT i.org, p.period, i.work, count(*) * delta
      FROM unnest(orgs, works, issued) AS i(org, work, issued)
      CROSS JOIN LATERAL unnest(reports.periods_of(i.issued)) AS p(period)
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (organisation_id, period, work_id) DO UPDATE SET n = k.n + excluded.n;
END
$$;

CREATE FUNCTION reports.add_visits(orgs bigint[], readers bigint[], visit_days date[], rooms boolean[], delta int) RETURNS void LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  INSERT INTO reports.running_counts AS k (organisation_id, period, what, reading_room, n)
  SELECT v.org, p.period, 'visit', v.room, count(*) * delta
    FROM unnest(orgs, visit_days, rooms) AS v(org, day, room) CROSS JOIN LATERAL unnest(reports.periods_of(v.day)) AS p(period)
   GROUP BY 1, 2, 4 ORDER BY 1, 2, 4
  ON CONFLICT (organisation_id, period, what, reading_room, fund, domain, language) DO UPDATE SET n = k.n + excluded.n;
  INSERT INTO reports.running_visit_days AS k (organisation_id, period, reader_id, days)
  SELECT v.org, p.period, v.reader, count(*) * delta
    FROM unnest(orgs, readers, visit_days) AS v(org, reader, day) CROSS JOIN LATERAL unnest(reports.periods_of(v.day)) AS p(period)
   GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (organisation_id, period, reader_id) DO UPDATE SET days = k.days + excluded.days;
  IF delta < 0 THEN
    DELETE FROM reports.running_visit_days k
     USING unnest(orgs, readers, visit_days) AS v(org, reader, day) CROSS JOIN LATERAL unnest(reports.periods_of(v.day)) AS p(period)
     WHERE k.organisation_id = v.org AND k.period = p.period AND k.reader_id = v.reader AND k.days <= 0;
  END IF;
END
$$;

-- Everything counted of some copies (their loans and reading-room uses), or of a library's loans: taken
-- away before a change of what they are counted by, added back after it.
CREATE FUNCTION reports.count_copies(copies bigint[], delta int) RETURNS void LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  PERFORM reports.add_loans(array_agg(organisation_id), array_agg(copy_id), array_agg(issued_at), delta)
      FROM circulation.loans WHERE copy_id = ANY(copies);
  PERFORM reports.add_reading_room(array_agg(organisation_id), array_agg(copy_id), array_agg(used_on), array_agg(items), delta)
      FROM circulation.reading_room_uses WHERE copy_id = ANY(copies);
END
$$;

CREATE FUNCTION reports.count_library_loans(org bigint, delta int) RETURNS void LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  PERFORM reports.add_loans(array_agg(organisation_id), array_agg(copy_id), array_agg(issued_at), delta)
      FROM circulation.loans WHERE organisation_id = org;
END
$$;

-- The triggers. Inserts and deletes are counted a statement at a time (a retention folds thousands of
-- loans in one; the desk's issue writes one loan and its visit), straight from the statement's rows;
-- a change of a counted row takes its old version away and adds its new one. The plans are made once
-- per session (force_generic_plan): planning the statement anew each time cost more than running it.
CREATE FUNCTION reports.count_rows() RETURNS trigger LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  delta int := CASE WHEN TG_OP = 'DELETE' THEN -1 ELSE 1 END;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM changed) THEN
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME = 'loans' THEN
    INSERT INTO reports.running_counts AS k (organisation_id, period, what, fund, domain, language, n)
    SELECT l.organisation_id, x.period, 'loan', x.fund, x.domain, x.language, count(*) * delta
      FROM changed l CROSS JOIN LATERAL reports.loan_cells(l.organisation_id, l.copy_id, l.issued_at) x
     GROUP BY 1, 2, 4, 5, 6 ORDER BY 1, 2, 4, 5, 6
    ON CONFLICT (organisation_id, period, what, reading_room, fund, domain, language) DO UPDATE SET n = k.n + excluded.n;
  ELSIF TG_TABLE_NAME = 'reading_room_uses' THEN
    INSERT INTO reports.running_counts AS k (organisation_id, period, what, domain, language, n)
    SELECT u.organisation_id, x.period, 'reading_room', x.domain, x.language, sum(u.items) * delta
      FROM changed u CROSS JOIN LATERAL reports.reading_room_cells(u.copy_id, u.used_on) x
     GROUP BY 1, 2, 4, 5 ORDER BY 1, 2, 4, 5
    ON CONFLICT (organisation_id, period, what, reading_room, fund, domain, language) DO UPDATE SET n = k.n + excluded.n;
  ELSIF TG_TABLE_NAME = 'visits' THEN
    INSERT INTO reports.running_counts AS k (organisation_id, period, what, reading_room, n)
    SELECT v.organisation_id, p.period, 'visit', v.reading_room, count(*) * delta
      FROM changed v CROSS JOIN LATERAL unnest(reports.periods_of(v.visited_on)) AS p(period)
     GROUP BY 1, 2, 4 ORDER BY 1, 2, 4
    ON CONFLICT (organisation_id, period, what, reading_room, fund, domain, language) DO UPDATE SET n = k.n + excluded.n;
    INSERT INTO reports.running_visit_days AS k (organisation_id, period, reader_id, days)
    SELECT v.organisation_id, p.period, v.reader_id, count(*) * delta
      FROM changed v CROSS JOIN LATERAL unnest(reports.periods_of(v.visited_on)) AS p(period)
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (organisation_id, period, reader_id) DO UPDATE SET days = k.days + excluded.days;
    IF delta < 0 THEN
      DELETE FROM reports.running_visit_days k
       USING changed v CROSS JOIN LATERAL unnest(reports.periods_of(v.visited_on)) AS p(period)
       WHERE k.organisation_id = v.organisation_id AND k.period = p.period AND k.reader_id = v.reader_id AND k.days <= 0;
    END IF;
  ELSIF TG_TABLE_SCHEMA = 'textbooks' AND TG_TABLE_NAME = 'issues' THEN
    INSERT INTO reports.running_textbook_issues AS k (organisation_id, period, work_id, n)
    SELECT i.organisation_id, p.period, i.work_id, count(*) * delta
      FROM changed i CROSS JOIN LATERAL unnest(reports.periods_of(i.issued_on)) AS p(period)
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (organisation_id, period, work_id) DO UPDATE SET n = k.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION reports.recount_row() RETURNS trigger LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  IF TG_TABLE_NAME = 'loans' THEN
    PERFORM reports.add_loans(ARRAY[OLD.organisation_id], ARRAY[OLD.copy_id], ARRAY[OLD.issued_at], -1);
    PERFORM reports.add_loans(ARRAY[NEW.organisation_id], ARRAY[NEW.copy_id], ARRAY[NEW.issued_at], 1);
  ELSIF TG_TABLE_NAME = 'reading_room_uses' THEN
    PERFORM reports.add_reading_room(ARRAY[OLD.organisation_id], ARRAY[OLD.copy_id], ARRAY[OLD.used_on], ARRAY[OLD.items], -1);
    PERFORM reports.add_reading_room(ARRAY[NEW.organisation_id], ARRAY[NEW.copy_id], ARRAY[NEW.used_on], ARRAY[NEW.items], 1);
  ELSIF TG_TABLE_NAME = 'visits' THEN
    PERFORM reports.add_visits(ARRAY[OLD.organisation_id], ARRAY[OLD.reader_id], ARRAY[OLD.visited_on], ARRAY[OLD.reading_room], -1);
    PERFORM reports.add_visits(ARRAY[NEW.organisation_id], ARRAY[NEW.reader_id], ARRAY[NEW.visited_on], ARRAY[NEW.reading_room], 1);
  ELSIF TG_TABLE_SCHEMA = 'textbooks' AND TG_TABLE_NAME = 'issues' THEN
    PERFORM reports.add_textbook_issues(ARRAY[OLD.organisation_id], ARRAY[OLD.work_id], ARRAY[OLD.issued_on], -1);
    PERFORM reports.add_textbook_issues(ARRAY[NEW.organisation_id], ARRAY[NEW.work_id], ARRAY[NEW.issued_on], 1);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER loans_counted_in AFTER INSERT ON circulation.loans
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION reports.count_rows();
CREATE TRIGGER loans_counted_out AFTER DELETE ON circulation.loans
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION reports.count_rows();
CREATE TRIGGER loans_counted_change AFTER UPDATE OF organisation_id, copy_id, issued_at ON circulation.loans FOR EACH ROW
  WHEN (OLD.organisation_id IS DISTINCT FROM NEW.organisation_id OR OLD.copy_id IS DISTINCT FROM NEW.copy_id OR OLD.issued_at IS DISTINCT FROM NEW.issued_at)
  EXECUTE FUNCTION reports.recount_row();

CREATE TRIGGER reading_room_counted_in AFTER INSERT ON circulation.reading_room_uses
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION reports.count_rows();
CREATE TRIGGER reading_room_counted_out AFTER DELETE ON circulation.reading_room_uses
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION reports.count_rows();
CREATE TRIGGER reading_room_counted_change AFTER UPDATE OF organisation_id, copy_id, used_on, items ON circulation.reading_room_uses FOR EACH ROW
  WHEN (OLD.organisation_id IS DISTINCT FROM NEW.organisation_id OR OLD.copy_id IS DISTINCT FROM NEW.copy_id
        OR OLD.used_on IS DISTINCT FROM NEW.used_on OR OLD.items IS DISTINCT FROM NEW.items)
  EXECUTE FUNCTION reports.recount_row();

CREATE TRIGGER visits_counted_in AFTER INSERT ON circulation.visits
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION reports.count_rows();
CREATE TRIGGER visits_counted_out AFTER DELETE ON circulation.visits
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION reports.count_rows();
CREATE TRIGGER visits_counted_change AFTER UPDATE OF organisation_id, reader_id, visited_on, reading_room ON circulation.visits FOR EACH ROW
  WHEN (OLD.organisation_id IS DISTINCT FROM NEW.organisation_id OR OLD.reader_id IS DISTINCT FROM NEW.reader_id
        OR OLD.visited_on IS DISTINCT FROM NEW.visited_on OR OLD.reading_room IS DISTINCT FROM NEW.reading_room)
  EXECUTE FUNCTION reports.recount_row();

CREATE TRIGGER textbook_issues_counted_in AFTER INSERT ON textbooks.issues
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION reports.count_rows();
CREATE TRIGGER textbook_issues_counted_out AFTER DELETE ON textbooks.issues
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION reports.count_rows();
CREATE TRIGGER textbook_issues_counted_change AFTER UPDATE OF organisation_id, work_id, issued_on ON textbooks.issues FOR EACH ROW
  WHEN (OLD.organisation_id IS DISTINCT FROM NEW.organisation_id OR OLD.work_id IS DISTINCT FROM NEW.work_id OR OLD.issued_on IS DISTINCT FROM NEW.issued_on)
  EXECUTE FUNCTION reports.recount_row();

-- What loans and reading-room uses are counted by, changed elsewhere: the counts of the copies concerned
-- are taken away before the change (the tables still say what was) and added back after it.
CREATE FUNCTION reports.move_counts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  delta int := CASE WHEN TG_WHEN = 'BEFORE' THEN -1 ELSE 1 END;
BEGIN
  IF TG_TABLE_NAME = 'works' THEN
    PERFORM reports.count_copies(ARRAY(SELECT id FROM fund.copies WHERE work_id = OLD.id), delta);
  ELSIF TG_TABLE_NAME = 'copies' THEN
    PERFORM reports.count_copies(ARRAY[OLD.id], delta);
  ELSIF TG_TABLE_NAME = 'receipt_lines' THEN
    PERFORM reports.count_copies(ARRAY(SELECT id FROM fund.copies WHERE receipt_id = OLD.receipt_id AND receipt_line_id = OLD.id), delta);
  ELSIF TG_TABLE_NAME = 'organisations' THEN
    PERFORM reports.count_library_loans(OLD.id, delta);
  END IF;
  RETURN CASE WHEN TG_WHEN = 'BEFORE' THEN NEW ELSE NULL END;
END
$$;

CREATE TRIGGER works_counted_before BEFORE UPDATE OF language, knowledge_group ON catalog.works FOR EACH ROW
  WHEN (OLD.language IS DISTINCT FROM NEW.language OR OLD.knowledge_group IS DISTINCT FROM NEW.knowledge_group)
  EXECUTE FUNCTION reports.move_counts();
CREATE TRIGGER works_counted_after AFTER UPDATE OF language, knowledge_group ON catalog.works FOR EACH ROW
  WHEN (OLD.language IS DISTINCT FROM NEW.language OR OLD.knowledge_group IS DISTINCT FROM NEW.knowledge_group)
  EXECUTE FUNCTION reports.move_counts();
CREATE TRIGGER copies_counted_before BEFORE UPDATE OF work_id, fund, receipt_line_id ON fund.copies FOR EACH ROW
  WHEN (OLD.work_id IS DISTINCT FROM NEW.work_id OR OLD.fund IS DISTINCT FROM NEW.fund OR OLD.receipt_line_id IS DISTINCT FROM NEW.receipt_line_id)
  EXECUTE FUNCTION reports.move_counts();
CREATE TRIGGER copies_counted_after AFTER UPDATE OF work_id, fund, receipt_line_id ON fund.copies FOR EACH ROW
  WHEN (OLD.work_id IS DISTINCT FROM NEW.work_id OR OLD.fund IS DISTINCT FROM NEW.fund OR OLD.receipt_line_id IS DISTINCT FROM NEW.receipt_line_id)
  EXECUTE FUNCTION reports.move_counts();
CREATE TRIGGER receipt_lines_counted_before BEFORE UPDATE OF knowledge_group ON fund.receipt_lines FOR EACH ROW
  WHEN (OLD.knowledge_group IS DISTINCT FROM NEW.knowledge_group)
  EXECUTE FUNCTION reports.move_counts();
CREATE TRIGGER receipt_lines_counted_after AFTER UPDATE OF knowledge_group ON fund.receipt_lines FOR EACH ROW
  WHEN (OLD.knowledge_group IS DISTINCT FROM NEW.knowledge_group)
  EXECUTE FUNCTION reports.move_counts();
CREATE TRIGGER organisations_counted_before BEFORE UPDATE OF time_zone ON org.organisations FOR EACH ROW
  WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone)
  EXECUTE FUNCTION reports.move_counts();
CREATE TRIGGER organisations_counted_after AFTER UPDATE OF time_zone ON org.organisations FOR EACH ROW
  WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone)
  EXECUTE FUNCTION reports.move_counts();

-- Reading-room uses of one copy are found when the copy changes.
CREATE INDEX reading_room_uses_copy_idx ON circulation.reading_room_uses(copy_id) WHERE copy_id IS NOT NULL;

-- All the running counts made again from the rows, in a few statements with hash joins (the triggers'
-- functions look each row's copy up one at a time): for the rows already there when this migration
-- runs, and for a bulk load made with the triggers switched off (the benchmark).
CREATE FUNCTION reports.recount_running() RETURNS void LANGUAGE sql AS $$
  DELETE FROM reports.running_counts;
  DELETE FROM reports.running_textbook_issues;
  DELETE FROM reports.running_visit_days;
  INSERT INTO reports.running_counts (organisation_id, period, what, fund, domain, language, n)
  SELECT l.organisation_id, p.period, 'loan', CASE WHEN c.fund = 'textbook' THEN 'textbooks' ELSE 'main' END,
         reports.domain_of(rl.knowledge_group, c.fund, w.knowledge_group), reports.language_of(w.language), count(*)
    FROM circulation.loans l
    JOIN org.organisations o ON o.id = l.organisation_id
    JOIN fund.copies c ON c.id = l.copy_id
    JOIN catalog.works w ON w.id = c.work_id
    LEFT JOIN fund.receipt_lines rl ON rl.id = c.receipt_line_id
    CROSS JOIN LATERAL unnest(reports.periods_of((l.issued_at AT TIME ZONE o.time_zone)::date)) AS p(period)
   GROUP BY 1, 2, 4, 5, 6;
  INSERT INTO reports.running_counts (organisation_id, period, what, domain, language, n)
  SELECT u.organisation_id, p.period, 'reading_room',
         CASE WHEN c.id IS NULL THEN 'other' ELSE reports.domain_of(rl.knowledge_group, c.fund, w.knowledge_group) END,
         reports.language_of(w.language), sum(u.items)
    FROM circulation.reading_room_uses u
    LEFT JOIN fund.copies c ON c.id = u.copy_id
    LEFT JOIN catalog.works w ON w.id = c.work_id
    LEFT JOIN fund.receipt_lines rl ON rl.id = c.receipt_line_id
    CROSS JOIN LATERAL unnest(reports.periods_of(u.used_on)) AS p(period)
   GROUP BY 1, 2, 4, 5;
  INSERT INTO reports.running_counts (organisation_id, period, what, reading_room, n)
  SELECT v.organisation_id, p.period, 'visit', v.reading_room, count(*)
    FROM circulation.visits v CROSS JOIN LATERAL unnest(reports.periods_of(v.visited_on)) AS p(period)
   GROUP BY 1, 2, 4;
  INSERT INTO reports.running_visit_days (organisation_id, period, reader_id, days)
  SELECT v.organisation_id, p.period, v.reader_id, count(*)
    FROM circulation.visits v CROSS JOIN LATERAL unnest(reports.periods_of(v.visited_on)) AS p(period)
   GROUP BY 1, 2, 3;
  INSERT INTO reports.running_textbook_issues (organisation_id, period, work_id, n)
  SELECT i.organisation_id, p.period, i.work_id, count(*)
    FROM textbooks.issues i CROSS JOIN LATERAL unnest(reports.periods_of(i.issued_on)) AS p(period)
   GROUP BY 1, 2, 3;
$$;

SET LOCAL work_mem = '64MB';
SELECT reports.recount_running();
