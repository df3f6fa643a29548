package com.vclick.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The chain check on entries built in memory: what an attacker with write access to the database
 * but without the key can and cannot do.
 */
class AuditChainCheckTest {

  private static final AuditKey KEY = AuditKey.of(Optional.of("k".repeat(AuditKey.MIN_LENGTH)));
  private static final AuditKey OTHER_KEY =
      AuditKey.of(Optional.of("m".repeat(AuditKey.MIN_LENGTH)));
  private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");

  /** A sealed start at 1 and n sealed entries, as the server writes them. */
  private static AuditChainStart sealedStart(AuditKey key) {
    return new AuditChainStart(1, AuditHash.GENESIS, 1, key.sealStart(1, AuditHash.GENESIS, 1));
  }

  private static List<AuditEntry> chain(int n, AuditKey key) {
    List<AuditEntry> entries = new ArrayList<>();
    String previous = AuditHash.GENESIS;
    for (int i = 1; i <= n; i++) {
      var entry =
          new AuditEntry(
              i, AT.plusSeconds(i), "alice", "recording.played", "r" + i, "d", previous, key);
      entries.add(entry);
      previous = entry.hash();
    }
    return entries;
  }

  private static AuditVerification check(
      AuditKey key, AuditChainStart start, List<AuditEntry> entries) {
    var check = new AuditChainCheck(key, start);
    entries.forEach(check::accept);
    AuditEntry last = entries.get(entries.size() - 1);
    return check.finish(last.sequence(), last.hash());
  }

  /**
   * Rewrites entry {@code at}'s detail and recomputes the plain chain from there on, as anyone who
   * can write the database can: hashes and links are all consistent again.
   */
  private static List<AuditEntry> rewriteAndRehash(List<AuditEntry> entries, int at) {
    List<AuditEntry> forged = new ArrayList<>(entries.subList(0, at - 1));
    String previous = at == 1 ? AuditHash.GENESIS : entries.get(at - 2).hash();
    for (AuditEntry original : entries.subList(at - 1, entries.size())) {
      String detail = original.sequence() == at ? "nothing happened" : original.detail();
      String hash =
          AuditHash.of(
              previous,
              original.sequence(),
              original.occurredAt(),
              original.actor(),
              original.action(),
              original.target(),
              detail);
      // The attacker keeps the old seal (or any value): it cannot compute the right one.
      forged.add(
          AuditEntry.archived(
              original.sequence(),
              original.occurredAt(),
              original.actor(),
              original.action(),
              original.target(),
              detail,
              previous,
              hash,
              original.seal()));
      previous = hash;
    }
    return forged;
  }

  @Test
  void anIntactSealedChainVerifies() {
    var result = check(KEY, sealedStart(KEY), chain(5, KEY));
    assertTrue(result.intact(), result.toString());
    assertTrue(result.sealed());
    assertEquals(5, result.entriesChecked());
    assertNull(result.problem());
  }

  @Test
  void aRewriteWithARecomputedPlainChainIsCaughtByTheSeal() {
    List<AuditEntry> forged = rewriteAndRehash(chain(5, KEY), 3);

    var unsealed = check(AuditKey.none(), AuditChainStart.genesis(), forged);
    assertTrue(unsealed.intact(), "the plain chain alone cannot tell: " + unsealed);

    var sealed = check(KEY, sealedStart(KEY), forged);
    assertFalse(sealed.intact());
    assertEquals(3, sealed.firstBrokenSequence());
    assertTrue(sealed.problem().contains("seal"), sealed.problem());
  }

  @Test
  void strippedSealsAndAnUnsealedStartAreCaught() {
    List<AuditEntry> stripped = new ArrayList<>();
    for (AuditEntry e : chain(3, AuditKey.none())) {
      stripped.add(e);
    }
    var result = check(KEY, AuditChainStart.genesis(), stripped);
    assertFalse(result.intact());
    assertTrue(result.problem().contains("start"), result.problem());

    var claimedLaterSealing =
        new AuditChainStart(1, AuditHash.GENESIS, 4, KEY.sealStart(1, AuditHash.GENESIS, 1));
    assertFalse(check(KEY, claimedLaterSealing, stripped).intact());
  }

  @Test
  void sealsOfAnotherKeyDoNotVerify() {
    var result = check(KEY, sealedStart(OTHER_KEY), chain(2, OTHER_KEY));
    assertFalse(result.intact());
  }

  @Test
  void entriesBeforeSealingBeganNeedNoSeal() {
    List<AuditEntry> entries = new ArrayList<>(chain(2, AuditKey.none()));
    var third = new AuditEntry(3, AT, "bob", "x", "t", "d", entries.get(1).hash(), KEY);
    entries.add(third);
    var start =
        new AuditChainStart(1, AuditHash.GENESIS, 3, KEY.sealStart(1, AuditHash.GENESIS, 3));
    assertTrue(check(KEY, start, entries).intact());
  }

  @Test
  void droppedDeletedOrTruncatedEntriesAreCaught() {
    List<AuditEntry> entries = chain(5, KEY);
    List<AuditEntry> gap = new ArrayList<>(entries);
    gap.remove(2);
    var check = new AuditChainCheck(KEY, sealedStart(KEY));
    gap.forEach(check::accept);
    var result = check.finish(5, entries.get(4).hash());
    assertFalse(result.intact());
    assertEquals(3, result.firstBrokenSequence());

    var truncated = new AuditChainCheck(KEY, sealedStart(KEY));
    entries.subList(0, 4).forEach(truncated::accept);
    assertFalse(
        truncated.finish(5, entries.get(4).hash()).intact(), "head says 5, chain ends at 4");
  }

  @Test
  void aStartMovedWithoutTheKeyIsCaught() {
    List<AuditEntry> entries = chain(5, KEY);
    // Drop entries 1-2 and claim the chain starts at 3, without the key to seal that start.
    var moved = new AuditChainStart(3, entries.get(1).hash(), 1, sealedStart(KEY).seal());
    var result = check(KEY, moved, entries.subList(2, 5));
    assertFalse(result.intact());
    assertTrue(result.problem().contains("start"), result.problem());
  }

  @Test
  void shortKeysAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> AuditKey.of(Optional.of("short")));
    assertFalse(AuditKey.of(Optional.of("")).present());
    assertFalse(AuditKey.of(Optional.empty()).present());
  }
}
