package com.vclick.core.config;

import java.time.Duration;
import java.util.Set;

/**
 * The signaling WebSocket's rules.
 *
 * @param authTimeout the first message (hello with a token) must arrive within this ({@code
 *     vclick.signaling.auth-timeout})
 * @param idleTimeout a connection silent for this long is closed ({@code
 *     vclick.signaling.idle-timeout})
 * @param origins the browser origins allowed to connect ({@code vclick.signaling.origins})
 */
public record SignalingConfig(Duration authTimeout, Duration idleTimeout, Set<String> origins) {

  public SignalingConfig {
    origins = Set.copyOf(origins);
  }
}
