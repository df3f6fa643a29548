package com.vclick.core.edge.connections;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * Which connection is the other end of a connection: the one whose certificates are the same two,
 * crossed over (its local fingerprint is this one's remote and the other way round), connected
 * within {@link #WINDOW} of it. DTLS proves that each end holds its certificate's key, so two ends
 * that report each other's fingerprints are one connection seen from both sides, whoever's browsers
 * they are: two users, or one user in two browsers (never one connection with itself).
 */
public final class PeerMatching {

  /** How far apart the two ends' {@code connected} events may be. */
  public static final Duration WINDOW = Duration.ofMinutes(10);

  private PeerMatching() {}

  /**
   * One connected end.
   *
   * @param local its own certificate's fingerprint
   * @param remote the far end's certificate's fingerprint
   */
  public record End(
      String connectionId, Fingerprint local, Fingerprint remote, Instant connectedAt) {

    public End {
      Objects.requireNonNull(connectionId, "connectionId");
      Objects.requireNonNull(local, "local");
      Objects.requireNonNull(remote, "remote");
      Objects.requireNonNull(connectedAt, "connectedAt");
    }
  }

  /** Whether the two are the two ends of one connection. */
  public static boolean areEnds(End a, End b) {
    return !a.connectionId().equals(b.connectionId())
        && a.local().equals(b.remote())
        && a.remote().equals(b.local())
        && distance(a, b).compareTo(WINDOW) <= 0;
  }

  /**
   * The other end of {@code end} among unpaired candidates: of those that match, the one connected
   * closest in time (a page that reuses its certificate for several connections makes several
   * match), then the smallest id, so that every server picks the same.
   */
  public static Optional<End> otherEnd(End end, Collection<End> candidates) {
    return candidates.stream()
        .filter(candidate -> areEnds(end, candidate))
        .min(
            Comparator.comparing((End candidate) -> distance(end, candidate))
                .thenComparing(End::connectionId));
  }

  private static Duration distance(End a, End b) {
    return Duration.between(a.connectedAt(), b.connectedAt()).abs();
  }
}
