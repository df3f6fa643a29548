package com.vclick.web.signaling;

import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket per connection: bursts up to {@code capacity} messages, {@code capacity} more per
 * {@code window} sustained. Candidates come in bursts of a few dozen; a flood does not get through.
 */
final class RateLimit {

  static final int CAPACITY = 100;
  static final Duration WINDOW = Duration.ofSeconds(5);

  private final int capacity;
  private final long nanosPerToken;
  private double tokens;
  private Instant last;

  RateLimit(Instant now) {
    this(CAPACITY, WINDOW, now);
  }

  RateLimit(int capacity, Duration window, Instant now) {
    this.capacity = capacity;
    this.nanosPerToken = window.toNanos() / capacity;
    this.tokens = capacity;
    this.last = now;
  }

  /** Takes one token if there is one. */
  synchronized boolean tryAcquire(Instant now) {
    long elapsed = Duration.between(last, now).toNanos();
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + (double) elapsed / nanosPerToken);
      last = now;
    }
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}
