-- Copies of the especially valuable publications (аса құнды басылымдар, checked on their own schedule) and of the
-- open-access fund (еркін пайдалану қоры); a fund check may cover either part.
ALTER TABLE fund.copies ADD COLUMN valuable boolean NOT NULL DEFAULT false;
ALTER TABLE fund.copies ADD COLUMN open_access boolean NOT NULL DEFAULT false;
CREATE INDEX copies_valuable_idx ON fund.copies(organisation_id) WHERE valuable;
ALTER TABLE fund.checks ADD COLUMN valuable_only boolean NOT NULL DEFAULT false;
ALTER TABLE fund.checks ADD COLUMN open_access_only boolean NOT NULL DEFAULT false;
