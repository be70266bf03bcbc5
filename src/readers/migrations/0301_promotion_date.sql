-- The date a promotion takes effect (the leaving date of the 11th grade). It also tells which
-- school year a promotion belongs to, so that a second click cannot move the school up twice.
ALTER TABLE readers.promotions ADD COLUMN promoted_on date;
UPDATE readers.promotions SET promoted_on = performed_at::date WHERE promoted_on IS NULL;
ALTER TABLE readers.promotions ALTER COLUMN promoted_on SET NOT NULL;
CREATE INDEX promotions_library_idx ON readers.promotions(organisation_id, id);
