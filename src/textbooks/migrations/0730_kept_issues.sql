-- Returned textbook issues that the library's retention removed, as the annual report counts them:
-- per library, day issued and language group, never a reader. The report's textbook loans are the
-- issues still kept plus these, so removing old issues never changes a past report.
CREATE TABLE textbooks.kept_issues (
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  day              date NOT NULL,
  language         text NOT NULL,
  n                integer NOT NULL CHECK (n > 0),
  PRIMARY KEY (organisation_id, day, language)
);
