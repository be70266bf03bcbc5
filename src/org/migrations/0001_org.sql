-- Organisations, people, sessions and the audit log.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE SCHEMA IF NOT EXISTS org;

-- republic → region → district → organisation. path is '/1/4/9/' so a subtree is one prefix match.
CREATE TABLE org.organisations (
  id          bigserial PRIMARY KEY,
  parent_id   bigint REFERENCES org.organisations(id),
  kind        text NOT NULL CHECK (kind IN ('republic','region','district','school','college','children_library')),
  name        text NOT NULL,
  name_ru     text,
  name_en     text,
  code        text UNIQUE,
  path        text NOT NULL DEFAULT '/',
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX organisations_parent_idx ON org.organisations(parent_id);
CREATE INDEX organisations_path_idx ON org.organisations(path text_pattern_ops);

CREATE TABLE org.users (
  id              bigserial PRIMARY KEY,
  login           text NOT NULL,
  password_hash   text NOT NULL,
  full_name       text NOT NULL,
  role            text NOT NULL CHECK (role IN ('admin','methodologist','librarian','teacher','student','parent')),
  -- the library for librarian/teacher/student/parent; the district or region for a methodologist
  organisation_id bigint NOT NULL REFERENCES org.organisations(id),
  class_grade     smallint,
  class_letter    text,
  reader_id       bigint,
  locale          text NOT NULL DEFAULT 'kk' CHECK (locale IN ('kk','ru','en')),
  active          boolean NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_login_uq ON org.users(lower(login));
CREATE INDEX users_org_idx ON org.users(organisation_id);

CREATE TABLE org.sessions (
  token_hash   text PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES org.users(id) ON DELETE CASCADE,
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON org.sessions(user_id);

CREATE TABLE org.audit_log (
  id              bigserial PRIMARY KEY,
  organisation_id bigint REFERENCES org.organisations(id),
  user_id         bigint REFERENCES org.users(id),
  at              timestamptz NOT NULL DEFAULT now(),
  action          text NOT NULL,
  entity          text NOT NULL,
  entity_id       text,
  details         jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_org_at_idx ON org.audit_log(organisation_id, at DESC);
CREATE INDEX audit_log_entity_idx ON org.audit_log(entity, entity_id);
