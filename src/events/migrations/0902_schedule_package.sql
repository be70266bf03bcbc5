-- A school on its own embedded server takes the republic's or district's exhibition schedule in as a package:
-- the lines keep the sender's key (so a later package updates them) and the sender's name (shown as its level).
ALTER TABLE events.schedule_items ADD COLUMN package_key text CHECK (package_key IS NULL OR length(package_key) BETWEEN 1 AND 200);
ALTER TABLE events.schedule_items ADD COLUMN package_issuer text CHECK (package_issuer IS NULL OR length(package_issuer) BETWEEN 1 AND 300);
CREATE UNIQUE INDEX schedule_items_package_key_idx ON events.schedule_items(organisation_id, school_year, package_key) WHERE package_key IS NOT NULL;
