package com.vclick.core.calls;

/** How a call's media travelled, as the clients saw their selected candidate pair. */
public enum MediaPath {
  /** Through the enterprise TURN relay (either side's candidate was a relay one). */
  RELAY,
  /** Browser to browser without a relay. */
  DIRECT
}
