package com.vclick.core.recordings;

import java.util.List;

/**
 * A recording as read: its row, its participants in order and the connections it covers.
 *
 * @param row the metadata ({@link RecordingRow#filePath()} is never shown to clients)
 */
public record Recording(
    RecordingRow row, List<RecordingParticipant> participants, List<String> connectionIds) {

  public Recording {
    participants = List.copyOf(participants);
    connectionIds = List.copyOf(connectionIds);
  }

  public String recordingId() {
    return row.recordingId();
  }
}
