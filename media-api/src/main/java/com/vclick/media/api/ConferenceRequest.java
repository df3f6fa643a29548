package com.vclick.media.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a {@link Conference} is created for.
 *
 * @param conferenceId the application's id of the conference (letters, digits, {@code -}, at most
 *     64): names the media server's resources and the recording's files
 * @param recorded whether the room is recorded from the start (see {@link
 *     Conference#stopRecording()})
 * @param maxParticipants how many may be in the room at once (2 or more)
 */
public record ConferenceRequest(String conferenceId, boolean recorded, int maxParticipants) {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  public ConferenceRequest {
    Objects.requireNonNull(conferenceId, "conferenceId");
    if (!ID.matcher(conferenceId).matches()) {
      throw new IllegalArgumentException("conferenceId must be 1-64 letters, digits or '-'");
    }
    if (maxParticipants < 2) {
      throw new IllegalArgumentException("a conference needs room for 2 or more");
    }
  }
}
