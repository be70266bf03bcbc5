-- How long a library keeps personal data (Law No. 94-V, art. 12: until the purpose is achieved),
-- applied by the server's daily retention job. A library without a row uses the defaults.
CREATE TABLE org.retention (
  organisation_id  bigint PRIMARY KEY REFERENCES org.organisations(id),
  -- readers who left are anonymised this many days after leaving (once they hold nothing)
  leavers_days     integer NOT NULL DEFAULT 730 CHECK (leavers_days >= 0),
  -- audit lines older than this are removed
  audit_days       integer NOT NULL DEFAULT 1825 CHECK (audit_days >= 365),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  updated_by       bigint REFERENCES org.users(id)
);

-- The day each daily job last ran, so a server restarted during the day does not run it twice.
CREATE TABLE org.job_runs (
  job       text PRIMARY KEY,
  ran_on    date NOT NULL,
  summary   jsonb NOT NULL DEFAULT '{}'::jsonb
);
