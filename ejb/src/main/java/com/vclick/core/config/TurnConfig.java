package com.vclick.core.config;

import java.time.Duration;
import java.util.List;

/**
 * The enterprise TURN relay (coturn with {@code use-auth-secret}).
 *
 * @param secret the shared {@code static-auth-secret}, from the environment only ({@code
 *     VCLICK_TURN_SECRET}); empty when unset, then no credential can be minted
 * @param uris the relay URIs handed to clients ({@code vclick.turn.uris})
 * @param ttl lifetime of a minted credential ({@code vclick.turn.ttl}), at most {@link #MAX_TTL}
 */
public record TurnConfig(String secret, List<String> uris, Duration ttl) {

  public static final Duration MAX_TTL = Duration.ofMinutes(10);

  public TurnConfig {
    uris = List.copyOf(uris);
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException(
          "vclick.turn.ttl must be positive and at most " + MAX_TTL + ", was " + ttl);
    }
    for (String uri : uris) {
      if (!uri.startsWith("turn:") && !uri.startsWith("turns:")) {
        throw new IllegalArgumentException("vclick.turn.uris must be turn: or turns: URIs: " + uri);
      }
    }
  }

  public boolean hasSecret() {
    return secret != null && !secret.isEmpty();
  }

  @Override
  public String toString() {
    return "TurnConfig[uris="
        + uris
        + ", ttl="
        + ttl
        + ", secret="
        + (hasSecret() ? "***" : "")
        + "]";
  }
}
