-- The kind of publication, as the summary accounting book counts it (Order 44) and MARC leader/06–07 tells.
ALTER TABLE catalog.works ADD COLUMN publication_type text NOT NULL DEFAULT 'book'
  CHECK (publication_type IN ('book','brochure','periodical','audiovisual','electronic','sheet_music','map'));
