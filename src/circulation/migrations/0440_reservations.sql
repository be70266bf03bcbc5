-- Reservations of a title (a work) whose copies are all out: one queue per work and library, first
-- placed first served. A returned copy is held for the first reader waiting (status 'held', the copy
-- and the day the hold ends); issuing it to that reader fulfils the reservation.
CREATE TABLE circulation.reservations (
  id               bigserial PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES org.organisations(id),
  work_id          bigint NOT NULL REFERENCES catalog.works(id),
  reader_id        bigint NOT NULL REFERENCES readers.readers(id),
  status           text NOT NULL DEFAULT 'waiting'
                   CHECK (status IN ('waiting','held','fulfilled','cancelled','expired')),
  placed_at        timestamptz NOT NULL DEFAULT now(),
  placed_by        bigint REFERENCES org.users(id),
  -- the copy put aside for the reader, from the return that held it
  copy_id          bigint REFERENCES fund.copies(id),
  held_on          date,
  hold_until       date,
  -- when the reader was told by e-mail that the book waits
  notified_at      timestamptz,
  closed_at        timestamptz,
  -- the loan that fulfilled it (unlinked when the retention job folds old loans into counts)
  loan_id          bigint REFERENCES circulation.loans(id) ON DELETE SET NULL,
  CHECK (status <> 'held' OR (copy_id IS NOT NULL AND hold_until IS NOT NULL)),
  CHECK ((status IN ('waiting','held')) = (closed_at IS NULL))
);
-- one active reservation per reader and work; one reader a held copy waits for
CREATE UNIQUE INDEX reservations_one_active_uq ON circulation.reservations(reader_id, work_id) WHERE status IN ('waiting','held');
CREATE UNIQUE INDEX reservations_one_hold_per_copy_uq ON circulation.reservations(copy_id) WHERE status = 'held';
-- the queue of a work, read at every return of one of its copies
CREATE INDEX reservations_queue_idx ON circulation.reservations(organisation_id, work_id, placed_at, id) WHERE status = 'waiting';
-- the hold shelf and the holds that ran out
CREATE INDEX reservations_held_idx ON circulation.reservations(organisation_id, hold_until) WHERE status = 'held';
-- a reader's reservations (own list, data export, erasure) and the old closed ones the daily job removes
CREATE INDEX reservations_reader_idx ON circulation.reservations(reader_id);
CREATE INDEX reservations_closed_idx ON circulation.reservations(closed_at) WHERE closed_at IS NOT NULL;

-- A library's reservation rule: how many titles a reader may have reserved at once, and how many
-- days a returned copy waits on the hold shelf. No row: the defaults of src/circulation/reservations.ts.
CREATE TABLE circulation.reservation_rules (
  organisation_id  bigint PRIMARY KEY REFERENCES org.organisations(id),
  max_active       integer NOT NULL CHECK (max_active BETWEEN 1 AND 50),
  hold_days        integer NOT NULL CHECK (hold_days BETWEEN 1 AND 60)
);
