package com.vclick.core.edge;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What Secure Edge lets a page do with WebRTC. */
public enum EdgeDecisionKind {
  /**
   * No WebRTC at all on that origin: the wrapped {@code RTCPeerConnection} constructor throws a
   * {@code NotAllowedError}. Devices are blocked as the decision's local settings say.
   */
  DENY("deny"),
  /**
   * WebRTC only through the enterprise TURN relay: the page's STUN/TURN servers are replaced by the
   * enterprise relay with credentials minted for this user and origin, and {@code
   * iceTransportPolicy} is forced to {@code relay}.
   */
  RELAY("relay"),
  /**
   * No restriction on the servers the page uses; the local settings (candidate filter, blocked
   * devices, data channels) still apply.
   */
  ALLOW("allow"),
  /** As {@link #RELAY}, and the call is recorded through the media server. */
  RECORD("record");

  private final String wireName;

  EdgeDecisionKind(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in JSON and in the database, e.g. {@code "relay"}. */
  public String wireName() {
    return wireName;
  }

  /** Whether media must go only through the enterprise relay ({@link #RELAY}, {@link #RECORD}). */
  public boolean requiresRelay() {
    return this == RELAY || this == RECORD;
  }

  /**
   * The kind with that wire name (case-insensitive).
   *
   * @throws PolicyValidationException for field {@code "kind"} when there is none
   */
  public static EdgeDecisionKind fromWireName(String name) {
    if (name != null) {
      String wanted = name.strip().toLowerCase(Locale.ROOT);
      for (EdgeDecisionKind kind : values()) {
        if (kind.wireName.equals(wanted)) {
          return kind;
        }
      }
    }
    throw new PolicyValidationException(
        "kind",
        "The decision must be one of "
            + Arrays.stream(values()).map(k -> k.wireName).collect(Collectors.joining(", "))
            + ".");
  }
}
