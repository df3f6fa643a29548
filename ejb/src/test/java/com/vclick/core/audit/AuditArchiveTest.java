package com.vclick.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archive files and the check across the cut, on a temporary folder: the trail cut into two files
 * plus the entries left "in the database" verifies as one chain; edits, gaps and a moved start do
 * not.
 */
class AuditArchiveTest {

  private static final AuditKey KEY = AuditKey.of(Optional.of("k".repeat(AuditKey.MIN_LENGTH)));
  private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");

  @TempDir Path folder;

  private static List<AuditEntry> chain(int n) {
    List<AuditEntry> entries = new ArrayList<>();
    String previous = AuditHash.GENESIS;
    for (int i = 1; i <= n; i++) {
      var entry =
          new AuditEntry(
              i, AT.plusSeconds(i), "erin", "recording.played", "r" + i, "d\n\"x\"", previous, KEY);
      entries.add(entry);
      previous = entry.hash();
    }
    return entries;
  }

  /** The start the database holds after archiving everything before {@code first}. */
  private static AuditChainStart startAfter(List<AuditEntry> entries, int first) {
    String previous = entries.get(first - 2).hash();
    return new AuditChainStart(first, previous, 1, KEY.sealStart(first, previous, 1));
  }

  /** Entries 1-3 and 4-6 archived; 7-8 still in the database. */
  private List<AuditEntry> archiveSix() throws Exception {
    List<AuditEntry> entries = chain(8);
    AuditArchiveFile.write(folder, entries.subList(0, 3), KEY);
    AuditArchiveFile.write(folder, entries.subList(3, 6), KEY);
    return entries;
  }

  @Test
  void theArchiveAndTheDatabaseVerifyAsOneChain() throws Exception {
    List<AuditEntry> entries = archiveSix();
    AuditChainStart start = startAfter(entries, 7);

    var full = new AuditArchiveCheck(KEY).check(folder, start, true);
    assertTrue(full.intact(), full.toString());
    assertEquals(2, full.files());
    assertEquals(6, full.entries());
    assertTrue(new AuditArchiveCheck(KEY).check(folder, start, false).intact());

    var rest = new AuditChainCheck(KEY, start);
    entries.subList(6, 8).forEach(rest::accept);
    assertTrue(rest.finish(8, entries.get(7).hash()).intact(), "the database part starts sealed");
  }

  @Test
  void filesAreReadOnlyAndRoundTripEveryField() throws Exception {
    List<AuditEntry> entries = chain(2);
    Path file = AuditArchiveFile.write(folder, entries, KEY);
    assertEquals("r--r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    var contents = AuditArchiveFile.read(file);
    assertEquals(2, contents.entries().size());
    AuditEntry read = contents.entries().get(1);
    assertEquals(entries.get(1).detail(), read.detail());
    assertEquals(entries.get(1).hash(), read.computeHash());
    assertEquals(entries.get(1).seal(), read.seal());
  }

  @Test
  void anArchivedEntryRewrittenAndRehashedIsCaughtByItsSeal() throws Exception {
    List<AuditEntry> entries = archiveSix();
    Path first = AuditArchiveFile.list(folder).get(0);
    // Rewrite entry 2 and recompute the plain chain through the file's end line.
    List<AuditEntry> forged = new ArrayList<>(entries.subList(0, 1));
    String previous = entries.get(0).hash();
    for (AuditEntry e : entries.subList(1, 3)) {
      String detail = e.sequence() == 2 ? "nothing" : e.detail();
      String hash =
          AuditHash.of(
              previous, e.sequence(), e.occurredAt(), e.actor(), e.action(), e.target(), detail);
      forged.add(
          AuditEntry.archived(
              e.sequence(),
              e.occurredAt(),
              e.actor(),
              e.action(),
              e.target(),
              detail,
              previous,
              hash,
              e.seal()));
      previous = hash;
    }
    Files.setPosixFilePermissions(first, PosixFilePermissions.fromString("rw-------"));
    Files.delete(first);
    AuditArchiveFile.write(folder, forged, AuditKey.of(Optional.of("x".repeat(40))));

    var result = new AuditArchiveCheck(KEY).check(folder, startAfter(entries, 7), true);
    assertFalse(result.intact());
    assertTrue(result.problem().contains("seal"), result.problem());
  }

  @Test
  void aMissingFileACutShortFileAndAMovedStartAreCaught() throws Exception {
    List<AuditEntry> entries = archiveSix();
    List<Path> files = AuditArchiveFile.list(folder);

    var moved = new AuditArchiveCheck(KEY).check(folder, startAfter(entries, 8), false);
    assertFalse(moved.intact(), "the database says 7 went too, the archive ends at 6");

    Files.writeString(
        files.get(1),
        Files.readAllLines(files.get(1)).subList(0, 2).stream()
            .map(l -> l + "\n")
            .reduce("", String::concat),
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
    var cutShort = new AuditArchiveCheck(KEY).check(folder, startAfter(entries, 7), false);
    assertFalse(cutShort.intact());
    assertTrue(cutShort.problem().contains("no end line"), cutShort.problem());

    Files.delete(files.get(0));
    var gap = new AuditArchiveCheck(KEY).check(folder, startAfter(entries, 7), true);
    assertFalse(gap.intact(), gap.toString());

    Files.delete(files.get(1));
    var none = new AuditArchiveCheck(KEY).check(folder, startAfter(entries, 7), false);
    assertFalse(none.intact());
    assertTrue(none.problem().contains("no file"), none.problem());
  }

  @Test
  void aFileOfARunWhoseCommitFailedIsIgnoredAndReplaced() throws Exception {
    List<AuditEntry> entries = archiveSix();
    // Entries 7-8 written to a file, but the database kept them (its commit failed).
    AuditArchiveFile.write(folder, entries.subList(6, 8), KEY);
    assertTrue(new AuditArchiveCheck(KEY).check(folder, startAfter(entries, 7), true).intact());

    AuditArchiveFile.deleteUncommitted(folder, 7);
    assertEquals(2, AuditArchiveFile.list(folder).size());
  }
}
