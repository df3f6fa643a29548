package com.vclick.core.edge;

import java.util.Optional;

/** The ICE candidate types (RFC 8445), named as in the SDP {@code typ} attribute. */
public enum CandidateType {
  /** An address of one of the machine's own interfaces (or its mDNS name). */
  HOST("host"),
  /** Server reflexive: the address a STUN server saw, i.e. the NAT's public side. */
  SRFLX("srflx"),
  /** Peer reflexive: an address learnt from a peer's connectivity check. */
  PRFLX("prflx"),
  /** An address allocated on a TURN relay. */
  RELAY("relay");

  private final String wireName;

  CandidateType(String wireName) {
    this.wireName = wireName;
  }

  /** The SDP {@code typ} value, e.g. {@code "srflx"}. */
  public String wireName() {
    return wireName;
  }

  /** The type of an SDP {@code typ} value (exact, lower case); empty for anything else. */
  public static Optional<CandidateType> fromWireName(String name) {
    for (CandidateType type : values()) {
      if (type.wireName.equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
