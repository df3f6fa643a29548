package com.vclick.core.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MintRateLimiterTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));

  @Test
  void aBurstIsAllowedThenOneRequestPerRefill() {
    var limiter = new MintRateLimiter(new MintRateLimit(3, 60), clock);
    for (int i = 0; i < 3; i++) {
      assertEquals(Optional.empty(), limiter.tryAcquire("alice"), "request " + i);
    }
    assertEquals(Optional.of(Duration.ofSeconds(1)), limiter.tryAcquire("alice"));
    clock.advance(Duration.ofMillis(999));
    assertEquals(Optional.of(Duration.ofMillis(1)), limiter.tryAcquire("alice"));
    clock.advance(Duration.ofMillis(1));
    assertEquals(Optional.empty(), limiter.tryAcquire("alice"));
    assertTrue(limiter.tryAcquire("alice").isPresent(), "one token came back, one was taken");
  }

  @Test
  void refusedRequestsDoNotDelayTheNextAllowedOne() {
    var limiter = new MintRateLimiter(new MintRateLimit(1, 60), clock);
    assertEquals(Optional.empty(), limiter.tryAcquire("alice"));
    for (int i = 0; i < 1000; i++) {
      assertTrue(limiter.tryAcquire("alice").isPresent());
    }
    clock.advance(Duration.ofSeconds(1));
    assertEquals(Optional.empty(), limiter.tryAcquire("alice"));
  }

  @Test
  void usersHaveTheirOwnBuckets() {
    var limiter = new MintRateLimiter(new MintRateLimit(1, 1), clock);
    assertEquals(Optional.empty(), limiter.tryAcquire("alice"));
    assertEquals(Optional.of(Duration.ofMinutes(1)), limiter.tryAcquire("alice"));
    assertEquals(Optional.empty(), limiter.tryAcquire("bob"));
  }

  @Test
  void anIdleUserGetsTheWholeBurstBackButNoMore() {
    var limiter = new MintRateLimiter(new MintRateLimit(2, 60), clock);
    limiter.tryAcquire("alice");
    limiter.tryAcquire("alice");
    clock.advance(Duration.ofHours(1));
    assertEquals(Optional.empty(), limiter.tryAcquire("alice"));
    assertEquals(Optional.empty(), limiter.tryAcquire("alice"));
    assertTrue(limiter.tryAcquire("alice").isPresent(), "idle time does not bank past the burst");
  }

  @Test
  void fullBucketsAreForgottenOnceThereAreMany() {
    var limiter = new MintRateLimiter(new MintRateLimit(1, 60), clock);
    for (int i = 0; i <= MintRateLimiter.SWEEP_ABOVE; i++) {
      limiter.tryAcquire("user-" + i);
    }
    clock.advance(Duration.ofSeconds(1));
    limiter.tryAcquire("late");
    assertEquals(1, limiter.trackedUsers());
  }

  @Test
  void retryAfterRoundsUpToWholeSeconds() {
    assertEquals(1, new MintRateLimitedException(Duration.ofMillis(1)).retryAfterSeconds());
    assertEquals(2, new MintRateLimitedException(Duration.ofMillis(1001)).retryAfterSeconds());
    assertEquals(60, new MintRateLimitedException(Duration.ofSeconds(60)).retryAfterSeconds());
  }

  @Test
  void nonsenseLimitsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new MintRateLimit(0, 60));
    assertThrows(IllegalArgumentException.class, () -> new MintRateLimit(10, 0));
    assertThrows(IllegalArgumentException.class, () -> new TurnAuditInterval(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> new TurnAuditInterval(Duration.ofDays(1)));
  }
}
