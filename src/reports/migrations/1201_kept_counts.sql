-- What the report and the circulation statistics counted from loans and visits that are no longer
-- kept (the retention of the loan history and visits, or a reader's erasure): numbers only, per
-- library, day and reader group, never a reader. A count over any days is the rows still kept plus
-- these, so removing history never changes a past report.
CREATE TABLE reports.kept_counts (
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  day              date NOT NULL,
  -- 'visit' (a reader-day), 'issue' (a loan, on the day issued), 'return' (on the day returned)
  what             text NOT NULL CHECK (what IN ('visit','issue','return')),
  reader_group     text NOT NULL,
  -- a visit: it was (also) to the reading room
  reading_room     boolean NOT NULL DEFAULT false,
  -- an issue: the fund ('main' or 'textbooks'), the report's knowledge domain and language group
  fund             text NOT NULL DEFAULT '',
  domain           text NOT NULL DEFAULT '',
  language         text NOT NULL DEFAULT '',
  n                integer NOT NULL CHECK (n > 0),
  PRIMARY KEY (organisation_id, day, what, reader_group, reading_room, fund, domain, language)
);

-- Regular visitors are counted per reader, so no day count can give them back: a period's count is
-- kept before any of its visits go, and the report reads it instead of counting.
CREATE TABLE reports.kept_regular_visitors (
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  period           text NOT NULL CHECK (period ~ '^[0-9]{4}(-[0-9]{4})?$'),
  regular_visitors integer NOT NULL CHECK (regular_visitors >= 0),
  kept_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organisation_id, period)
);
