package com.vclick.core.recordings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.core.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention over recordings kept in memory, the way the JPA repository keeps them, with files in a
 * temporary folder and a clock the test moves.
 */
class RetentionSweepTest {

  private static final Instant START = Instant.parse("2026-11-24T10:00:00Z");
  private static final RetentionRule YEAR = new RetentionRule(Duration.ofDays(365));

  @TempDir Path temp;

  private MutableClock clock;
  private Store store;

  @BeforeEach
  void setUp() {
    clock = new MutableClock(START);
    store = new Store(new RecordingFiles(temp));
  }

  @Test
  void aRecordingIsDueOnceItsPeriodIsOverUnlessHeldOrDeleted() {
    RecordingRow row = Recordings.row(START);
    assertFalse(YEAR.isDue(row, START.plus(Duration.ofDays(365)).minusMillis(1)));
    assertTrue(YEAR.isDue(row, START.plus(Duration.ofDays(365))));
    assertEquals(START.plus(Duration.ofDays(365)), YEAR.endsAt(row.createdAt()));
    row.changeLegalHold(true, "case 1", "erin", START);
    assertFalse(YEAR.isDue(row, START.plus(Duration.ofDays(5000))), "held");
    row.changeLegalHold(false, "case closed", "erin", START);
    row.markDeleted(START.plus(Duration.ofDays(400)));
    assertFalse(YEAR.isDue(row, START.plus(Duration.ofDays(5000))), "deleted already");
  }

  @Test
  void expiredRecordingsAreDeletedAndAuditedHeldOnesKept() throws Exception {
    RecordingRow expiring = store.stored(clock.instant());
    RecordingRow held = store.stored(clock.instant());
    held.changeLegalHold(true, "Litigation", "erin", clock.instant());
    clock.advance(Duration.ofDays(200));
    RecordingRow younger = store.stored(clock.instant());

    clock.advance(Duration.ofDays(165).minusSeconds(1));
    assertEquals(List.of(), sweep().deleted(), "one second early");

    clock.advance(Duration.ofSeconds(1));
    RetentionSweep.Result result = sweep();

    assertEquals(List.of(expiring.recordingId()), result.deleted());
    assertEquals(0, result.skipped());
    assertEquals(clock.instant(), expiring.deletedAt().orElseThrow());
    assertFalse(store.files.exists(expiring.filePath()), "its file is gone");
    assertTrue(store.files.exists(held.filePath()));
    assertTrue(store.files.exists(younger.filePath()));
    assertEquals(List.of("recording.deleted " + expiring.recordingId()), store.audit);

    held.changeLegalHold(false, "Litigation over", "erin", clock.instant());
    clock.advance(Duration.ofDays(200));
    assertEquals(List.of(held.recordingId(), younger.recordingId()), sweep().deleted());
    assertEquals(List.of(), sweep().deleted(), "nothing is deleted twice");
    assertEquals(3, store.audit.size());
  }

  @Test
  void manyAreDeletedInBatches() {
    for (int i = 0; i < RetentionSweep.BATCH * 2 + 17; i++) {
      store.row(Recordings.row(clock.instant().plusMillis(i)));
    }
    clock.advance(Duration.ofDays(400));

    assertEquals(RetentionSweep.BATCH * 2 + 17, sweep().deleted().size());
    assertEquals(List.of(), store.due(YEAR.cutoff(clock.instant()), 10));
  }

  @Test
  void aRecordingThatCannotBeDeletedIsSkippedAndTheRunStillEnds() {
    List<RecordingRow> rows = new ArrayList<>();
    for (int i = 0; i < RetentionSweep.BATCH + 5; i++) {
      rows.add(store.row(Recordings.row(clock.instant().plusMillis(i))));
    }
    store.failing.add(rows.get(0).recordingId());
    store.failing.add(rows.get(RetentionSweep.BATCH).recordingId());
    clock.advance(Duration.ofDays(400));

    RetentionSweep.Result result = sweep();

    assertEquals(RetentionSweep.BATCH + 3, result.deleted().size());
    assertEquals(2, result.skipped());
    assertTrue(rows.get(0).deletedAt().isEmpty(), "tried again by the next sweep");
    store.failing.clear();
    assertEquals(
        List.of(rows.get(0).recordingId(), rows.get(RetentionSweep.BATCH).recordingId()),
        sweep().deleted());
  }

  private RetentionSweep.Result sweep() {
    return new RetentionSweep(YEAR, store).run(clock.instant());
  }

  /** The repository's rules over a map: due ids oldest first, deletion checked again. */
  private static final class Store implements RetentionSweep.Candidates {
    final RecordingFiles files;
    final Map<String, RecordingRow> rows = new LinkedHashMap<>();
    final List<String> audit = new ArrayList<>();
    final Set<String> failing = new HashSet<>();

    Store(RecordingFiles files) {
      this.files = files;
    }

    RecordingRow row(RecordingRow row) {
      rows.put(row.recordingId(), row);
      return row;
    }

    /** A recording with a real file behind it, stored now. */
    RecordingRow stored(Instant now) throws Exception {
      RecordingRow row = Recordings.row(now);
      Path source = Files.writeString(files.root().resolve("source.mkv"), row.recordingId());
      files.write(source, row.filePath());
      return row(row);
    }

    @Override
    public List<String> due(Instant cutoff, int max) {
      return rows.values().stream()
          .filter(r -> r.deletedAt().isEmpty() && !r.legalHold())
          .filter(r -> !r.createdAt().isAfter(cutoff))
          .sorted(
              Comparator.comparing(RecordingRow::createdAt)
                  .thenComparing(RecordingRow::recordingId))
          .limit(max)
          .map(RecordingRow::recordingId)
          .toList();
    }

    @Override
    public boolean deleteIfDue(String recordingId, Instant now) {
      RecordingRow row = rows.get(recordingId);
      if (row == null || !YEAR.isDue(row, now)) {
        return false;
      }
      if (failing.contains(recordingId)) {
        throw new IllegalStateException("disk full");
      }
      row.markDeleted(now);
      audit.add(RecordingAudit.DELETED + " " + recordingId);
      files.delete(row.filePath());
      return true;
    }
  }
}
