-- A class teacher goes up with the class; the promotion keeps the teachers' previous classes
-- beside the readers' so that undo restores both.
ALTER TABLE readers.promotions ADD COLUMN teacher_changes jsonb NOT NULL DEFAULT '[]'::jsonb;
