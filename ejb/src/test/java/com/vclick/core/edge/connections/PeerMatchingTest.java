package com.vclick.core.edge.connections;

import static com.vclick.core.edge.connections.Events.T0;
import static com.vclick.core.edge.connections.Events.cert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeerMatchingTest {

  private static PeerMatching.End end(String id, int local, int remote, int second) {
    return new PeerMatching.End(id, cert(local), cert(remote), T0.plusSeconds(second));
  }

  @Test
  void theTwoEndsReportTheSameCertificatesCrossedOver() {
    assertTrue(PeerMatching.areEnds(end("a", 1, 2, 0), end("b", 2, 1, 0)));
    assertFalse(PeerMatching.areEnds(end("a", 1, 2, 0), end("b", 1, 2, 0)), "not crossed");
    assertFalse(PeerMatching.areEnds(end("a", 1, 2, 0), end("b", 2, 3, 0)), "one matches");
    assertFalse(PeerMatching.areEnds(end("a", 1, 1, 0), end("a", 1, 1, 0)), "never itself");
  }

  @Test
  void theEndsConnectWithinTenMinutesOfEachOther() {
    assertTrue(PeerMatching.areEnds(end("a", 1, 2, 0), end("b", 2, 1, 600)));
    assertTrue(PeerMatching.areEnds(end("a", 1, 2, 600), end("b", 2, 1, 0)));
    assertFalse(PeerMatching.areEnds(end("a", 1, 2, 0), end("b", 2, 1, 601)));
  }

  @Test
  void ofSeveralMatchesTheClosestInTimeThenTheSmallestIdWins() {
    PeerMatching.End mine = end("m", 1, 2, 100);
    assertEquals(
        Optional.of("near"),
        PeerMatching.otherEnd(
                mine, List.of(end("far", 2, 1, 0), end("near", 2, 1, 130), end("x", 3, 1, 100)))
            .map(PeerMatching.End::connectionId));
    assertEquals(
        Optional.of("a"),
        PeerMatching.otherEnd(mine, List.of(end("b", 2, 1, 90), end("a", 2, 1, 110)))
            .map(PeerMatching.End::connectionId));
    assertEquals(Optional.empty(), PeerMatching.otherEnd(mine, List.of(end("x", 2, 2, 100))));
  }
}
