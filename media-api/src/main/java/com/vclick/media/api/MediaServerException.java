package com.vclick.media.api;

/**
 * The media server could not do what was asked (unreachable, refused, timed out, or answered
 * nonsense). The message is fit for logs and never holds SDP, candidates or secrets.
 */
public class MediaServerException extends Exception {

  private final boolean unreachable;

  public MediaServerException(String message, boolean unreachable, Throwable cause) {
    super(message, cause);
    this.unreachable = unreachable;
  }

  public MediaServerException(String message) {
    this(message, false, null);
  }

  /** Whether the media server could not be reached at all (the fail mode then applies). */
  public boolean unreachable() {
    return unreachable;
  }
}
