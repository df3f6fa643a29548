package com.vclick.core.edge.connections;

import static com.vclick.core.edge.connections.Events.T0;
import static com.vclick.core.edge.connections.Events.cert;
import static com.vclick.core.edge.connections.Events.closed;
import static com.vclick.core.edge.connections.Events.connected;
import static com.vclick.core.edge.connections.Events.created;
import static com.vclick.core.edge.connections.Events.id;
import static com.vclick.core.edge.connections.Events.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.core.edge.CandidateType;
import com.vclick.core.identity.Caller;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Batches applied to stored rows (kept in maps): idempotence, ownership, pairing, grouping. */
class ConnectionIngestTest {

  private static final Instant NOW = T0.plusSeconds(3_600);
  private static final Caller ALICE =
      new Caller("u-alice", "alice", "Alice Liddell", "", "", Set.of("caller"));
  private static final Caller BOB = new Caller("u-bob", "bob", "Bob", "", "", Set.of("caller"));

  private final InMemoryRows rows = new InMemoryRows();

  private Map<String, EdgeConnectionRow> report(Caller caller, ConnectionEvent... events) {
    return new ConnectionIngest(rows).apply(caller, List.of(events), NOW);
  }

  private EdgeConnectionRow row(String connectionId) {
    return rows.connections.get(connectionId);
  }

  /** Everything a row says, to compare before and after. */
  private static String state(EdgeConnectionRow row) {
    return String.join(
        "|",
        row.connectionId(),
        row.userId(),
        row.pageId(),
        String.valueOf(row.decisionId()),
        row.startedAt().toString(),
        String.valueOf(row.createdAt()),
        String.valueOf(row.connectedAt()),
        String.valueOf(row.closedAt()),
        String.valueOf(row.localFingerprint()),
        String.valueOf(row.remoteFingerprint()),
        String.valueOf(row.localCandidateType()),
        String.valueOf(row.bytesSent()),
        String.valueOf(row.endReason()),
        String.valueOf(row.peerConnectionId()),
        row.callId());
  }

  @Test
  void eventsInAnyOrderBuildTheConnectionAndRepeatsChangeNothing() {
    String c = id();
    String page = id();
    report(ALICE, closed(c, page, 60));
    EdgeConnectionRow row = row(c);
    assertEquals(T0.plusSeconds(60), row.startedAt(), "the only instant known");
    assertTrue(row.createdAt().isEmpty());

    report(ALICE, connected(c, page, 2, 1, 2), created(c, page, 0));
    assertEquals(T0, row.startedAt());
    assertEquals(Optional.of(T0.plusSeconds(2)), row.connectedAt());
    assertEquals(Optional.of(T0.plusSeconds(60)), row.closedAt());
    assertEquals(Optional.of(cert(1)), row.localFingerprint());
    assertEquals(Optional.of(CandidateType.RELAY), row.remoteCandidateType());
    assertEquals(Optional.of(1_000L), row.bytesSent());
    assertEquals("alice", row.username());
    assertEquals("Alice Liddell", row.displayName());
    assertEquals(NOW, row.reportedAt());

    String before = state(row);
    report(
        ALICE,
        created(c, page, 0),
        created(c, page, 5),
        connected(c, page, 9, 7, 8),
        closed(c, page, 99));
    assertEquals(before, state(row), "the first event of each kind wins");
    assertEquals(1, rows.connections.size());
    assertEquals(1, rows.calls.size());
  }

  @Test
  void aDecisionIdOnceKnownStays() {
    String c = id();
    String page = id();
    String decision = id();
    report(ALICE, created(c, page, 0));
    report(
        ALICE,
        new ConnectionEvent.Closed(
            c, page, decision, Events.MEET, T0.plusSeconds(5), 0, 0, ConnectionEndReason.FAILED));
    report(
        ALICE,
        new ConnectionEvent.Closed(
            c, page, id(), Events.MEET, T0.plusSeconds(5), 0, 0, ConnectionEndReason.FAILED));
    assertEquals(Optional.of(decision), row(c).decisionId());
  }

  @Test
  void anotherUsersConnectionIsUnknownAndNothingOfTheBatchIsApplied() {
    String alices = id();
    report(ALICE, created(alices, id(), 0));
    String before = state(row(alices));

    String bobs = id();
    var refused =
        assertThrows(
            InvalidReportException.class,
            () -> report(BOB, created(bobs, id(), 1), closed(alices, row(alices).pageId(), 9)));

    assertEquals("events[1].connectionId", refused.field());
    assertEquals("Unknown connection; choose a new id.", refused.getMessage());
    assertEquals(before, state(row(alices)));
    assertEquals(Set.of(alices), rows.connections.keySet(), "bob's new connection is not stored");
  }

