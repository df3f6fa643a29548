package com.vclick.core.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PresenceBookTest {

  private final PresenceBook book = new PresenceBook();

  @Test
  void onlineWhileAnyConnectionIsOpen() {
    book.watch("carol-tab", List.of("bob"));

    assertEquals(
        Optional.of(new PresenceChange("bob", Presence.ONLINE, Set.of("carol-tab"))),
        book.connected("bob", "bob-tab"));
    assertEquals(Optional.empty(), book.connected("bob", "bob-extension"));
    assertEquals(Optional.empty(), book.disconnected("bob-tab"));
    assertEquals(Presence.ONLINE, book.presenceOf("bob"));
    assertEquals(
        Optional.of(new PresenceChange("bob", Presence.OFFLINE, Set.of("carol-tab"))),
        book.disconnected("bob-extension"));
  }

  @Test
  void busyWhileInACallAndForgottenWhenTheLastConnectionCloses() {
    book.connected("bob", "bob-tab");
    assertEquals(Presence.BUSY, book.busy("bob", true).orElseThrow().presence());
    assertEquals(Optional.empty(), book.busy("bob", true));
    assertEquals(Presence.OFFLINE, book.disconnected("bob-tab").orElseThrow().presence());
    book.connected("bob", "bob-tab-2");
    assertEquals(Presence.ONLINE, book.presenceOf("bob"), "busy does not survive going offline");
  }

  @Test
  void changesGoOnlyToWatchers() {
    book.watch("alice-tab", List.of("bob"));
    book.watch("dave-tab", List.of("carol"));
    assertEquals(Set.of("alice-tab"), book.connected("bob", "bob-tab").orElseThrow().watchers());
  }

  @Test
  void watchReturnsCurrentPresence() {
    book.connected("bob", "bob-tab");
    assertEquals(
        Map.of("bob", Presence.ONLINE, "carol", Presence.OFFLINE),
        book.watch("alice-tab", List.of("bob", "carol")));
  }

  @Test
  void watchingTheSamePeopleAgainAnswersOnlyTheNewOnes() {
    book.connected("bob", "bob-tab");
    List<String> thousand = IntStream.range(0, 1000).mapToObj(i -> "u" + i).toList();
    assertEquals(1000, book.watch("alice-tab", thousand).size());

    assertEquals(Map.of(), book.watch("alice-tab", thousand));
    assertEquals(Map.of(), book.watch("alice-tab", List.of("u1", "u1", "u2")));
    // Still one watcher of each, and changes still reach it.
    book.connected("u7", "u7-tab");
    assertEquals(Set.of("alice-tab"), book.disconnected("u7-tab").orElseThrow().watchers());
  }

  @Test
  void aWatchMixingKnownAndNewPeopleAnswersTheNewOnly() {
    book.watch("alice-tab", List.of("bob"));
    book.connected("carol", "carol-tab");
    assertEquals(
        Map.of("carol", Presence.ONLINE), book.watch("alice-tab", List.of("bob", "carol")));
  }

  @Test
  void aClosedConnectionStopsWatching() {
    book.connected("alice", "alice-tab");
    book.watch("alice-tab", List.of("bob"));
    book.disconnected("alice-tab");
    assertEquals(Set.of(), book.connected("bob", "bob-tab").orElseThrow().watchers());
  }

  @Test
  void unwatchedPeopleNoLongerReachTheConnection() {
    book.watch("alice-tab", List.of("bob", "carol"));
    book.unwatch("alice-tab", List.of("bob", "nobody"));
    assertEquals(Set.of(), book.connected("bob", "bob-tab").orElseThrow().watchers());
    assertEquals(
        Set.of("alice-tab"), book.connected("carol", "carol-tab").orElseThrow().watchers());
  }

  @Test
  void watchingTooManyIsRefusedWithoutChange() {
    List<String> many =
        IntStream.range(0, PresenceBook.MAX_WATCHED_PER_CONNECTION + 1)
            .mapToObj(i -> "u" + i)
            .toList();
    assertThrows(IllegalArgumentException.class, () -> book.watch("tab", many));
    assertTrue(book.connected("u1", "u1-tab").orElseThrow().watchers().isEmpty());
  }

  @Test
  void unknownConnectionsChangeNothingAndDuplicatesAreRefused() {
    assertEquals(Optional.empty(), book.disconnected("never-seen"));
    book.connected("bob", "bob-tab");
    assertThrows(IllegalStateException.class, () -> book.connected("bob", "bob-tab"));
    assertEquals(1, book.connectionCount());
  }
}
