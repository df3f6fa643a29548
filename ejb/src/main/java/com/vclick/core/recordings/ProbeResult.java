package com.vclick.core.recordings;

import java.util.Optional;

/**
 * What ffprobe said of a stored file.
 *
 * @param durationMillis the container's duration; null when unknown
 * @param codecs the streams as a small JSON document ({@link ProbeJson}); null when unknown
 * @param error why something is unknown, one line safe to show a reviewer; null when all is known
 */
public record ProbeResult(Long durationMillis, String codecs, String error) {

  /** Longest error kept. */
  static final int MAX_ERROR_LENGTH = 500;

  public ProbeResult {
    if (error != null && error.length() > MAX_ERROR_LENGTH) {
      error = error.substring(0, MAX_ERROR_LENGTH - 1) + "…";
    }
  }

  /** Nothing known, and why. */
  public static ProbeResult failed(String error) {
    return new ProbeResult(null, null, error);
  }

  public Optional<Long> duration() {
    return Optional.ofNullable(durationMillis);
  }

  public Optional<String> codecsJson() {
    return Optional.ofNullable(codecs);
  }

  public Optional<String> errorText() {
    return Optional.ofNullable(error);
  }
}
