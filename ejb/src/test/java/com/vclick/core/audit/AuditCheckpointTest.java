package com.vclick.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints of the head outside the database: the chain must still reach the last one. */
class AuditCheckpointTest {

  private static final AuditKey KEY = AuditKey.of(Optional.of("k".repeat(AuditKey.MIN_LENGTH)));
  private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");
  private static final AuditChainStart START =
      new AuditChainStart(1, AuditHash.GENESIS, 1, KEY.sealStart(1, AuditHash.GENESIS, 1));
  private static final Map<Long, String> HASHES = Map.of(1L, "h1", 2L, "h2", 3L, "h3");

  @TempDir Path folder;

  private static String problem(AuditCheckpoint checkpoint, long lastSequence) {
    return AuditCheckpointCheck.problem(
        KEY,
        Optional.of(checkpoint),
        START,
        lastSequence,
        sequence -> Optional.ofNullable(HASHES.get(sequence)));
  }

  @Test
  void theLastCompleteLineIsReadBackAndATornOneSkipped() throws Exception {
    AuditCheckpointFile.append(folder, AuditCheckpoint.of(2, "h2", AT, KEY));
    AuditCheckpointFile.append(folder, AuditCheckpoint.of(3, "h3", AT.plusSeconds(300), KEY));
    Files.writeString(
        folder.resolve(AuditCheckpointFile.NAME),
        "{\"seq\":4,\"ha",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    AuditCheckpoint latest = AuditCheckpointFile.latest(folder).orElseThrow();
    assertEquals(3, latest.sequence());
    assertEquals("h3", latest.hash());
    assertNull(problem(latest, 3));
    assertTrue(AuditCheckpointFile.latest(folder.resolve("none")).isEmpty());
  }

  @Test
  void aChainCutBackBeforeTheCheckpointIsCaught() {
    String problem = problem(AuditCheckpoint.of(3, "h3", AT, KEY), 2);
    assertTrue(problem.contains("removed from its end"), problem);
  }

  @Test
  void aRewrittenEntryAtTheCheckpointIsCaught() {
    String problem = problem(AuditCheckpoint.of(2, "forged", AT, KEY), 3);
    assertTrue(problem != null && problem.contains("entry 2"), problem);
  }

  @Test
  void anUnsealedOrForeignCheckpointIsCaughtAndAnArchivedOneAccepted() {
    assertTrue(problem(new AuditCheckpoint(2, "h2", AT, null), 3).contains("not sealed"));
    var archivedStart = new AuditChainStart(3, "h2", 1, KEY.sealStart(3, "h2", 1));
    assertNull(
        AuditCheckpointCheck.problem(
            KEY,
            Optional.of(AuditCheckpoint.of(2, "h2", AT, KEY)),
            archivedStart,
            3,
            sequence -> Optional.empty()));
    assertNull(
        AuditCheckpointCheck.problem(
            KEY, Optional.empty(), START, 0, sequence -> Optional.empty()));
  }
}
