-- Recording integrity (see com.vclick.core.edge.recording; web/RECORDINGS-API.md "Integrity").
--
-- recorded_call: one row per recorded-call session, written when the session opens (or is refused
-- by the fail mode at opening) and ended in exactly one outcome: 'stored' (a recording is in the
-- store: recording_id) or 'failed' (audited; reason says why). outcome is NULL while the call or its
-- recording is in progress. heartbeat_at is refreshed by the instance holding the live call: an
-- open session whose heartbeat stopped (the server crashed) is reconciled by any instance: its
-- media server files archived as a partial recording, or the failure audited. The legs' media is
-- known from the media server's events: first_*_media_at when media of that leg first reached the
-- media server, *_media_ms how long it flowed while the call lasted (NULL: never).
CREATE TABLE recorded_call (
  recorded_call_id VARCHAR(36) PRIMARY KEY,
  user_id VARCHAR(64) NOT NULL,
  username VARCHAR(200) NOT NULL,
  display_name VARCHAR(200) NOT NULL,
  connection_id VARCHAR(36),
  decision_id VARCHAR(64) NOT NULL,
  origin VARCHAR(2048) NOT NULL,
  fail_mode VARCHAR(20) NOT NULL,
  opened_at TIMESTAMP NOT NULL,
  heartbeat_at TIMESTAMP NOT NULL,
  call_ended_at TIMESTAMP,
  enterprise_media_ms BIGINT,
  far_end_media_ms BIGINT,
  outcome VARCHAR(10),
  outcome_at TIMESTAMP,
  reason VARCHAR(500),
  recording_id VARCHAR(36)
);
CREATE INDEX recorded_call_open ON recorded_call (outcome, heartbeat_at);
CREATE INDEX recorded_call_opened ON recorded_call (opened_at);
CREATE INDEX recorded_call_connection ON recorded_call (connection_id);
-- recording_ingest: finished recordings waiting to be stored (the archiver retries with backoff
-- until the store has them; a row outlives a restart). files: the media server's working files
-- of the recording, one path a line (removed once stored); partial: archived from what a crash
-- left behind.
CREATE TABLE recording_ingest (
  ingest_id VARCHAR(36) PRIMARY KEY,
  recorded_call_id VARCHAR(36) NOT NULL,
  file_path VARCHAR(1000) NOT NULL,
  working_files VARCHAR(8000) NOT NULL,
  started_at TIMESTAMP NOT NULL,
  stopped_at TIMESTAMP NOT NULL,
  partial BOOLEAN NOT NULL,
  queued_at TIMESTAMP NOT NULL,
  enterprise_media_ms BIGINT,
  far_end_media_ms BIGINT,
  attempts INT NOT NULL,
  next_attempt_at TIMESTAMP NOT NULL,
  last_error VARCHAR(500)
);
CREATE INDEX recording_ingest_due ON recording_ingest (next_attempt_at);
CREATE INDEX recording_ingest_call ON recording_ingest (recorded_call_id);
-- What a stored recording holds: each leg's media time (NULL: that leg's media is missing) and,
-- when it is not a complete recording of both legs, why (a gap in the compliance view).
ALTER TABLE recording ADD COLUMN enterprise_media_ms BIGINT;
ALTER TABLE recording ADD COLUMN far_end_media_ms BIGINT;
ALTER TABLE recording ADD COLUMN legs_known BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE recording ADD COLUMN incomplete VARCHAR(200);
