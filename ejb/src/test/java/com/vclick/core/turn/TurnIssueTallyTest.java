package com.vclick.core.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnIssueTallyTest {

  private static TurnCredentials expiringAt(long epochSecond) {
    return new TurnCredentials(
        epochSecond + ":sub", "x", 600, Instant.ofEpochSecond(epochSecond), List.of());
  }

  @Test
  void countsPerUserWithTheExpiryRangeAndDrainsOnce() {
    var tally = new TurnIssueTally();
    tally.issued("alice", expiringAt(2000));
    tally.issued("alice", expiringAt(1000));
    tally.issued("alice", expiringAt(3000));
    tally.issued("bob", expiringAt(1500));

    List<TurnIssueTally.Count> counts = tally.drain();
    assertEquals(2, counts.size());
    var alice = counts.stream().filter(c -> c.username().equals("alice")).findFirst().orElseThrow();
    assertEquals("count=3 ttl=600 firstExpiry=1000 lastExpiry=3000", alice.detail());
    assertTrue(tally.drain().isEmpty(), "drained counts are not given twice");
  }

  @Test
  void countsThatCouldNotBeWrittenGoIntoTheNextSummary() {
    var tally = new TurnIssueTally();
    tally.issued("alice", expiringAt(1000));
    List<TurnIssueTally.Count> undelivered = tally.drain();
    tally.issued("alice", expiringAt(2000));
    tally.restore(undelivered);
    assertEquals("count=2 ttl=600 firstExpiry=1000 lastExpiry=2000", tally.drain().get(0).detail());
  }
}
