-- A library's own holdings profiles: where a source system not built in writes its copies (interop/holdings-profiles.ts).
CREATE TABLE interop.holdings_profiles (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  key              text NOT NULL CHECK (key ~ '^[a-z0-9-]{1,40}$'),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  fields           jsonb NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, key)
);
