-- The fund at the start and end of a period, its acquisitions and its write-offs are counted from every
-- receipt line, textbook batch and write-off line a library ever booked (two million lines in a region of
-- 700 schools), yet they change a few times a year. The report keeps them per library and period once
-- counted (reports.fund_figures) with the library's version of its fund documents at that moment; every
-- change of what they are counted from moves the version on (the triggers below), and a kept figure of
-- an older version is counted again when the report next asks for it (src/reports/sections.ts).

CREATE TABLE reports.fund_versions (
  organisation_id  bigint PRIMARY KEY REFERENCES org.organisations(id),
  version          bigint NOT NULL
);

CREATE TABLE reports.fund_figures (
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  period           text NOT NULL,
  -- the library's fund_versions.version when they were counted (0: no row there yet)
  version          bigint NOT NULL,
  -- what counted them: a digest of the counting code, so a new release counts again
  counted_by       text NOT NULL,
  figures          jsonb NOT NULL,
  PRIMARY KEY (organisation_id, period)
);

-- Moves the version of the libraries given on.
CREATE FUNCTION reports.touch_fund(orgs bigint[]) RETURNS void LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  INSERT INTO reports.fund_versions AS v (organisation_id, version)
  SELECT DISTINCT o, 1 FROM unnest(orgs) AS o WHERE o IS NOT NULL ORDER BY 1
  ON CONFLICT (organisation_id) DO UPDATE SET version = v.version + 1;
END
$$;

-- The documents of the fund: any row inserted, changed or deleted moves its library's version on.
CREATE FUNCTION reports.fund_changed() RETURNS trigger LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    IF TG_TABLE_SCHEMA = 'fund' AND TG_TABLE_NAME = 'receipt_lines' THEN
      PERFORM reports.touch_fund(ARRAY(SELECT r.organisation_id FROM came l JOIN fund.receipts r ON r.id = l.receipt_id));
    ELSIF TG_TABLE_SCHEMA = 'fund' AND TG_TABLE_NAME = 'write_off_lines' THEN
      PERFORM reports.touch_fund(ARRAY(SELECT a.organisation_id FROM came l JOIN fund.write_off_acts a ON a.id = l.act_id));
    ELSIF TG_TABLE_SCHEMA = 'textbooks' AND TG_TABLE_NAME = 'write_off_lines' THEN
      PERFORM reports.touch_fund(ARRAY(SELECT a.organisation_id FROM came l JOIN textbooks.write_off_acts a ON a.id = l.act_id));
    ELSE
      PERFORM reports.touch_fund(ARRAY(SELECT organisation_id FROM came));
    END IF;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    IF TG_TABLE_SCHEMA = 'fund' AND TG_TABLE_NAME = 'receipt_lines' THEN
      PERFORM reports.touch_fund(ARRAY(SELECT r.organisation_id FROM gone l JOIN fund.receipts r ON r.id = l.receipt_id));
    ELSIF TG_TABLE_SCHEMA = 'fund' AND TG_TABLE_NAME = 'write_off_lines' THEN
      PERFORM reports.touch_fund(ARRAY(SELECT a.organisation_id FROM gone l JOIN fund.write_off_acts a ON a.id = l.act_id));
    ELSIF TG_TABLE_SCHEMA = 'textbooks' AND TG_TABLE_NAME = 'write_off_lines' THEN
      PERFORM reports.touch_fund(ARRAY(SELECT a.organisation_id FROM gone l JOIN textbooks.write_off_acts a ON a.id = l.act_id));
    ELSE
      PERFORM reports.touch_fund(ARRAY(SELECT organisation_id FROM gone));
    END IF;
  END IF;
  RETURN NULL;
END
$$;

