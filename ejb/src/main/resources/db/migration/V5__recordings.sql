-- The recordings store (see com.vclick.core.recordings; web/RECORDINGS-API.md).
--
-- recording: one row per stored recording, written once when its file is stored (file_path is
-- relative to vclick.recordings.dir: <yyyy>/<mm>/<recording_id>.mkv; size_bytes and sha256 as
-- computed while copying; codecs the ffprobe summary as JSON text, NULL with probe_error saying
-- why when ffprobe could not tell). Only the legal hold columns and deleted_at change later: the
-- row stays when retention deletes the file, for the audit trail. created_at is the server's clock
-- when stored; retention counts from it.
CREATE TABLE recording (
  recording_id VARCHAR(36) PRIMARY KEY,
  call_id VARCHAR(64) NOT NULL,
  origin VARCHAR(2048) NOT NULL,
  started_at TIMESTAMP NOT NULL,
  ended_at TIMESTAMP NOT NULL,
  duration_ms BIGINT,
  size_bytes BIGINT NOT NULL,
  sha256 VARCHAR(64) NOT NULL,
  container VARCHAR(10) NOT NULL,
  file_path VARCHAR(200) NOT NULL UNIQUE,
  codecs VARCHAR(8000),
  probe_error VARCHAR(500),
  legal_hold BOOLEAN NOT NULL,
  legal_hold_reason VARCHAR(500),
  legal_hold_changed_at TIMESTAMP,
  legal_hold_changed_by VARCHAR(64),
  created_at TIMESTAMP NOT NULL,
  deleted_at TIMESTAMP
);
-- Listing reads newest first by start; retention reads the oldest stored, undeleted, unheld; the
-- connection log's calls find their recordings by call. The origin is not indexed (up to 2,048
-- characters, as in edge_connection).
CREATE INDEX recording_started ON recording (started_at);
CREATE INDEX recording_retention ON recording (deleted_at, legal_hold, created_at);
CREATE INDEX recording_call ON recording (call_id);
-- The enterprise users in each recorded call, in order, named as they were then.
CREATE TABLE recording_participant (
  recording_id VARCHAR(36) NOT NULL,
  position INT NOT NULL,
  user_id VARCHAR(64) NOT NULL,
  username VARCHAR(200) NOT NULL,
  display_name VARCHAR(200) NOT NULL,
  PRIMARY KEY (recording_id, position)
);
CREATE INDEX recording_participant_user ON recording_participant (user_id, recording_id);
-- The Secure Edge connections each recording covers: how the connection log links to recordings.
CREATE TABLE recording_connection (
  recording_id VARCHAR(36) NOT NULL,
  connection_id VARCHAR(36) NOT NULL,
  PRIMARY KEY (recording_id, connection_id)
);
CREATE INDEX recording_connection_connection ON recording_connection (connection_id);