  @Test
  void aConnectionStaysOnThePageItWasFirstReportedOn() {
    String c = id();
    String page = id();
    report(ALICE, created(c, page, 0));

    var stored =
        assertThrows(InvalidReportException.class, () -> report(ALICE, closed(c, id(), 9)));
    assertEquals("events[0].pageId", stored.field());

    String fresh = id();
    var inBatch =
        assertThrows(
            InvalidReportException.class,
            () -> report(ALICE, created(fresh, page, 0), closed(fresh, id(), 9)));
    assertEquals("events[1].pageId", inBatch.field());
    assertTrue(row(fresh) == null);
  }

  @Test
  void crossedFingerprintsPairTwoUsersIntoOneCall() {
    String alices = id();
    String alicePage = id();
    String bobs = id();
    String bobPage = id();

    assertEquals(
        Map.of(),
        report(ALICE, created(alices, alicePage, 0), connected(alices, alicePage, 3, 1, 2)));
    Map<String, EdgeConnectionRow> bobsPeers =
        report(BOB, created(bobs, bobPage, 1), connected(bobs, bobPage, 4, 2, 1));

    assertEquals(Set.of(bobs), bobsPeers.keySet());
    assertEquals("u-alice", bobsPeers.get(bobs).userId());
    assertEquals(Optional.of(bobs), row(alices).peerConnectionId());
    assertEquals(Optional.of(alices), row(bobs).peerConnectionId());
    // Alice learns it with her next report of that connection, a repeat included.
    Map<String, EdgeConnectionRow> alicesPeers =
        report(ALICE, connected(alices, alicePage, 3, 1, 2));
    assertEquals("u-bob", alicesPeers.get(alices).userId());

    assertEquals(alices, row(alices).callId(), "the first connection names the call");
    assertEquals(alices, row(bobs).callId());
    assertEquals(Set.of(alices), rows.calls.keySet(), "bob's page's call was merged away");
    assertEquals(T0, rows.calls.get(alices).startedAt());
    assertTrue(rows.calls.get(alices).endedAt().isEmpty());

    report(ALICE, closed(alices, alicePage, 60));
    assertTrue(rows.calls.get(alices).endedAt().isEmpty(), "bob's end is still open");
    report(BOB, closed(bobs, bobPage, 61));
    assertEquals(Optional.of(T0.plusSeconds(61)), rows.calls.get(alices).endedAt());
  }

  @Test
  void bothEndsInOneBatchPairToo() {
    // One user, one page, both ends (a loopback test page): two connections, crossed.
    String a = id();
    String b = id();
    String page = id();
    Map<String, EdgeConnectionRow> peers =
        report(ALICE, connected(a, page, 1, 5, 6), connected(b, page, 1, 6, 5));
    assertEquals(b, peers.get(a).connectionId());
    assertEquals(a, peers.get(b).connectionId());
  }

  @Test
  void oneUserInTwoBrowsersIsPairedWithThemselves() {
    String first = id();
    String second = id();
    report(ALICE, connected(first, id(), 0, 1, 2));
    Map<String, EdgeConnectionRow> peers = report(ALICE, connected(second, id(), 2, 2, 1));
    assertEquals(first, peers.get(second).connectionId());
    assertEquals(row(first).callId(), row(second).callId());
  }

  @Test
  void pairingNeedsBothFingerprintsWithinTenMinutesAndAnUnpairedEnd() {
    String alices = id();
    report(ALICE, connected(alices, id(), 0, 1, 2));

    assertEquals(Map.of(), report(BOB, connected(id(), id(), 1, 2, 3)), "one fingerprint only");
    assertEquals(Map.of(), report(BOB, connected(id(), id(), 601, 2, 1)), "10 min 1 s later");
    String bobs = id();
    assertEquals(alices, report(BOB, connected(bobs, id(), 600, 2, 1)).get(bobs).connectionId());
    assertEquals(
        Map.of(), report(BOB, connected(id(), id(), 600, 2, 1)), "a paired end pairs no more");
  }

  @Test
  void aReusedCertificatePairsWithTheEndConnectedClosestInTime() {
    // Alice's page reuses its certificate; bob's page too: two connections, same fingerprints.
    String early = id();
    String late = id();
    String alicePage = id();
    report(ALICE, connected(early, alicePage, 0, 1, 2), connected(late, alicePage, 300, 1, 2));

    String bobs = id();
    assertEquals(late, report(BOB, connected(bobs, id(), 290, 2, 1)).get(bobs).connectionId());
    assertTrue(row(early).peerConnectionId().isEmpty());
  }