-- (A line deleted with its act, ON DELETE CASCADE, finds no act any more: the act's own delete has
-- moved the version on.)
CREATE TRIGGER receipts_fund_in AFTER INSERT ON fund.receipts REFERENCING NEW TABLE AS came FOR EACH STATEMENT EXECUTE FUNCTION reports.fund_changed();
CREATE TRIGGER receipts_fund_change AFTER UPDATE ON fund.receipts REFERENCING OLD TABLE AS gone NEW TABLE AS came FOR EACH STATEMENT EXECUTE FUNCTION reports.fund_changed();
CREATE TRIGGER receipts_fund_out AFTER DELETE ON fund.receipts REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION reports.fund_changed();
CREATE TRIGGER receipt_lines_fund_in AFTER INSERT ON fund.receipt_lines REFERENCING NEW TABLE AS came FOR EACH STATEMENT EXECUTE FUNCTION reports.fund_changed();
CREATE TRIGGER receipt_lines_fund_change AFTER UPDATE ON fund.receipt_lines REFERENCING OLD TABLE AS gone NEW TABLE AS came FOR EACH STATEMENT EXECUTE FUNCTION reports.fund_changed();
CREATE TRIGGER receipt_lines_fund_out AFTER DELETE ON fund.receipt_lines REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION reports.fund_changed();
CREATE TRIGGER batches_fund_in AFTER INSERT ON textbooks.batches REFERENCING NEW TABLE AS came FOR EACH STATEMENT EXECUTE FUNCTION reports.fund_changed();
CREATE TRIGGER batches_fund_change AFTER UPDATE ON textbooks.batches REFERENCING OLD TABLE AS gone NEW TABLE AS came FOR EACH STATEMENT EXECUTE FUNCTION reports.fund_changed();
CREATE TRIGGER batches_fund_out AFTER DELETE ON textbooks.batches REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION reports.fund_changed();
CREATE TRIGGER write_off_acts_fund_in AFTER INSERT ON fund.write_off_acts REFERENCING NEW TABLE AS came FOR EACH STATEMENT EXECUTE FUNCTION reports.fund_changed();
CREATE TRIGGER write_off_acts_fund_change AFTER UPDATE ON fund.write_off_acts REFERENCING OLD TABLE AS gone NEW TABLE AS came FOR EACH STATEMENT EXECUTE FUNCTION reports.fund_changed();
CREATE TRIGGER write_off_acts_fund_out AFTER DELETE ON fund.write_off_acts REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION reports.fund_changed();
CREATE TRIGGER write_off_lines_fund_in AFTER INSERT ON fund.write_off_lines REFERENCING NEW TABLE AS came FOR EACH STATEMENT EXECUTE FUNCTION reports.fund_changed();
CREATE TRIGGER write_off_lines_fund_change AFTER UPDATE ON fund.write_off_lines REFERENCING OLD TABLE AS gone NEW TABLE AS came FOR EACH STATEMENT EXECUTE FUNCTION reports.fund_changed();
CREATE TRIGGER write_off_lines_fund_out AFTER DELETE ON fund.write_off_lines REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION reports.fund_changed();
CREATE TRIGGER textbook_acts_fund_in AFTER INSERT ON textbooks.write_off_acts REFERENCING NEW TABLE AS came FOR EACH STATEMENT EXECUTE FUNCTION reports.fund_changed();
CREATE TRIGGER textbook_acts_fund_change AFTER UPDATE ON textbooks.write_off_acts REFERENCING OLD TABLE AS gone NEW TABLE AS came FOR EACH STATEMENT EXECUTE FUNCTION reports.fund_changed();
CREATE TRIGGER textbook_acts_fund_out AFTER DELETE ON textbooks.write_off_acts REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION reports.fund_changed();
CREATE TRIGGER textbook_lines_fund_in AFTER INSERT ON textbooks.write_off_lines REFERENCING NEW TABLE AS came FOR EACH STATEMENT EXECUTE FUNCTION reports.fund_changed();
CREATE TRIGGER textbook_lines_fund_change AFTER UPDATE ON textbooks.write_off_lines REFERENCING OLD TABLE AS gone NEW TABLE AS came FOR EACH STATEMENT EXECUTE FUNCTION reports.fund_changed();
CREATE TRIGGER textbook_lines_fund_out AFTER DELETE ON textbooks.write_off_lines REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION reports.fund_changed();

-- Copies entered without a receipt line count in the fund by themselves. Copies change at every issue and
-- return (their status): only a change the fund is counted by moves the version on.
CREATE TRIGGER copies_fund_in AFTER INSERT ON fund.copies REFERENCING NEW TABLE AS came FOR EACH STATEMENT EXECUTE FUNCTION reports.fund_changed();
CREATE TRIGGER copies_fund_out AFTER DELETE ON fund.copies REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION reports.fund_changed();

CREATE FUNCTION reports.fund_row_changed() RETURNS trigger LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  IF TG_TABLE_NAME = 'copies' THEN
    PERFORM reports.touch_fund(ARRAY[OLD.organisation_id, NEW.organisation_id]);
  ELSIF TG_TABLE_NAME = 'works' THEN
    -- the group, language and age rating of a work: its copies entered without a receipt, and the
    -- children's literature among the acquisitions of every line of it
    PERFORM reports.touch_fund(ARRAY(
      SELECT organisation_id FROM fund.copies WHERE work_id = OLD.id
      UNION SELECT r.organisation_id FROM fund.receipt_lines l JOIN fund.receipts r ON r.id = l.receipt_id WHERE l.work_id = OLD.id));
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER copies_fund_change AFTER UPDATE OF receipt_id, fund, acquired_on, status, write_off_id, work_id, organisation_id, price_tiyn ON fund.copies
  FOR EACH ROW WHEN ((OLD.receipt_id IS NULL OR NEW.receipt_id IS NULL) AND (
    OLD.receipt_id IS DISTINCT FROM NEW.receipt_id OR OLD.fund IS DISTINCT FROM NEW.fund OR OLD.acquired_on IS DISTINCT FROM NEW.acquired_on
    OR (OLD.status = 'written_off') IS DISTINCT FROM (NEW.status = 'written_off') OR OLD.write_off_id IS DISTINCT FROM NEW.write_off_id
    OR OLD.work_id IS DISTINCT FROM NEW.work_id OR OLD.organisation_id IS DISTINCT FROM NEW.organisation_id OR OLD.price_tiyn IS DISTINCT FROM NEW.price_tiyn))
  EXECUTE FUNCTION reports.fund_row_changed();
CREATE TRIGGER works_fund_change AFTER UPDATE OF knowledge_group, language, age_rating ON catalog.works
  FOR EACH ROW WHEN (OLD.knowledge_group IS DISTINCT FROM NEW.knowledge_group OR OLD.language IS DISTINCT FROM NEW.language
                     OR OLD.age_rating IS DISTINCT FROM NEW.age_rating)
  EXECUTE FUNCTION reports.fund_row_changed();

-- The receipt lines of a work are found when the work changes.
CREATE INDEX receipt_lines_work_idx ON fund.receipt_lines(work_id);
