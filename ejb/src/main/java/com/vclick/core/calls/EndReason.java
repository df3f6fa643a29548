package com.vclick.core.calls;

/** Why a call ended, or one party's invite or stay in it; wire names in web/SIGNALING.md. */
public enum EndReason {
  /** A party hung up an active call (or left it). */
  HANGUP("hangup"),
  /** The callee declined. */
  DECLINED("declined"),
  /** The caller gave up before an answer. */
  CANCELLED("cancelled"),
  /** The callee was already in a call or being called; it never rang. */
  BUSY("busy"),
  /** The callee had no connection; it never rang (a missed call for the callee). */
  OFFLINE("offline"),
  /** Nobody answered within the ring timeout (a missed call for the callee). */
  NO_ANSWER("no-answer"),
  /** The caller's connection closed while ringing, or a party did not come back in time. */
  CONNECTION_LOST("connection-lost"),
  /** Found unfinished in the call log when the server started. */
  SERVER_RESTART("server-restart"),
  /** A third party answered but the media server could not open the conference. */
  MEDIA_UNAVAILABLE("media-unavailable"),
  /**
   * A third party answered, some participant's Secure Edge decision says {@code record}, and the
   * conference could not be recorded: the call stays as it was (never a silent unrecorded
   * conference).
   */
  RECORDING_UNAVAILABLE("recording-unavailable");

  private final String wireName;

  EndReason(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** Whether the callee should see this as a call they missed. */
  public boolean missedByCallee() {
    return this == OFFLINE || this == NO_ANSWER || this == CANCELLED;
  }
}
