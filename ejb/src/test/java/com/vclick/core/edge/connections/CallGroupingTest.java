package com.vclick.core.edge.connections;

import static com.vclick.core.edge.connections.Events.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallGroupingTest {

  /** A connection of {@code user} on {@code page} from second {@code start} to {@code end}. */
  private static CallGrouping.Span span(
      String id, String user, String page, int start, Integer end, String peer) {
    return new CallGrouping.Span(
        id,
        user,
        page,
        "https://" + id + ".example",
        T0.plusSeconds(start),
        end == null ? null : T0.plusSeconds(end),
        peer);
  }

  private static List<List<String>> ids(List<CallGrouping.Call> calls) {
    return calls.stream()
        .map(call -> call.connections().stream().map(CallGrouping.Span::connectionId).toList())
        .toList();
  }

  @Test
  void overlappingConnectionsOfOnePageAreOneCall() {
    var calls =
        CallGrouping.group(
            List.of(
                span("c", "u", "p", 50, 70, null),
                span("a", "u", "p", 0, 40, null),
                span("b", "u", "p", 30, 45, null),
                span("d", "u", "p", 71, 80, null)));

    assertEquals(List.of(List.of("a", "b"), List.of("c"), List.of("d")), ids(calls));
    CallGrouping.Call first = calls.get(0);
    assertEquals("a", first.callId());
    assertEquals("https://a.example", first.origin(), "the first connection's origin");
    assertEquals(T0, first.startedAt());
    assertEquals(Optional.of(T0.plusSeconds(45)), first.endedAt());
  }

  @Test
  void aConnectionJoinsTheRunningCallNotJustItsLastConnection() {
    // b ends before c starts, but a, still running, carries the call on.
    var calls =
        CallGrouping.group(
            List.of(
                span("a", "u", "p", 0, 100, null),
                span("b", "u", "p", 10, 20, null),
                span("c", "u", "p", 50, 60, null),
                span("d", "u", "p", 100, 110, null)));
    assertEquals(List.of(List.of("a", "b", "c", "d")), ids(calls), "touching counts");
  }

  @Test
  void anOpenConnectionRunsOnAndKeepsTheCallOpen() {
    var calls =
        CallGrouping.group(
            List.of(span("a", "u", "p", 0, null, null), span("b", "u", "p", 9_000, 9_001, null)));
    assertEquals(List.of(List.of("a", "b")), ids(calls));
    assertEquals(Optional.empty(), calls.get(0).endedAt());
  }

  @Test
  void pagesAndUsersAreSeparateUntilPaired() {
    var apart =
        CallGrouping.group(
            List.of(
                span("a", "u", "p", 0, 10, null),
                span("b", "u", "q", 0, 10, null),
                span("c", "v", "p", 0, 10, null)));
    assertEquals(3, apart.size());

    var paired =
        CallGrouping.group(
            List.of(
                span("a", "alice", "pa", 0, 60, "b"),
                span("a2", "alice", "pa", 5, 60, "c"),
                span("b", "bob", "pb", 2, 61, "a"),
                span("b2", "bob", "pb", 6, 61, "c2"),
                span("c", "carol", "pc", 3, 62, "a2"),
                span("c2", "carol", "pc", 4, 62, "b2"),
                span("z", "carol", "pc", 100, 120, null)));
    assertEquals(
        List.of(List.of("a", "b", "c", "c2", "a2", "b2"), List.of("z")),
        ids(paired),
        "a mesh of three pages is one call; carol's later connection another");
    assertEquals(Optional.of(T0.plusSeconds(62)), paired.get(0).endedAt());
  }

  @Test
  void aPeerNotGivenIsIgnoredAndTiesGoToTheSmallestId() {
    var calls =
        CallGrouping.group(
            List.of(span("b", "u", "p", 0, 10, "gone"), span("a", "u", "p", 0, 10, null)));
    assertEquals(List.of(List.of("a", "b")), ids(calls));
    assertEquals("a", calls.get(0).callId());
  }

  @Test
  void aConnectionGivenTwiceIsAMistake() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            CallGrouping.group(
                List.of(span("a", "u", "p", 0, 10, null), span("a", "u", "p", 0, 10, null))));
  }

  @Test
  void nothingMakesNoCall() {
    assertEquals(List.of(), CallGrouping.group(List.<CallGrouping.Span>of()));
  }
}
