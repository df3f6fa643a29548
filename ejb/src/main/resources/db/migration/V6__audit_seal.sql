-- The audit trail's seal (HMAC-SHA256 with VCLICK_AUDIT_KEY, kept outside the database) and its
-- start, which moves when old entries are archived (see com.vclick.core.audit).
ALTER TABLE audit_entry ADD COLUMN seal VARCHAR(64);
ALTER TABLE audit_chain_head ADD COLUMN first_seq BIGINT DEFAULT 1 NOT NULL;
ALTER TABLE audit_chain_head ADD COLUMN first_previous_hash VARCHAR(64)
  DEFAULT '0000000000000000000000000000000000000000000000000000000000000000' NOT NULL;
ALTER TABLE audit_chain_head ADD COLUMN sealed_from BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE audit_chain_head ADD COLUMN start_seal VARCHAR(64);
-- Retention deletes by age: these find the oldest rows without a scan.
CREATE INDEX audit_entry_occurred ON audit_entry (occurred_at);
