-- The annual report and the desk's yearly figures count loans and returns of one library over a period.
CREATE INDEX loans_org_issued_idx ON circulation.loans(organisation_id, issued_at);
CREATE INDEX loans_org_returned_idx ON circulation.loans(organisation_id, returned_at) WHERE returned_at IS NOT NULL;
