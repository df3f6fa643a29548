package com.vclick.core.edge.connections;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a connected end may pair, and with whom. Reports are claims: nothing proves to the server
 * that a browser holds the certificate it names, and both fingerprints of a connection travel in
 * the site's signaling, where another user of the site can read them. So two ends pair only when
 * they mirror each other (each one's local fingerprint is the other's remote) and nobody else
 * claims the same two fingerprints within {@link PeerMatching#WINDOW}: a side claimed by two users,
 * or anything claiming fingerprints already disputed, is a dispute, and a disputed end pairs with
 * nobody, now or later (the pairing it had is undone). One user may claim a side several times (a
 * page that reuses its certificate; one user in two browsers): only claims of different users on
 * one side conflict.
 */
public final class PairingClaims {

  private PairingClaims() {}

  /**
   * One connected end as reported.
   *
   * @param local the fingerprint it says is its own
   * @param remote the fingerprint it says is the far end's
   * @param peerConnectionId its other end, when paired; null otherwise
   * @param disputed whether it is disputed already
   */
  public record Claim(
      String connectionId,
      String userId,
      Fingerprint local,
      Fingerprint remote,
      Instant connectedAt,
      String peerConnectionId,
      boolean disputed) {

    public Claim {
      Objects.requireNonNull(connectionId, "connectionId");
      Objects.requireNonNull(userId, "userId");
      Objects.requireNonNull(local, "local");
      Objects.requireNonNull(remote, "remote");
      Objects.requireNonNull(connectedAt, "connectedAt");
    }

    boolean sameSideAs(Claim other) {
      return local.equals(other.local) && remote.equals(other.remote);
    }

    boolean mirrors(Claim other) {
      return local.equals(other.remote) && remote.equals(other.local);
    }

    PeerMatching.End end() {
      return new PeerMatching.End(connectionId, local, remote, connectedAt);
    }
  }

  /** What becomes of a claim. */
  public sealed interface Verdict {}

  /** It pairs with {@code connectionId}. */
  public record Pair(String connectionId) implements Verdict {}

  /** These claims (the judged one among them) are disputed: none of them pairs. */
  public record Dispute(Set<String> connectionIds) implements Verdict {

    public Dispute {
      connectionIds = Set.copyOf(connectionIds);
    }
  }

  /** Nothing changes: it stays as it is (paired, or waiting for its other end). */
  public record Unchanged() implements Verdict {}

  /**
   * The verdict on {@code claim} given the other claims stored on its two fingerprints (either way
   * round; others are ignored, as are those connected further than {@link PeerMatching#WINDOW}
   * away).
   */
  public static Verdict judge(Claim claim, Collection<Claim> stored) {
    List<Claim> near =
        stored.stream()
            .filter(other -> !other.connectionId().equals(claim.connectionId()))
            .filter(other -> other.sameSideAs(claim) || other.mirrors(claim))
            .filter(other -> distance(claim, other).compareTo(PeerMatching.WINDOW) <= 0)
            .toList();
    Set<String> sameSide = new HashSet<>();
    Set<String> otherSide = new HashSet<>();
    sameSide.add(claim.userId());
    near.forEach(other -> (other.sameSideAs(claim) ? sameSide : otherSide).add(other.userId()));
    boolean disputed =
        claim.disputed()
            || sameSide.size() > 1
            || otherSide.size() > 1
            || near.stream().anyMatch(Claim::disputed);
    if (disputed) {
      Set<String> ids = new LinkedHashSet<>();
      ids.add(claim.connectionId());
      near.forEach(other -> ids.add(other.connectionId()));
      return new Dispute(ids);
    }
    if (claim.peerConnectionId() != null) {
      return new Unchanged();
    }
    Optional<PeerMatching.End> other =
        PeerMatching.otherEnd(
            claim.end(),
            near.stream()
                .filter(candidate -> candidate.peerConnectionId() == null)
                .map(Claim::end)
                .toList());
    return other.<Verdict>map(end -> new Pair(end.connectionId())).orElseGet(Unchanged::new);
  }

  private static Duration distance(Claim a, Claim b) {
    return Duration.between(a.connectedAt(), b.connectedAt()).abs();
  }
}
