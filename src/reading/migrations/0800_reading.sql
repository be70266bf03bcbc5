-- The reading movement: what readers read, confirmed by the librarian, and what is built on it
-- (100 books a year, contests, challenges, BookBingo, the gift-a-book draw, bookcrossing).
CREATE SCHEMA IF NOT EXISTS reading;

-- A book read by a reader. A record from a returned loan or the reading room is made by the
-- librarian and is confirmed at once; a pupil's or parent's own report waits for the librarian's
-- stamp. Only confirmed records count anywhere. One book counts once per reader per school year
-- (book_key: the work, or the folded title of a book outside the catalogue).
CREATE TABLE reading.records (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  reader_id        bigint NOT NULL REFERENCES readers.readers(id) ON DELETE CASCADE,
  work_id          bigint REFERENCES catalog.works(id),
  title            text NOT NULL,
  author           text,
  book_key         text NOT NULL,
  source           text NOT NULL CHECK (source IN ('loan','reading_room','self')),
  loan_id          bigint REFERENCES circulation.loans(id),
  read_on          date NOT NULL,
  school_year      text NOT NULL,
  pages            integer CHECK (pages IS NULL OR pages BETWEEN 1 AND 10000),
  minutes          integer CHECK (minutes IS NULL OR minutes BETWEEN 1 AND 1440),
  note             text,
  status           text NOT NULL CHECK (status IN ('pending','confirmed','rejected')),
  reported_by      bigint REFERENCES org.users(id),
  confirmed_by     bigint REFERENCES org.users(id),
  confirmed_at     timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX records_once_per_year_uq ON reading.records(reader_id, book_key, school_year) WHERE status <> 'rejected';
CREATE UNIQUE INDEX records_loan_uq ON reading.records(loan_id) WHERE loan_id IS NOT NULL;
CREATE INDEX records_org_day_idx ON reading.records(organisation_id, read_on) INCLUDE (reader_id, book_key) WHERE status = 'confirmed';
CREATE INDEX records_pending_idx ON reading.records(organisation_id) WHERE status = 'pending';

-- Readers linked as a family (siblings and their parents), within one library.
CREATE TABLE reading.families (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  name             text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE reading.family_members (
  family_id        bigint NOT NULL REFERENCES reading.families(id) ON DELETE CASCADE,
  reader_id        bigint NOT NULL REFERENCES readers.readers(id) ON DELETE CASCADE,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  PRIMARY KEY (family_id, reader_id),
  UNIQUE (reader_id)
);

-- Challenges: the 30-day challenge (20 minutes and a short note a day, a card the librarian stamps).
CREATE TABLE reading.challenges (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  kind             text NOT NULL DEFAULT 'thirty_days' CHECK (kind IN ('thirty_days')),
  title            text NOT NULL,
  starts_on        date NOT NULL,
  days             integer NOT NULL DEFAULT 30 CHECK (days BETWEEN 1 AND 366),
  minutes_per_day  integer NOT NULL DEFAULT 20 CHECK (minutes_per_day BETWEEN 1 AND 600),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE reading.challenge_entrants (
  challenge_id     bigint NOT NULL REFERENCES reading.challenges(id) ON DELETE CASCADE,
  reader_id        bigint NOT NULL REFERENCES readers.readers(id) ON DELETE CASCADE,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  joined_on        date NOT NULL,
  PRIMARY KEY (challenge_id, reader_id)
);
CREATE TABLE reading.challenge_days (
  challenge_id     bigint NOT NULL REFERENCES reading.challenges(id) ON DELETE CASCADE,
  reader_id        bigint NOT NULL REFERENCES readers.readers(id) ON DELETE CASCADE,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  day              date NOT NULL,
  minutes          integer NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
  note             text,
  stamped_by       bigint REFERENCES org.users(id),
  stamped_at       timestamptz,
  PRIMARY KEY (challenge_id, reader_id, day)
);

-- BookBingo: a game for a grade from the recommended list; cards are printed, the caller draws.
CREATE TABLE reading.bingo_games (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  title            text NOT NULL,
  grade            smallint NOT NULL CHECK (grade BETWEEN 0 AND 11),
  size             smallint NOT NULL DEFAULT 3 CHECK (size BETWEEN 3 AND 5),
  seed             text NOT NULL,
  items            jsonb NOT NULL,          -- [{title, author, workId}] the pool the cards take from
  drawn            jsonb NOT NULL DEFAULT '[]',  -- indexes into items, in drawing order
  winner_card_id   bigint,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE reading.bingo_cards (
  id               bigserial PRIMARY KEY,
  game_id          bigint NOT NULL REFERENCES reading.bingo_games(id) ON DELETE CASCADE,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  number           integer NOT NULL,
  reader_id        bigint REFERENCES readers.readers(id) ON DELETE SET NULL,
  cells            jsonb NOT NULL,          -- indexes into the game's items, row by row
  UNIQUE (game_id, number)
);

-- The gift-a-book draw: participants register, the librarian draws with a recorded seed.
CREATE TABLE reading.draws (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  title            text NOT NULL,
  gift_on          date NOT NULL,
  seed             text,
  drawn_at         timestamptz,
  drawn_by         bigint REFERENCES org.users(id),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE reading.draw_participants (
  id               bigserial PRIMARY KEY,
  draw_id          bigint NOT NULL REFERENCES reading.draws(id) ON DELETE CASCADE,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  reader_id        bigint REFERENCES readers.readers(id) ON DELETE SET NULL,
  name             text NOT NULL,
  role             text NOT NULL CHECK (role IN ('pupil','teacher','parent','head','staff')),
  email            text,
  wished_book      text NOT NULL,
  number           integer,
  gives_to         bigint REFERENCES reading.draw_participants(id),
  notified         text CHECK (notified IS NULL OR notified IN ('email','slip'))
);

-- Books outside the fund given and taken at the bookcrossing shelf.
CREATE TABLE reading.bookcrossing (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  happened_on      date NOT NULL,
  direction        text NOT NULL CHECK (direction IN ('given','taken')),
  books            integer NOT NULL CHECK (books BETWEEN 1 AND 1000),
  title            text,
  recorded_by      bigint REFERENCES org.users(id),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bookcrossing_org_idx ON reading.bookcrossing(organisation_id, happened_on);

-- "I read it and recommend it": shown in the catalogue after the librarian approves it.
CREATE TABLE reading.recommendations (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  reader_id        bigint NOT NULL REFERENCES readers.readers(id) ON DELETE CASCADE,
  work_id          bigint NOT NULL REFERENCES catalog.works(id),
  text             text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected')),
  decided_by       bigint REFERENCES org.users(id),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recommendations_work_idx ON reading.recommendations(work_id) WHERE status = 'approved';

-- The contest register: the school's and district's contests with stages, entrants, jury, places.
CREATE TABLE reading.contests (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  name             text NOT NULL,
  level            text NOT NULL DEFAULT 'school' CHECK (level IN ('school','district','region','republic')),
  starts_on        date NOT NULL,
  ends_on          date NOT NULL,
  grades           text,                    -- the classes taking part, e.g. '5-7'
  jury             text,
  stages           jsonb NOT NULL DEFAULT '[]',  -- [{name, on}]
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_on >= starts_on)
);
CREATE TABLE reading.contest_entrants (
  id               bigserial PRIMARY KEY,
  contest_id       bigint NOT NULL REFERENCES reading.contests(id) ON DELETE CASCADE,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  reader_id        bigint NOT NULL REFERENCES readers.readers(id) ON DELETE CASCADE,
  stage            text,
  place            smallint CHECK (place IS NULL OR place BETWEEN 1 AND 10),
  nomination       text,
  UNIQUE (contest_id, reader_id)
);

-- "One country – one book": the year's title, set once at republic level.
CREATE TABLE reading.national_books (
  year             integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
  title            text NOT NULL,
  author           text NOT NULL,
  book_key         text NOT NULL,
  set_by           bigint REFERENCES org.users(id),
  imported         boolean NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL DEFAULT now()
);
