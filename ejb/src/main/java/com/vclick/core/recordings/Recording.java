package com.vclick.core.recordings;

import java.util.List;

/**
 * A recording as read: its row, its participants in order, the connections it covers and when each
 * participant took part (empty when not recorded with it).
 *
 * @param row the metadata ({@link RecordingRow#filePath()} is never shown to clients)
 */
public record Recording(
    RecordingRow row,
    List<RecordingParticipant> participants,
    List<String> connectionIds,
    List<RecordingAttendance> attendance) {

  public Recording {
    participants = List.copyOf(participants);
    connectionIds = List.copyOf(connectionIds);
    attendance = List.copyOf(attendance);
  }

  public String recordingId() {
    return row.recordingId();
  }
}
