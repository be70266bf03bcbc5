-- Every retention period a library sets (Law No. 94-V, art. 12), beside leavers and the audit log:
-- the loan history (returned loans), the visits (reader-days), expired sessions, and backups (by age).
-- Loans and visits are folded into the report's kept counts before they go (reports.kept_counts).
ALTER TABLE org.retention
  ADD COLUMN loans_days    integer NOT NULL DEFAULT 1095 CHECK (loans_days BETWEEN 365 AND 3650),
  ADD COLUMN visits_days   integer NOT NULL DEFAULT 1095 CHECK (visits_days BETWEEN 365 AND 3650),
  ADD COLUMN sessions_days integer NOT NULL DEFAULT 7 CHECK (sessions_days BETWEEN 0 AND 90),
  ADD COLUMN backups_days  integer NOT NULL DEFAULT 30 CHECK (backups_days BETWEEN 7 AND 365);
ALTER TABLE org.retention ADD CONSTRAINT retention_leavers_days_max CHECK (leavers_days <= 3650);