  @Test
  void connectionsOfAPageThatOverlapAreOneCallAndALaterOneStartsAnother() {
    String page = id();
    String a = id();
    String b = id();
    String c = id();
    report(ALICE, created(a, page, 0), created(b, page, 30), closed(a, page, 60));
    report(ALICE, closed(b, page, 90), created(c, page, 91));

    assertEquals(a, row(a).callId());
    assertEquals(a, row(b).callId());
    assertEquals(c, row(c).callId());
    assertEquals(Optional.of(T0.plusSeconds(90)), rows.calls.get(a).endedAt());
    assertTrue(rows.calls.get(c).endedAt().isEmpty());
    assertEquals(Set.of(a, c), rows.calls.keySet());

    // The same times on another page of the same user are another call.
    String elsewhere = id();
    report(ALICE, created(elsewhere, id(), 30));
    assertEquals(elsewhere, row(elsewhere).callId());
  }

  @Test
  void aLateCloseSplitsACallThatOnlySeemedToOverlap() {
    String page = id();
    String a = id();
    String b = id();
    report(ALICE, created(a, page, 0));
    report(ALICE, created(b, page, 100));
    assertEquals(a, row(b).callId(), "a was open when b started, as far as the server knew");

    report(ALICE, closed(a, page, 50));

    assertEquals(a, row(a).callId());
    assertEquals(b, row(b).callId());
    assertEquals(Optional.of(T0.plusSeconds(50)), rows.calls.get(a).endedAt());
    assertEquals(T0.plusSeconds(100), rows.calls.get(b).startedAt());
  }

  @Test
  void aLateEarlierConnectionRenamesTheCallAndItsOldRowGoes() {
    String page = id();
    String a = id();
    String b = id();
    report(ALICE, created(b, page, 10));
    assertEquals(Set.of(b), rows.calls.keySet());

    report(ALICE, created(a, page, 0));

    assertEquals(a, row(b).callId());
    assertEquals(Set.of(a), rows.calls.keySet());
  }

  // --- pairing that cannot be claimed ---------------------------------------------------------

  private static final Caller MALLORY =
      new Caller("u-mallory", "mallory", "Mallory", "", "", Set.of("caller"));

  private ConnectionIngest lastIngest;

  private Map<String, EdgeConnectionRow> reportKeeping(Caller caller, ConnectionEvent... events) {
    lastIngest = new ConnectionIngest(rows);
    return lastIngest.apply(caller, List.of(events), NOW);
  }

  @Test
  void aForgedClaimAfterThePairingUndoesItDisputesEveryoneAndJoinsNobody() {
    String a = id();
    String b = id();
    String m = id();
    String alicePage = id();
    String bobPage = id();
    report(ALICE, connected(a, alicePage, 2, 1, 2));
    report(BOB, connected(b, bobPage, 3, 2, 1));
    assertEquals(Optional.of(b), row(a).peerConnectionId());

    Map<String, EdgeConnectionRow> peers = reportKeeping(MALLORY, connected(m, id(), 4, 2, 1));

    assertEquals(Map.of(), peers, "the forger learns nobody");
    assertTrue(row(a).peerConnectionId().isEmpty(), "the claimed pairing is undone");
    assertTrue(row(b).peerConnectionId().isEmpty());
    assertTrue(row(a).pairingDisputed() && row(b).pairingDisputed() && row(m).pairingDisputed());
    assertEquals(List.of(m), List.of(row(m).callId()), "mallory's call is hers alone");
    assertEquals(a, row(a).callId());
    assertEquals(b, row(b).callId(), "alice and bob are no longer one call");
    assertTrue(rows.calls.get(a).disputed() && rows.calls.get(b).disputed());
    assertTrue(rows.calls.get(m).disputed());
    assertEquals(
        List.of(new ConnectionIngest.Dispute("u-mallory", m, 3, 1)), lastIngest.disputes());
  }

  @Test
  void aForgerWhoClaimsFirstLosesThePairingWhenTheRealEndReports() {
    String a = id();
    String b = id();
    String m = id();
    report(MALLORY, connected(m, id(), 1, 2, 1));
    report(ALICE, connected(a, id(), 2, 1, 2));
    assertEquals(Optional.of(m), row(a).peerConnectionId(), "alone, a claim looks like the end");

    Map<String, EdgeConnectionRow> peers = reportKeeping(BOB, connected(b, id(), 3, 2, 1));

    assertEquals(Map.of(), peers);
    assertTrue(row(a).peerConnectionId().isEmpty() && row(m).peerConnectionId().isEmpty());
    assertEquals(m, row(m).callId(), "mallory no longer shares alice's call");
    assertEquals(a, row(a).callId());
    assertEquals(1, lastIngest.disputes().size());
  }

