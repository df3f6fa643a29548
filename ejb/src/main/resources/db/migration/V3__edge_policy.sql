-- Secure Edge policy and decisions (see com.vclick.core.edge.store and .decision).
--
-- The policy is only ever read and replaced whole. edge_policy is its single row: the version a
-- PUT must name (a stale one is refused) and the default outcome; version 0 with no default means
-- nothing was stored yet and the shipped policy applies. edge_rule holds the rules in order: what
-- identifies, orders and summarises a rule has its own column; its lists (roles, groups, origins,
-- time windows) and local settings are one JSON text in the REST API's shape (web/EDGE-API.md),
-- read back through the domain's validation every time.
CREATE TABLE edge_policy (
  id INT PRIMARY KEY,
  version BIGINT NOT NULL,
  default_decision VARCHAR(10),
  default_settings VARCHAR(8000),
  changed_at TIMESTAMP,
  changed_by VARCHAR(64)
);
INSERT INTO edge_policy (id, version) VALUES (1, 0);
CREATE TABLE edge_rule (
  rule_id VARCHAR(64) PRIMARY KEY,
  position INT NOT NULL UNIQUE,
  name VARCHAR(120) NOT NULL,
  enabled BOOLEAN NOT NULL,
  decision VARCHAR(10) NOT NULL,
  definition VARCHAR(1000000) NOT NULL
);
-- One row per decision, written once (a single insert on the hot path) so that the call log can
-- link each connection to the decision, rule and TURN username it ran under.
CREATE TABLE edge_decision (
  decision_id VARCHAR(36) PRIMARY KEY,
  user_id VARCHAR(64) NOT NULL,
  origin VARCHAR(2048) NOT NULL,
  decision VARCHAR(10) NOT NULL,
  rule_id VARCHAR(64),
  rule_name VARCHAR(120) NOT NULL,
  policy_version BIGINT NOT NULL,
  decided_at TIMESTAMP NOT NULL,
  turn_username VARCHAR(200)
);
CREATE INDEX edge_decision_user ON edge_decision (user_id, decided_at);
CREATE INDEX edge_decision_decided ON edge_decision (decided_at);
