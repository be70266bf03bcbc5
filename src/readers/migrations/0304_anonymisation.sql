-- Children's personal data is kept only while it serves the library: a reader who left the school
-- long ago can be anonymised, keeping the loans and the figures but not the person.
ALTER TABLE readers.readers ADD COLUMN anonymised_at timestamptz;