  @Test
  void disputesStickAndAreAuditedOnce() {
    String a = id();
    String page = id();
    report(ALICE, connected(a, page, 2, 1, 2));
    report(BOB, connected(id(), id(), 3, 2, 1));
    report(MALLORY, connected(id(), id(), 4, 2, 1));

    reportKeeping(ALICE, connected(a, page, 2, 1, 2), closed(a, page, 9));

    assertTrue(row(a).pairingDisputed());
    assertEquals(List.of(), lastIngest.disputes(), "nothing new is disputed");
  }

  @Test
  void pairingAndRegroupingLockWhatTheyRead() {
    String a = id();
    String b = id();
    String alicePage = id();
    String bobPage = id();
    report(BOB, connected(b, bobPage, 3, 2, 1));
    rows.locked.clear();

    report(ALICE, connected(a, alicePage, 2, 1, 2));

    assertEquals(
        Set.of(
            "page u-alice " + alicePage,
            "claims " + ConnectionLocks.claims(cert(1), cert(2)),
            "page u-bob " + bobPage),
        rows.locked);
  }

  // --- accounting that ends ---------------------------------------------------------------------

  @Test
  void samplesKeepTheLatestFiguresWhileOpenAndAClosedOnesWin() {
    String c = id();
    String page = id();
    report(ALICE, created(c, page, 0), sample(c, page, 20, 500), sample(c, page, 10, 100));
    assertEquals(Optional.of(500L), row(c).bytesSent(), "the latest by the browser's clock");
    assertEquals(Optional.of(1_000L), row(c).bytesReceived());
    assertTrue(row(c).closedAt().isEmpty());

    report(ALICE, closed(c, page, 30), sample(c, page, 40, 9_999));
    assertEquals(Optional.of(1_000L), row(c).bytesSent(), "closed's figures are final");
  }

  @Test
  void aLostConnectionEndsAtTheLastInstantKnownWithTheLastFiguresAndEndsItsCall() {
    String a = id();
    String b = id();
    String alicePage = id();
    String bobPage = id();
    report(ALICE, created(a, alicePage, 0), connected(a, alicePage, 2, 1, 2));
    report(BOB, connected(b, bobPage, 3, 2, 1));
    report(ALICE, sample(a, alicePage, 40, 700));
    report(BOB, closed(b, bobPage, 50));
    assertTrue(rows.calls.get(a).endedAt().isEmpty(), "alice's end is open");

    List<EdgeConnectionRow> ended =
        new ConnectionIngest(rows).lose("u-alice", alicePage, r -> true);

    assertEquals(List.of(row(a)), ended);
    assertEquals(Optional.of(ConnectionEndReason.LOST), row(a).endReason());
    assertEquals(Optional.of(T0.plusSeconds(40)), row(a).closedAt(), "its last sample");
    assertEquals(Optional.of(700L), row(a).bytesSent());
    assertEquals(Optional.of(T0.plusSeconds(50)), rows.calls.get(a).endedAt(), "the call ends");
  }

  @Test
  void losingSkipsWhatThePredicateKeepsAndWhatIsClosed() {
    String open = id();
    String kept = id();
    String done = id();
    String page = id();
    report(ALICE, created(open, page, 0), created(kept, page, 1), closed(done, page, 2));

    List<EdgeConnectionRow> ended =
        new ConnectionIngest(rows).lose("u-alice", page, r -> !r.connectionId().equals(kept));

    assertEquals(List.of(row(open)), ended);
    assertTrue(row(kept).closedAt().isEmpty());
    assertEquals(Optional.of(ConnectionEndReason.CLOSED_BY_PAGE), row(done).endReason());
    assertEquals(Set.of("page u-alice " + page), rows.locked);
  }

  @Test
  void theBrowsersLateCloseReplacesTheLostVerdict() {
    String c = id();
    String page = id();
    report(ALICE, created(c, page, 0));
    new ConnectionIngest(rows).lose("u-alice", page, r -> true);

    report(ALICE, closed(c, page, 30));

    assertEquals(Optional.of(ConnectionEndReason.CLOSED_BY_PAGE), row(c).endReason());
    assertEquals(Optional.of(T0.plusSeconds(30)), row(c).closedAt());
    assertEquals(Optional.of(T0.plusSeconds(30)), rows.calls.get(c).endedAt());
  }

  @Test
  void everyReportIsHeardAtTheServersClock() {
    String c = id();
    String page = id();
    new ConnectionIngest(rows).apply(ALICE, List.of(created(c, page, 0)), NOW);
    new ConnectionIngest(rows).apply(ALICE, List.of(sample(c, page, 5, 1)), NOW.plusSeconds(60));
    assertEquals(Optional.of(NOW.plusSeconds(60)), row(c).lastReportAt());
    assertEquals(NOW, row(c).reportedAt());
  }
}
