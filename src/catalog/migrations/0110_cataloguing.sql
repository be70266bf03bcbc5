-- The full bibliographic description a cataloguer fills in: parallel title, statement of responsibility,
-- edition, series, author sign, accessible format and subject headings. The age category stays in
-- age_rating and now takes the six categories of the Law of 2 July 2018 No. 169-VI (0+, 6+, 12+, 14+, 16+, 18+).
ALTER TABLE catalog.works ADD COLUMN parallel_title text;
ALTER TABLE catalog.works ADD COLUMN responsibility text;
ALTER TABLE catalog.works ADD COLUMN edition text;
ALTER TABLE catalog.works ADD COLUMN series text;
ALTER TABLE catalog.works ADD COLUMN author_sign text;
ALTER TABLE catalog.works ADD COLUMN accessible_format text
  CHECK (accessible_format IS NULL OR accessible_format IN ('large_print','braille','audio'));
ALTER TABLE catalog.works ADD COLUMN subject_headings text[] NOT NULL DEFAULT '{}';
CREATE INDEX works_accessible_idx ON catalog.works(accessible_format) WHERE accessible_format IS NOT NULL;
