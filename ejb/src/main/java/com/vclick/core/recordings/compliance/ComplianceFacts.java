package com.vclick.core.recordings.compliance;

import java.time.Instant;
import java.util.List;

/** What the database holds about one connection made under a {@code record} decision. */
public record ComplianceFacts(
    String connectionId,
    String userId,
    String username,
    String displayName,
    String origin,
    Instant startedAt,
    Instant connectedAt,
    List<Session> sessions) {

  public ComplianceFacts {
    sessions = List.copyOf(sessions);
  }

  /**
   * A recorded-call session of that connection.
   *
   * @param outcome {@code stored}, {@code failed}, or null while open
   * @param reason its failure or interruption, null when none
   * @param recordings its stored recordings
   */
  public record Session(
      String recordedCallId,
      Instant openedAt,
      String outcome,
      String reason,
      List<StoredRecording> recordings) {
    public Session {
      recordings = List.copyOf(recordings);
    }
  }

  /** A stored recording of a session; {@code incomplete} says why it is not complete, or null. */
  public record StoredRecording(String recordingId, String incomplete) {}
}
