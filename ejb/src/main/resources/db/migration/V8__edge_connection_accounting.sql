-- Secure Edge connection log, accounting that ends and pairing that cannot be claimed (issue 13)
-- and reports that no longer wait for each other (issue 15); see com.vclick.core.edge.connections.
--
-- last_seen_at: the latest instant any event of the connection named (browser's clock): where a
-- connection ends when the server ends it as lost. last_report_at: when the server last heard of
-- it (server's clock), what the silence limit counts. last_sample_at: the sample whose byte counts
-- are kept while it is open. pairing_disputed: another user claims its fingerprints; it pairs with
-- nobody. edge_call.disputed: one of the call's connections is disputed.
ALTER TABLE edge_connection ADD COLUMN last_seen_at TIMESTAMP;
ALTER TABLE edge_connection ADD COLUMN last_report_at TIMESTAMP;
ALTER TABLE edge_connection ADD COLUMN last_sample_at TIMESTAMP;
ALTER TABLE edge_connection ADD COLUMN pairing_disputed BOOLEAN DEFAULT FALSE NOT NULL;
UPDATE edge_connection SET last_report_at = reported_at;
UPDATE edge_connection SET last_seen_at = COALESCE(closed_at, connected_at, created_at, started_at);
ALTER TABLE edge_call ADD COLUMN disputed BOOLEAN DEFAULT FALSE NOT NULL;
-- The sweep looks for open connections not heard of for a while.
CREATE INDEX edge_connection_open ON edge_connection (closed_at, last_report_at);
-- Pairing reads every claim on two certificates, either way round.
CREATE INDEX edge_connection_remote_fingerprint ON edge_connection (remote_fingerprint, local_fingerprint);
-- Lock stripes instead of one lock row: a report locks the stripes of the pages and certificate
-- pairs it reads and changes (ConnectionLocks: 1,024 stripes, ids 0 to 1023).
CREATE TABLE edge_connection_stripe (
  id INT PRIMARY KEY
);
INSERT INTO edge_connection_stripe (id)
  SELECT a.d * 64 + b.d * 4 + c.d
  FROM (VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9),(10),(11),(12),(13),(14),(15)) AS a (d)
  CROSS JOIN (VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9),(10),(11),(12),(13),(14),(15)) AS b (d)
  CROSS JOIN (VALUES (0),(1),(2),(3)) AS c (d);
-- edge_connection_lock (V4) is no longer used; it is left for servers of the previous version that
-- may still run against this database during an upgrade, and dropped by a later migration.
