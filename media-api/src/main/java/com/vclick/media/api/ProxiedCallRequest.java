package com.vclick.media.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a {@link ProxiedCall} is created for.
 *
 * @param callId the application's id of the call (letters, digits, {@code -}, at most 64): names
 *     the media server's resources and the recording's files
 * @param recorded whether both legs are recorded from the start (see {@link
 *     ProxiedCall#stopRecording()})
 */
public record ProxiedCallRequest(String callId, boolean recorded) {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  public ProxiedCallRequest {
    Objects.requireNonNull(callId, "callId");
    if (!ID.matcher(callId).matches()) {
      throw new IllegalArgumentException("callId must be 1-64 letters, digits or '-'");
    }
  }
}
