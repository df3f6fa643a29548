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
 * @param maxConnectionsPerUser open authenticated sockets one user may hold ({@code
 *     vclick.signaling.max-connections-per-user})
 * @param maxUnauthenticated sockets that have not said hello yet, server-wide ({@code
 *     vclick.signaling.max-unauthenticated})
 * @param maxUnauthenticatedPerAddress of those, from one remote address ({@code
 *     vclick.signaling.max-unauthenticated-per-address})
 */
public record SignalingConfig(
    Duration authTimeout,
    Duration idleTimeout,
    Set<String> origins,
    int maxConnectionsPerUser,
    int maxUnauthenticated,
    int maxUnauthenticatedPerAddress) {

  public SignalingConfig {
    origins = Set.copyOf(origins);
    if (maxConnectionsPerUser < 1 || maxUnauthenticated < 1 || maxUnauthenticatedPerAddress < 1) {
      throw new IllegalArgumentException("vclick.signaling.max-* must be at least 1");
    }
  }
}
