package com.vclick.core.edge.connections;

import java.util.Optional;

/** Why a peer connection ended, as the extension's wrapper saw it. */
public enum ConnectionEndReason {
  /** The page called {@code close()}. */
  CLOSED_BY_PAGE("closed-by-page"),
  /** The page went away (navigation, tab closed) with the connection still open. */
  PAGE_UNLOADED("page-unloaded"),
  /** ICE or DTLS failed ({@code connectionState} became {@code failed}). */
  FAILED("failed"),
  /** Secure Edge refused it (a {@code deny} decision or a blocked device or data channel). */
  BLOCKED("blocked"),
  /** The wrapper could not tell. */
  UNKNOWN("unknown"),
  /**
   * The server's verdict, never a browser's: the reporter went away with the connection open (its
   * presence socket closed and did not come back within a grace, or it sent nothing for longer than
   * the silence limit). The connection ends at the last instant known of it, with the last byte
   * counts sampled.
   */
  LOST("lost");

  private final String wireName;

  ConnectionEndReason(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** Whether a browser may report it ({@link #LOST} is only ever the server's). */
  public boolean reportable() {
    return this != LOST;
  }

  /** The reason of a wire name; empty for anything else. */
  public static Optional<ConnectionEndReason> fromWireName(String name) {
    for (ConnectionEndReason reason : values()) {
      if (reason.wireName.equals(name)) {
        return Optional.of(reason);
      }
    }
    return Optional.empty();
  }
}
