package com.vclick.media.janus;

import com.vclick.media.api.MediaServerException;

/**
 * Janus answered with an error, or could not be asked. {@link #code()} is Janus' error code (e.g.
 * {@value #SESSION_NOT_FOUND}, {@value #HANDLE_NOT_FOUND}, a plugin's 47x) or 0 when Janus did not
 * answer. Messages never hold SDP, candidates or the API secret.
 */
final class JanusException extends MediaServerException {

  private static final long serialVersionUID = 1L;

  /** Janus core: no such session (expired, destroyed, or Janus restarted). */
  static final int SESSION_NOT_FOUND = 458;

  /** Janus core: no such handle in the session. */
  static final int HANDLE_NOT_FOUND = 459;

  private final int code;

  JanusException(String message, int code, boolean unreachable, Throwable cause) {
    super(message, unreachable, cause);
    this.code = code;
  }

  static JanusException unreachable(String what, Throwable cause) {
    return new JanusException(
        "Janus unreachable (" + what + "): " + cause.getClass().getSimpleName(), 0, true, cause);
  }

  static JanusException error(String what, int code, String reason) {
    return new JanusException(
        "Janus refused " + what + ": " + code + " " + reason, code, false, null);
  }

  static JanusException lostSession() {
    return new JanusException("Janus session lost", SESSION_NOT_FOUND, false, null);
  }

  int code() {
    return code;
  }

  boolean isSessionLost() {
    return code == SESSION_NOT_FOUND;
  }
}
