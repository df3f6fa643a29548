package com.vclick.core.recordings;

/**
 * An enterprise user in a recorded call, named as the directory or their token named them when the
 * call was recorded (names change; the recording keeps who they were).
 *
 * @param userId the Keycloak user id (1 to 64 characters)
 * @param username the login name then (1 to 200 characters)
 * @param displayName the full name then (1 to 200 characters)
 */
public record RecordingParticipant(String userId, String username, String displayName) {

  static final int MAX_ID_LENGTH = 64;
  static final int MAX_NAME_LENGTH = 200;

  public RecordingParticipant {
    userId = RecordingContext.text("userId", userId, MAX_ID_LENGTH);
    username = RecordingContext.text("username", username, MAX_NAME_LENGTH);
    displayName = RecordingContext.text("displayName", displayName, MAX_NAME_LENGTH);
  }
}
