package com.vclick.core.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DirectorySnapshotTest {

  private final DirectorySnapshot snapshot =
      new DirectorySnapshot(
          List.of(
              new DirectoryEntry(
                  "2",
                  "bob",
                  "Bob Baker",
                  "bob@acme-bank.example",
                  "+442079460002",
                  Set.of("staff")),
              new DirectoryEntry(
                  "1",
                  "alice",
                  "Alice Archer",
                  "alice@acme-bank.example",
                  "+442079460001",
                  Set.of("traders"))),
          Instant.parse("2026-11-24T07:00:00Z"));

  private List<String> names(String query) {
    return snapshot.search(query, 10).stream().map(DirectoryEntry::username).toList();
  }

  @Test
  void blankQueryListsEveryoneSortedByName() {
    assertEquals(List.of("alice", "bob"), names(" "));
  }

  @Test
  void matchesNameEmailAndPhoneDigitsCaseInsensitively() {
    assertEquals(List.of("alice"), names("ARCH"));
    assertEquals(List.of("bob"), names("bob@acme"));
    assertEquals(List.of("bob"), names("7946 0002"));
  }

  @Test
  void aQueryWithoutDigitsDoesNotMatchPhoneNumbers() {
    assertEquals(List.of(), names("zzz"));
  }

  @Test
  void limitIsApplied() {
    assertEquals(1, snapshot.search("", 1).size());
  }
}
