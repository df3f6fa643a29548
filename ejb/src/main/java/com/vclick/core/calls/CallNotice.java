package com.vclick.core.calls;

/**
 * The call service's outbound port: fired as a CDI event and delivered by the transport (the
 * signaling sockets). Observers must not block.
 */
public sealed interface CallNotice {

  /** To every connection of a person. */
  record ToUser(String userId, CallMessage message) implements CallNotice {}

  /** To one connection (a party's bound one). */
  record ToConnection(String connectionId, CallMessage message) implements CallNotice {}

  /** To every connection of a person but one (the one that answered). */
  record ToOtherConnections(String userId, String except, CallMessage message)
      implements CallNotice {}

  /** A person entered ({@code true}) or left a call: their presence is busy or not. */
  record Busy(String userId, boolean busy) implements CallNotice {}
}
