package com.vclick.core.turn;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Per-user token buckets over {@link MintRateLimit}, in memory (per server instance; on a cluster a
 * user may reach each member's limit). Plain Java with an injected clock. A bucket that is full
 * again holds nothing worth keeping, so buckets are dropped once full; memory stays bounded by the
 * users active within one refill of the whole burst.
 */
public final class MintRateLimiter {

  /** Past this many buckets, full ones are swept on the next request. */
  static final int SWEEP_ABOVE = 10_000;

  private final MintRateLimit limit;
  private final Clock clock;
  private final long refillNanos;
  private final long fullAfterNanos;
  private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  public MintRateLimiter(MintRateLimit limit, Clock clock) {
    this.limit = limit;
    this.clock = clock;
    this.refillNanos = Math.max(1, limit.refillInterval().toNanos());
    this.fullAfterNanos = refillNanos * limit.burst();
  }

  /**
   * Takes one request's token from the user's bucket (the generic cell rate algorithm: each request
   * moves the user's "theoretical arrival time" one refill interval on; a request that would move
   * it more than the whole burst ahead of now is refused and moves nothing).
   *
   * @return empty when allowed; else how long until the next request would be
   */
  public Optional<Duration> tryAcquire(String userId) {
    long now = nanosNow();
    if (buckets.size() > SWEEP_ABOVE) {
      buckets.values().removeIf(bucket -> bucket.isFullAt(now));
    }
    long[] wait = {0};
    buckets.compute(
        userId,
        (id, bucket) -> {
          long arrival = bucket == null ? now : Math.max(bucket.arrival, now);
          long next = arrival + refillNanos;
          if (next - now > fullAfterNanos) {
            wait[0] = next - now - fullAfterNanos;
            return bucket;
          }
          wait[0] = 0;
          return new Bucket(next);
        });
    return wait[0] > 0 ? Optional.of(Duration.ofNanos(wait[0])) : Optional.empty();
  }

  int trackedUsers() {
    return buckets.size();
  }

  private long nanosNow() {
    var instant = clock.instant();
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  /**
   * A user's bucket as its theoretical arrival time: {@code arrival - now} is the time its spent
   * tokens take to come back; at or before now the bucket is full.
   */
  private record Bucket(long arrival) {
    boolean isFullAt(long now) {
      return arrival <= now;
    }
  }

  @Override
  public String toString() {
    return "MintRateLimiter[" + limit + "]";
  }
}
