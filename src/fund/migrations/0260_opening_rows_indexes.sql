-- Booking a 60,000-copy fund stages every row of its file on a draft: each index of fund.opening_rows is paid for
-- once per row. The numbers taken on other drafts are now looked up draft by draft through the unique index
-- (opening_id, inventory_number), so the second index by organisation and number goes. Rows of copies already in
-- the catalogue are found by their copy (reconciliation, a copy removed from the holdings): an index that template
-- rows, which have no copy yet, never touch.
DROP INDEX IF EXISTS fund.opening_rows_org_number_idx;
CREATE INDEX opening_rows_copy_only_idx ON fund.opening_rows(copy_id) WHERE copy_id IS NOT NULL;
