package com.vclick.core.edge.connections;

import java.util.Locale;
import java.util.Optional;

/** The transport of a connection's selected candidate pair, as {@code getStats()} names it. */
public enum TransportProtocol {
  UDP,
  TCP;

  /** {@code udp} or {@code tcp}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The protocol of a wire name; empty for anything else (case matters, as on the wire). */
  public static Optional<TransportProtocol> fromWireName(String name) {
    for (TransportProtocol protocol : values()) {
      if (protocol.wireName().equals(name)) {
        return Optional.of(protocol);
      }
    }
    return Optional.empty();
  }
}
