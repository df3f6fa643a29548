package com.vclick.core.config;

import java.time.Duration;

/**
 * How calls behave.
 *
 * @param ringTimeout an unanswered call ends after this ({@code vclick.calls.ring-timeout})
 * @param reconnectGrace how long an active call waits for a party whose socket dropped ({@code
 *     vclick.calls.reconnect-grace})
 * @param forceRelay whether clients must send media through the TURN relay ({@code
 *     vclick.calls.force-relay}); Secure Edge's policy engine replaces this flag
 * @param maxParties how many people may ring or be in one call at once ({@code
 *     vclick.calls.max-parties}, 2 or more)
 */
public record CallsConfig(
    Duration ringTimeout, Duration reconnectGrace, boolean forceRelay, int maxParties) {

  public CallsConfig {
    if (maxParties < 2) {
      throw new IllegalArgumentException("vclick.calls.max-parties must be 2 or more");
    }
  }
}
