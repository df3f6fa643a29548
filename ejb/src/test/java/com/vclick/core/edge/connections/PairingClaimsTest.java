package com.vclick.core.edge.connections;

import static com.vclick.core.edge.connections.Events.T0;
import static com.vclick.core.edge.connections.Events.cert;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pairing rules, one claim at a time: mirror, nobody else, disputes stick. */
class PairingClaimsTest {

  /**
   * {@code user}'s connection {@code id}, claiming certificates {@code local} and {@code remote}.
   */
  private static PairingClaims.Claim claim(String id, String user, int local, int remote) {
    return claim(id, user, local, remote, 0, null, false);
  }

  private static PairingClaims.Claim claim(
      String id, String user, int local, int remote, int second, String peer, boolean disputed) {
    return new PairingClaims.Claim(
        id, user, cert(local), cert(remote), T0.plusSeconds(second), peer, disputed);
  }

  @Test
  void aMirrorClaimedByNobodyElsePairs() {
    assertEquals(
        new PairingClaims.Pair("b"),
        PairingClaims.judge(claim("a", "alice", 1, 2), List.of(claim("b", "bob", 2, 1))));
  }

  @Test
  void nothingToPairWithLeavesItWaiting() {
    assertEquals(
        new PairingClaims.Unchanged(), PairingClaims.judge(claim("a", "alice", 1, 2), List.of()));
  }

  @Test
  void aClaimThatDoesNotMirrorPairsNobody() {
    // Same two certificates the same way round by the same user: a page reusing its certificate.
    assertEquals(
        new PairingClaims.Unchanged(),
        PairingClaims.judge(claim("a", "alice", 1, 2), List.of(claim("a2", "alice", 1, 2))));
  }

  @Test
  void aSecondUserOnTheSameSideDisputesEveryClaimOnTheCertificates() {
    var verdict =
        PairingClaims.judge(
            claim("mallory", "mallory", 2, 1),
            List.of(
                claim("a", "alice", 1, 2, 0, "b", false), claim("b", "bob", 2, 1, 0, "a", false)));
    assertEquals(new PairingClaims.Dispute(Set.of("mallory", "a", "b")), verdict);
  }

  @Test
  void twoUsersMirroringOneEndDisputeIt() {
    var verdict =
        PairingClaims.judge(
            claim("a", "alice", 1, 2),
            List.of(claim("b", "bob", 2, 1), claim("m", "mallory", 2, 1)));
    assertEquals(new PairingClaims.Dispute(Set.of("a", "b", "m")), verdict);
  }

  @Test
  void aClaimOnDisputedCertificatesIsDisputedToo() {
    // The real other end reporting after the forger: it cannot tell itself apart.
    var verdict =
        PairingClaims.judge(
            claim("b", "bob", 2, 1), List.of(claim("a", "alice", 1, 2, 0, null, true)));
    assertEquals(new PairingClaims.Dispute(Set.of("b", "a")), verdict);
  }

  @Test
  void oneUserInTwoBrowsersPairs() {
    assertEquals(
        new PairingClaims.Pair("a2"),
        PairingClaims.judge(claim("a1", "alice", 1, 2), List.of(claim("a2", "alice", 2, 1))));
  }

  @Test
  void aPageReusingItsCertificatePairsTheClosestInTime() {
    var verdict =
        PairingClaims.judge(
            claim("a", "alice", 1, 2, 100, null, false),
            List.of(
                claim("b-early", "bob", 2, 1, 0, null, false),
                claim("b-near", "bob", 2, 1, 95, null, false),
                claim("b-paired", "bob", 2, 1, 100, "x", false)));
    assertEquals(new PairingClaims.Pair("b-near"), verdict);
  }

  @Test
  void claimsOutsideTheWindowNeitherPairNorDispute() {
    int far = (int) PeerMatching.WINDOW.toSeconds() + 1;
    assertEquals(
        new PairingClaims.Unchanged(),
        PairingClaims.judge(
            claim("a", "alice", 1, 2),
            List.of(
                claim("b", "bob", 2, 1, far, null, false),
                claim("m", "mallory", 1, 2, far, null, false))));
  }

  @Test
  void claimsOnOtherCertificatesAreIgnored() {
    assertEquals(
        new PairingClaims.Pair("b"),
        PairingClaims.judge(
            claim("a", "alice", 1, 2),
            List.of(claim("b", "bob", 2, 1), claim("m", "mallory", 2, 3))));
  }

  @Test
  void aPairedClaimStaysPairedWhileUncontested() {
    assertEquals(
        new PairingClaims.Unchanged(),
        PairingClaims.judge(
            claim("a", "alice", 1, 2, 0, "b", false),
            List.of(claim("b", "bob", 2, 1, 0, "a", false))));
  }
}
