package com.vclick.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditHashTest {

  private static final Instant AT = Instant.parse("2026-11-24T07:00:00Z");

  @Test
  void hashIsStableAndHex() {
    String hash = AuditHash.of(AuditHash.GENESIS, 1, AT, "alice", "x", "t", "d");
    assertEquals(hash, AuditHash.of(AuditHash.GENESIS, 1, AT, "alice", "x", "t", "d"));
    assertEquals(64, hash.length());
  }

  @Test
  void everyFieldAndThePreviousHashCount() {
    String base = AuditHash.of(AuditHash.GENESIS, 1, AT, "alice", "x", "t", "d");
    assertNotEquals(base, AuditHash.of("1".repeat(64), 1, AT, "alice", "x", "t", "d"));
    assertNotEquals(base, AuditHash.of(AuditHash.GENESIS, 2, AT, "alice", "x", "t", "d"));
    assertNotEquals(
        base, AuditHash.of(AuditHash.GENESIS, 1, AT.plusMillis(1), "alice", "x", "t", "d"));
    assertNotEquals(base, AuditHash.of(AuditHash.GENESIS, 1, AT, "mallory", "x", "t", "d"));
    assertNotEquals(base, AuditHash.of(AuditHash.GENESIS, 1, AT, "alice", "y", "t", "d"));
    assertNotEquals(base, AuditHash.of(AuditHash.GENESIS, 1, AT, "alice", "x", "u", "d"));
    assertNotEquals(base, AuditHash.of(AuditHash.GENESIS, 1, AT, "alice", "x", "t", "e"));
  }

  @Test
  void fieldBoundariesCannotBeShifted() {
    assertNotEquals(
        AuditHash.of(AuditHash.GENESIS, 1, AT, "ab", "c", "t", "d"),
        AuditHash.of(AuditHash.GENESIS, 1, AT, "a", "bc", "t", "d"));
  }
}
