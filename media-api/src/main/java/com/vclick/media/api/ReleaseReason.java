package com.vclick.media.api;

/**
 * Every way a {@link ProxiedCall} ends, the same for every adapter; {@link #wire()} is the {@code
 * reason} of its {@link MediaEvent.CallReleased} event (and what the audit trail records).
 */
public enum ReleaseReason {
  /** The application closed the call ({@link ProxiedCall#close()}). */
  CLOSED("closed"),
  /** The adapter was shut down ({@link MediaServer#close()}) with the call open. */
  SHUTDOWN("shutdown"),
  /**
   * The media server (or the adapter's session on it) was lost and did not come back in time: the
   * call's resources there are gone or left to the media server's own clean-up.
   */
  MEDIA_SERVER_LOST("media-server-lost"),
  /** The media server came back as a new instance (it restarted): the call's resources are gone. */
  MEDIA_SERVER_RESTARTED("media-server-restarted");

  private final String wire;

  ReleaseReason(String wire) {
    this.wire = wire;
  }

  /** The reason as {@link MediaEvent.CallReleased#reason()} carries it. */
  public String wire() {
    return wire;
  }

  /** Whether the media server can no longer be asked to release anything of the call. */
  public boolean mediaServerGone() {
    return this == MEDIA_SERVER_LOST || this == MEDIA_SERVER_RESTARTED;
  }
}
