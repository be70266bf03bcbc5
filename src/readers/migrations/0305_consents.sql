-- What a reader's legal representative (or an adult reader) agreed to, or the legal basis the
-- library relies on instead. A row is withdrawn, never deleted, so the history of consent stays.
CREATE TABLE readers.consents (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  reader_id        bigint NOT NULL REFERENCES readers.readers(id) ON DELETE CASCADE,
  -- service: library service itself; public_name: the name in public standings and on certificates
  -- shown to others; contact: contact by e-mail or phone
  scope            text NOT NULL CHECK (scope IN ('service','public_name','contact')),
  -- consent: given by the person named; legal_basis: the school relies on a basis other than consent
  basis            text NOT NULL DEFAULT 'consent' CHECK (basis IN ('consent','legal_basis')),
  given_by         text,
  form             text CHECK (form IS NULL OR form IN ('paper','electronic')),
  given_on         date NOT NULL,
  withdrawn_on     date,
  note             text,
  recorded_by      bigint REFERENCES org.users(id),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consents_reader_idx ON readers.consents(reader_id, scope) WHERE withdrawn_on IS NULL;
CREATE INDEX consents_org_idx ON readers.consents(organisation_id);
