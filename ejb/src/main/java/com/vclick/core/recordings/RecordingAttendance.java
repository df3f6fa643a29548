package com.vclick.core.recordings;

import java.time.Instant;

/**
 * One stretch of a participant's taking part in a recorded call: when they joined and when they
 * left (a person who left and was invited back has two). Checked strictly: a bad value throws
 * {@link IllegalArgumentException} naming the field.
 *
 * @param userId one of the recording's participants
 * @param joinedAt when they joined the call
 * @param leftAt when they left it (or the call ended with them in it); not before {@code joinedAt}
 */
public record RecordingAttendance(String userId, Instant joinedAt, Instant leftAt) {

  public RecordingAttendance {
    userId = RecordingContext.text("userId", userId, RecordingParticipant.MAX_ID_LENGTH);
    if (joinedAt == null || leftAt == null) {
      throw new IllegalArgumentException(
          (joinedAt == null ? "joinedAt" : "leftAt") + ": an instant is expected.");
    }
    if (leftAt.isBefore(joinedAt)) {
      throw new IllegalArgumentException("leftAt: must not be before joinedAt.");
    }
  }
}
