-- Two-party calls of the Vclick app (see com.vclick.core.calls.CallLog). A row is written when
-- the call starts and updated when it is answered and when it ends: nothing is lost on a crash.
CREATE TABLE call_log (
  call_id VARCHAR(36) PRIMARY KEY,
  caller_id VARCHAR(64) NOT NULL,
  caller_name VARCHAR(200) NOT NULL,
  callee_id VARCHAR(64) NOT NULL,
  callee_name VARCHAR(200) NOT NULL,
  media VARCHAR(10) NOT NULL,
  started_at TIMESTAMP NOT NULL,
  answered_at TIMESTAMP,
  ended_at TIMESTAMP,
  end_reason VARCHAR(30),
  media_path VARCHAR(10)
);
CREATE INDEX call_log_caller ON call_log (caller_id, started_at);
CREATE INDEX call_log_callee ON call_log (callee_id, started_at);
CREATE INDEX call_log_started ON call_log (started_at);
