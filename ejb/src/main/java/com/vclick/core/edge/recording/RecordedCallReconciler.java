package com.vclick.core.edge.recording;

import com.vclick.core.audit.AuditTrail;
import com.vclick.core.media.MediaServerHolder;
import com.vclick.media.api.MediaEvent;
import com.vclick.media.api.MediaServerException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Settles what a stopped or crashed server left behind: a session still open whose server stopped
 * refreshing it ({@code vclick.recording.orphan-after}) had its call cut. What the media server
 * recorded of it is archived as a partial recording, flagged as such ({@code
 * recording.interrupted}); when nothing is left, the failure is audited ({@code recording.failed}).
 * Runs at start-up and then with the idle sweep, on every instance; each orphan is taken by one.
 */
@ApplicationScoped
public class RecordedCallReconciler {

  private static final Logger LOG = Logger.getLogger(RecordedCallReconciler.class.getName());
  private static final int BATCH = 20;

  @Inject RecordedCallJournal journal;
  @Inject MediaServerHolder media;
  @Inject AuditTrail audit;
  @Inject RecordedCallConfig config;
  @Inject Clock clock;
  @Inject Event<IngestQueued> queued;

  /**
   * Reconciles the orphans found now; returns how many. One run at a time on this server (a run
   * asked for meanwhile waits, then finds what is left).
   */
  public synchronized int reconcile() {
    Instant before = clock.instant().minus(config.orphanAfter());
    int settled = 0;
    for (String id : journal.orphans(before, BATCH)) {
      try {
        Optional<RecordedCallJournal.Orphan> orphan = journal.claimOrphan(id, before);
        if (orphan.isPresent()) {
          settle(orphan.get());
          settled++;
        }
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "recorded call " + id + ": reconciliation failed", e);
      }
    }
    return settled;
  }

  private void settle(RecordedCallJournal.Orphan orphan) {
    SessionFacts facts = orphan.facts();
    String id = facts.recordedCallId();
    if (journal.queued(id) > 0) {
      interrupted(orphan, "its recordings finished before are stored as they are");
      return;
    }
    List<MediaEvent.RecordingStopped> left;
    try {
      left = media.server().recoverRecordings(id);
    } catch (MediaServerException | RuntimeException e) {
      failed(orphan, "the media server's files of it cannot be archived: " + e.getMessage());
      return;
    }
    if (left.isEmpty()) {
      failed(orphan, "the media server has no files of it");
      return;
    }
    for (MediaEvent.RecordingStopped stopped : left) {
      journal.recordingFinished(
          new FinishedRecording(
              id,
              facts.userId(),
              facts.username(),
              facts.displayName(),
              facts.connectionId(),
              facts.origin(),
              facts.decisionId(),
              stopped,
              null,
              null,
              true));
    }
    interrupted(
        orphan, left.size() + " recording(s) archived as partial from the media server's files");
    queued.fireAsync(new IngestQueued(id));
  }

  private void interrupted(RecordedCallJournal.Orphan orphan, String what) {
    SessionFacts facts = orphan.facts();
    String reason =
        "the server stopped during the call (last seen " + orphan.lastSeen() + "); " + what;
    LOG.log(Level.WARNING, "recorded call {0}: {1}", new Object[] {facts.recordedCallId(), reason});
    audit.append(
        facts.userId(),
        "recording.interrupted",
        "recorded-call:" + facts.recordedCallId(),
        "origin=" + facts.origin() + " decision=" + facts.decisionId() + " reason=" + reason);
    journal.orphanInterrupted(
        facts.recordedCallId(), orphan.lastSeen(), "recording.interrupted: " + reason);
  }

  private void failed(RecordedCallJournal.Orphan orphan, String what) {
    SessionFacts facts = orphan.facts();
    String reason =
        "the server stopped during the call (last seen " + orphan.lastSeen() + "); " + what;
    LOG.log(Level.WARNING, "recorded call {0}: {1}", new Object[] {facts.recordedCallId(), reason});
    journal.orphanFailed(facts.recordedCallId(), orphan.lastSeen(), reason);
  }
}
