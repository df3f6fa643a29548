package com.vclick.media.kurento;

/**
 * Every way a Kurento call ends; {@link #wire()} is the {@code reason} of its {@code CallReleased}
 * event.
 */
enum EndReason {
  /** The application closed the call ({@code ProxiedCall.close()}). */
  CLOSED("closed"),
  /** The adapter was shut down ({@code MediaServer.close()}) with the call open. */
  SHUTDOWN("shutdown"),
  /**
   * The connection to KMS failed or was lost and did not come back within the reconnect window. The
   * call's objects could not be released by us: KMS's garbage collector releases the objects of a
   * session whose client is gone.
   */
  MEDIA_SERVER_LOST("media-server-lost"),
  /** The connection came back to a new KMS session (KMS restarted): the call's objects are gone. */
  MEDIA_SERVER_RESTARTED("media-server-restarted");

  private final String wire;

  EndReason(String wire) {
    this.wire = wire;
  }

  String wire() {
    return wire;
  }

  /** Whether KMS can no longer be asked to release anything of the call. */
  boolean mediaServerGone() {
    return this == MEDIA_SERVER_LOST || this == MEDIA_SERVER_RESTARTED;
  }
}
