package com.vclick.core.config;

import java.time.Duration;

/**
 * The health probe and who may read its details.
 *
 * @param refresh how often dependencies are probed while all are up ({@code vclick.health.refresh})
 * @param detailsKey the key a monitor sends in {@code X-Vclick-Health-Key} to read every check
 *     ({@code VCLICK_HEALTH_KEY}); empty: only an edge-admin's token shows them
 */
public record HealthConfig(Duration refresh, String detailsKey) {

  public static final int MIN_KEY_LENGTH = 16;

  public HealthConfig {
    if (refresh.compareTo(Duration.ofSeconds(1)) < 0
        || refresh.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("vclick.health.refresh must be within 1 s..5 min");
    }
    if (!detailsKey.isEmpty() && detailsKey.length() < MIN_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "VCLICK_HEALTH_KEY must be at least " + MIN_KEY_LENGTH + " characters");
    }
  }
}
