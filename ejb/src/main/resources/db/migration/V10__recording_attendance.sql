-- When each participant of a recorded call took part (issue 16: a conference's recording lists
-- everyone who took part with their join and leave times). One row per stretch, in order (a person
-- who left and was invited back has two); written once with the recording, never changed.
-- Recordings of two-party calls have none (their participants are there from start to end).
CREATE TABLE recording_attendance (
  recording_id VARCHAR(36) NOT NULL,
  position INT NOT NULL,
  user_id VARCHAR(64) NOT NULL,
  joined_at TIMESTAMP NOT NULL,
  left_at TIMESTAMP NOT NULL,
  PRIMARY KEY (recording_id, position)
);
