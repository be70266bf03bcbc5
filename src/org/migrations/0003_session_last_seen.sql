-- When a session was last used: the sessions of people who read others' personal data end after
-- hours without use (a desk PC left signed in overnight), see org/users.ts.
ALTER TABLE org.sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();
