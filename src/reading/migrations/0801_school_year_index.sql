-- Standings of a school year read only the confirmed records of that year, grouped by reader.
CREATE INDEX records_org_year_idx ON reading.records(organisation_id, school_year, reader_id) WHERE status = 'confirmed';
