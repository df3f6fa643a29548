package com.vclick.core.edge.recording;

import com.vclick.core.recordings.Recording;
import com.vclick.core.recordings.RecordingContext;
import com.vclick.core.recordings.RecordingLegs;
import com.vclick.core.recordings.RecordingParticipant;
import com.vclick.core.recordings.RecordingStore;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Stores the queued recordings of recorded calls in the recordings store (write-once, hashed,
 * audited), linked to the page's connection in the connection log, then removes the media server's
 * working copies. An attempt that fails is retried with a doubling wait ({@link IngestBackoff})
 * until the store has it, alerting meanwhile (a SEVERE log at the first failure, {@code
 * /api/health} degraded while any waits); a recording that can never be stored (its file gone, not
 * a recording) ends as an audited failure of its session.
 */
@Singleton
@Startup
public class RecordingArchiver {

  private static final Logger LOG = Logger.getLogger(RecordingArchiver.class.getName());
  private static final int BATCH = 20;

  /** How long one attempt may hold a queued recording before another may try it. */
  private static final Duration CLAIM = Duration.ofMinutes(10);

  @Inject RecordingStore store;
  @Inject RecordedCallJournal journal;
  @Inject RecordedCallConfig config;
  @Inject Clock clock;

  @Schedule(hour = "*", minute = "*", second = "*/5", persistent = false)
  void everyFewSeconds() {
    drain();
  }

  public void queued(@ObservesAsync IngestQueued queued) {
    drain();
  }

  /** Tries every queued recording that is due; returns how many were stored. */
  public int drain() {
    int stored = 0;
    Instant now = clock.instant();
    for (RecordingIngestRow row : journal.due(now, BATCH)) {
      try {
        if (journal.claim(row.ingestId(), now.plus(CLAIM)) && attempt(row)) {
          stored++;
        }
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "recording ingest " + row.ingestId() + ": the queue failed", e);
      }
    }
    return stored;
  }

  private boolean attempt(RecordingIngestRow row) {
    String callId = row.recordedCallId();
    Optional<SessionFacts> facts = journal.facts(callId);
    if (facts.isEmpty()) {
      journal.givenUp(row.ingestId(), "its recorded call is unknown");
      return false;
    }
    Recording recording;
    try {
      recording = store.ingest(row.file(), context(facts.get(), row));
    } catch (IllegalArgumentException e) {
      LOG.log(
          Level.SEVERE,
          "recorded call {0}: the recording cannot be stored ({1}): audited as failed",
          new Object[] {callId, e.getMessage()});
      journal.givenUp(row.ingestId(), e.getMessage());
      return false;
    } catch (RuntimeException e) {
      int failures = row.attempts() + 1;
      Instant next =
          clock.instant().plus(new IngestBackoff(config.ingestRetryMax()).after(failures));
      boolean first = journal.attemptFailed(row.ingestId(), String.valueOf(e.getMessage()), next);
      LOG.log(
          first ? Level.SEVERE : Level.WARNING,
          "recorded call {0}: the recording could not be stored (attempt {1}: {2}); retried at {3},"
              + " its files stay in the media server''s folder until then",
          new Object[] {callId, failures, e.getMessage(), next});
      return false;
    }
    journal.ingested(row.ingestId(), recording.row().recordingId());
    if (row.attempts() > 0) {
      LOG.info(
          () ->
              "recorded call "
                  + callId
                  + ": stored after "
                  + row.attempts()
                  + " failed attempt(s)");
    }
    removeWorkingCopies(callId, row.workingFiles());
    return true;
  }

  private static RecordingContext context(SessionFacts facts, RecordingIngestRow row) {
    return new RecordingContext(
        facts.recordedCallId(),
        facts.connectionId() == null ? List.of() : List.of(facts.connectionId()),
        List.of(new RecordingParticipant(facts.userId(), facts.username(), facts.displayName())),
        facts.origin(),
        row.startedAt(),
        row.stoppedAt(),
        new RecordingLegs(
            !row.partial(), row.enterpriseMediaMs(), row.farEndMediaMs(), row.partial()));
  }

  /** The media server's copies of a stored recording (only files named for its call). */
  private static void removeWorkingCopies(String callId, List<Path> files) {
    for (Path file : files) {
      Path name = file.getFileName();
      if (name == null || !name.toString().startsWith(callId)) {
        continue;
      }
      try {
        Files.deleteIfExists(file);
      } catch (IOException | SecurityException e) {
        LOG.log(
            Level.WARNING,
            "recorded call {0}: the media server''s copy {1} could not be removed: {2}",
            new Object[] {callId, name, e.toString()});
      }
    }
  }
}
