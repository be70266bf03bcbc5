-- A settled loss outlives its personal link: once its write-off act is approved and the library's
-- period for losses has passed, the reader, the loan and the note go, and the row stays with the act
-- (a fund document) as a book lost and how it was made good.
ALTER TABLE fund.losses ALTER COLUMN reader_id DROP NOT NULL;
