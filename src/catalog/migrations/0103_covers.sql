-- Cover images uploaded by a library (a photo of the book, a scan): kept in the database so that a
-- school on the embedded database needs no file store and a backup holds everything.
CREATE TABLE catalog.covers (
  work_id     bigint PRIMARY KEY REFERENCES catalog.works(id) ON DELETE CASCADE,
  mime        text NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),
  bytes       bytea NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
