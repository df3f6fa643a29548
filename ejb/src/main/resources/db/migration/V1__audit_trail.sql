-- The tamper-evident audit trail (see com.vclick.core.audit).
CREATE TABLE audit_entry (
  seq BIGINT PRIMARY KEY,
  occurred_at TIMESTAMP NOT NULL,
  actor VARCHAR(200) NOT NULL,
  action VARCHAR(100) NOT NULL,
  target VARCHAR(500) NOT NULL,
  detail VARCHAR(2000) NOT NULL,
  previous_hash VARCHAR(64) NOT NULL,
  hash VARCHAR(64) NOT NULL
);
CREATE INDEX audit_entry_action ON audit_entry (action, occurred_at);
CREATE TABLE audit_chain_head (
  id INT PRIMARY KEY,
  last_seq BIGINT NOT NULL,
  last_hash VARCHAR(64) NOT NULL
);
INSERT INTO audit_chain_head (id, last_seq, last_hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
