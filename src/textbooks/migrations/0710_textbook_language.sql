-- The summary accounting book counts the textbook fund by language, like every other part of the fund.
-- The language group of a title is booked with its first batch and kept, so a later catalogue edit
-- never moves copies already received (or written off) from one language column to another.
ALTER TABLE textbooks.batches ADD COLUMN language_group text;
UPDATE textbooks.batches b
   SET language_group = CASE lower(trim(coalesce(w.language, '')))
                          WHEN 'kaz' THEN 'kk' WHEN 'kk' THEN 'kk' WHEN 'rus' THEN 'ru' WHEN 'ru' THEN 'ru' ELSE 'other' END
  FROM catalog.works w
 WHERE w.id = b.work_id;
-- Every batch of a title takes the language of the title's first batch.
UPDATE textbooks.batches b
   SET language_group = f.language_group
  FROM (SELECT DISTINCT ON (organisation_id, work_id) organisation_id, work_id, language_group
          FROM textbooks.batches ORDER BY organisation_id, work_id, id) f
 WHERE f.organisation_id = b.organisation_id AND f.work_id = b.work_id;
ALTER TABLE textbooks.batches ALTER COLUMN language_group SET NOT NULL;
ALTER TABLE textbooks.batches ADD CONSTRAINT batches_language_group_check CHECK (language_group IN ('kk', 'ru', 'other'));
CREATE INDEX batches_receipt_idx ON textbooks.batches(receipt_id);

ALTER TABLE textbooks.write_off_lines ADD COLUMN language_group text;
UPDATE textbooks.write_off_lines l
   SET language_group = coalesce(
         (SELECT b.language_group FROM textbooks.batches b JOIN textbooks.write_off_acts a ON a.organisation_id = b.organisation_id
           WHERE a.id = l.act_id AND b.work_id = l.work_id ORDER BY b.id LIMIT 1),
         'other');
ALTER TABLE textbooks.write_off_lines ALTER COLUMN language_group SET NOT NULL;
ALTER TABLE textbooks.write_off_lines ADD CONSTRAINT write_off_lines_language_group_check CHECK (language_group IN ('kk', 'ru', 'other'));
