package com.vclick.core.turn;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Counts the relay credentials issued per user since the last audit summary. Lock-free on the mint
 * path (one atomic merge); {@link #drain()} takes each user's count atomically, so a credential
 * issued while draining is counted in the next summary, never twice, never lost.
 */
@ApplicationScoped
public class TurnIssueTally {

  /**
   * One user's credentials since the last summary.
   *
   * @param username who they were issued to
   * @param count how many
   * @param firstExpiry the expiry of the first (the credentials' usernames start with it)
   * @param lastExpiry the expiry of the last
   * @param ttlSeconds their lifetime
   */
  public record Count(
      String username, long count, Instant firstExpiry, Instant lastExpiry, long ttlSeconds) {

    static Count of(String username, TurnCredentials credentials) {
      return new Count(
          username, 1, credentials.expiresAt(), credentials.expiresAt(), credentials.ttlSeconds());
    }

    Count plus(Count other) {
      return new Count(
          username,
          count + other.count,
          firstExpiry.isBefore(other.firstExpiry) ? firstExpiry : other.firstExpiry,
          lastExpiry.isAfter(other.lastExpiry) ? lastExpiry : other.lastExpiry,
          Math.max(ttlSeconds, other.ttlSeconds));
    }

    /** The audit entry's detail. */
    public String detail() {
      return "count="
          + count
          + " ttl="
          + ttlSeconds
          + " firstExpiry="
          + firstExpiry.getEpochSecond()
          + " lastExpiry="
          + lastExpiry.getEpochSecond();
    }
  }

  private final ConcurrentMap<String, Count> counts = new ConcurrentHashMap<>();

  /** Counts one issue. */
  public void issued(String username, TurnCredentials credentials) {
    counts.merge(username, Count.of(username, credentials), Count::plus);
  }

  /** Takes every count so far, leaving none. */
  public List<Count> drain() {
    List<Count> drained = new ArrayList<>();
    for (String username : List.copyOf(counts.keySet())) {
      Count count = counts.remove(username);
      if (count != null) {
        drained.add(count);
      }
    }
    return drained;
  }

  /** Puts counts back that could not be written, to go into the next summary. */
  public void restore(List<Count> undelivered) {
    for (Count count : undelivered) {
      counts.merge(count.username(), count, Count::plus);
    }
  }
}
