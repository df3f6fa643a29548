-- Secure Edge connection log (see com.vclick.core.edge.connections; web/EDGE-API.md).
--
-- edge_connection: one row per peer connection the extension reported, owned by the user whose
-- token reported it first, filled in by its created / connected / closed events in any order
-- (started_at is the earliest instant known; the first event of each kind wins). call_id is the
-- call it is grouped into (the id of the call's first connection); peer_connection_id the
-- connection at its other end once paired by crossed DTLS fingerprints. No retention yet.
CREATE TABLE edge_connection (
  connection_id VARCHAR(36) PRIMARY KEY,
  user_id VARCHAR(64) NOT NULL,
  username VARCHAR(200) NOT NULL,
  display_name VARCHAR(200) NOT NULL,
  page_id VARCHAR(36) NOT NULL,
  decision_id VARCHAR(36),
  origin VARCHAR(2048) NOT NULL,
  started_at TIMESTAMP NOT NULL,
  created_at TIMESTAMP,
  connected_at TIMESTAMP,
  closed_at TIMESTAMP,
  local_fingerprint VARCHAR(200),
  remote_fingerprint VARCHAR(200),
  local_candidate_type VARCHAR(5),
  remote_candidate_type VARCHAR(5),
  protocol VARCHAR(3),
  bytes_sent BIGINT,
  bytes_received BIGINT,
  end_reason VARCHAR(20),
  peer_connection_id VARCHAR(36),
  call_id VARCHAR(36) NOT NULL,
  reported_at TIMESTAMP NOT NULL
);
-- Regrouping reads a page at a time; the call list reads a user's calls, then the calls'
-- connections; pairing looks for the crossed fingerprint. The origin is not indexed: up to 2,048
-- characters as sent, too long for a B-tree entry on PostgreSQL in the worst case.
CREATE INDEX edge_connection_page ON edge_connection (user_id, page_id);
CREATE INDEX edge_connection_user_call ON edge_connection (user_id, call_id);
CREATE INDEX edge_connection_call ON edge_connection (call_id);
CREATE INDEX edge_connection_fingerprint ON edge_connection (local_fingerprint, remote_fingerprint);
-- edge_call: each call as last grouped, for listing and paging without reading connections.
CREATE TABLE edge_call (
  call_id VARCHAR(36) PRIMARY KEY,
  origin VARCHAR(2048) NOT NULL,
  started_at TIMESTAMP NOT NULL,
  ended_at TIMESTAMP
);
CREATE INDEX edge_call_started ON edge_call (started_at);
-- The single row every report locks first: reports are applied one at a time, cluster-wide, so
-- that two ends reported at once still pair and regrouping never works on a stale view.
CREATE TABLE edge_connection_lock (
  id INT PRIMARY KEY
);
INSERT INTO edge_connection_lock (id) VALUES (1);
