package com.vclick.core.turn;

import java.time.Duration;

/**
 * How many relay credentials (and Secure Edge decisions, which may mint them) one user may ask for:
 * a token bucket of {@code burst} requests refilled at {@code perMinute} a minute.
 *
 * @param burst requests a user may make at once after being idle ({@code vclick.turn.mint-burst})
 * @param perMinute sustained requests a minute ({@code vclick.turn.mint-per-minute})
 */
public record MintRateLimit(int burst, int perMinute) {

  /** More than this is no limit at all, and a typo. */
  public static final int MAX = 1_000_000;

  public MintRateLimit {
    if (burst < 1 || burst > MAX) {
      throw new IllegalArgumentException("vclick.turn.mint-burst must be 1 to " + MAX);
    }
    if (perMinute < 1 || perMinute > MAX) {
      throw new IllegalArgumentException("vclick.turn.mint-per-minute must be 1 to " + MAX);
    }
  }

  /** The time one request's token takes to come back. */
  Duration refillInterval() {
    return Duration.ofNanos(Duration.ofMinutes(1).toNanos() / perMinute);
  }
}
