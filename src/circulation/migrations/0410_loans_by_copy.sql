-- The desk asks when a copy last moved (issued or returned) to ignore a scanner's bounce.
CREATE INDEX loans_copy_idx ON circulation.loans(copy_id, issued_at);
