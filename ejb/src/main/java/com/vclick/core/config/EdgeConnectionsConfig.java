package com.vclick.core.config;

import java.time.Duration;

/**
 * When the Secure Edge connection log ends a connection whose reporter went away ({@code lost}).
 *
 * @param offlineGrace a reporter whose presence is offline this long has its open connections ended
 *     ({@code vclick.edge.connections.offline-grace})
 * @param silenceLimit an open connection the server heard nothing of for this long is ended, even
 *     with its reporter online ({@code vclick.edge.connections.silence-limit}); the extension
 *     samples open connections every quarter of it
 * @param sweepInterval how often the server looks for such connections ({@code
 *     vclick.edge.connections.sweep-interval})
 */
public record EdgeConnectionsConfig(
    Duration offlineGrace, Duration silenceLimit, Duration sweepInterval) {

  /**
   * The shortest silence limit: the extension samples on its keepalive alarm, every 30 s at best
   * (Chrome's shortest alarm period), so a shorter limit would end connections that are alive.
   */
  public static final Duration MIN_SILENCE_LIMIT = Duration.ofSeconds(90);

  public EdgeConnectionsConfig {
    if (offlineGrace.isNegative() || offlineGrace.isZero()) {
      throw new IllegalArgumentException("vclick.edge.connections.offline-grace must be positive");
    }
    if (silenceLimit.compareTo(MIN_SILENCE_LIMIT) < 0) {
      throw new IllegalArgumentException(
          "vclick.edge.connections.silence-limit must be at least " + MIN_SILENCE_LIMIT);
    }
    if (sweepInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "vclick.edge.connections.sweep-interval must be at least PT1S");
    }
  }

  /** How often the extension sends a sample of each open connection. */
  public Duration sampleEvery() {
    return silenceLimit.dividedBy(4);
  }
}
