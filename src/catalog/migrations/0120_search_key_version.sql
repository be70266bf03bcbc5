-- Search keys are computed by the application (catalog/folding.ts). When the folding changes, the keys
-- stored under the older folding are computed again at the next start; this row says which folding made them.
CREATE TABLE catalog.search_key_version (
  only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  version   integer NOT NULL
);
INSERT INTO catalog.search_key_version (version) VALUES (1);
