package com.vclick.core.turn;

import java.time.Duration;

/** The user asked for relay credentials (or decisions) faster than {@link MintRateLimit} allows. */
public class MintRateLimitedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  public MintRateLimitedException(Duration retryAfter) {
    super("Too many relay credential requests; retry after " + retryAfter);
    this.retryAfter = retryAfter;
  }

  /** Whole seconds until a request would be allowed again, at least 1 (for {@code Retry-After}). */
  public long retryAfterSeconds() {
    long seconds = retryAfter.toSeconds();
    return retryAfter.equals(Duration.ofSeconds(seconds)) ? Math.max(1, seconds) : seconds + 1;
  }
}
