-- The audit log page reads an organisation's lines newest first by id (paging with `before`),
-- optionally of one entity and action or one person, and lists the codes and people present
-- by walking these indexes one distinct value at a time.
CREATE INDEX audit_log_org_id_idx ON org.audit_log(organisation_id, id DESC);
CREATE INDEX audit_log_org_entity_action_idx ON org.audit_log(organisation_id, entity, action, id DESC);
CREATE INDEX audit_log_org_user_idx ON org.audit_log(organisation_id, user_id, id DESC);
