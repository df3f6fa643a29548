-- Everyone in a call that grew beyond two parties (issue 16; see com.vclick.core.calls.CallLog):
-- one row per stretch of taking part, in invite order (a person invited again after leaving has
-- two rows). Two-party calls keep only their call_log row (caller and callee). Written as the
-- call changes, like call_log: nothing is lost on a crash.
CREATE TABLE call_participant (
  call_id VARCHAR(36) NOT NULL,
  position INT NOT NULL,
  user_id VARCHAR(64) NOT NULL,
  name VARCHAR(200) NOT NULL,
  invited_by VARCHAR(64),
  invited_at TIMESTAMP NOT NULL,
  joined_at TIMESTAMP,
  left_at TIMESTAMP,
  reason VARCHAR(30),
  PRIMARY KEY (call_id, position)
);
CREATE INDEX call_participant_user ON call_participant (user_id, call_id);
