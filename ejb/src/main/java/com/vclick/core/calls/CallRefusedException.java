package com.vclick.core.calls;

/**
 * A call operation that is not allowed; nothing changed. The code is part of the protocol
 * (web/SIGNALING.md); the detail is safe to show to the user who asked.
 */
public final class CallRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Not a party of that call, or no such call: the same answer, so ids reveal nothing. */
  public static final String NOT_IN_CALL = "not-in-call";

  /** The call is not in a state that allows this (e.g. answering an answered call). */
  public static final String WRONG_STATE = "wrong-state";

  /** Inviting while already in a call. */
  public static final String IN_CALL = "in-call";

  /** A request that makes no sense, such as calling yourself. */
  public static final String INVALID = "invalid";

  /** Calling someone the directory does not know. */
  public static final String UNKNOWN_USER = "unknown-user";

  /** Inviting beyond {@code vclick.calls.max-parties}. */
  public static final String CALL_FULL = "call-full";

  /** The media server could not open or change a conference. */
  public static final String MEDIA_UNAVAILABLE = "media-unavailable";

  /** Relaying while the other party's socket is down (it resumes within the grace period). */
  public static final String PEER_AWAY = "peer-away";

  private final String code;

  public CallRefusedException(String code, String detail) {
    super(detail, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static CallRefusedException notInCall() {
    return new CallRefusedException(NOT_IN_CALL, "You are not in that call.");
  }
}
