package com.vclick.core.edge.recording;

import com.vclick.core.audit.AuditTrail;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The recorded-call sessions and their queued recordings in the database: every session has a row
 * from its opening, and {@link #settle} gives it exactly one outcome once its call ended and none
 * of its recordings waits for the store. Each method is one transaction.
 */
@Stateless
public class RecordedCallJournal {

  @PersistenceContext(unitName = "vclick")
  EntityManager em;

  @Inject AuditTrail audit;
  @Inject Clock clock;

  public void opened(SessionFacts session) {
    em.persist(new RecordedCallRow(session));
  }

  /** Opened and refused by the fail mode at once (audited by the caller). */
  public void refused(SessionFacts session, String reason) {
    var row = new RecordedCallRow(session);
    row.callEnded(session.openedAt(), null, null);
    row.failed(reason, now());
    em.persist(row);
  }

  public void heartbeat(Collection<String> ids, Instant at) {
    if (ids.isEmpty()) {
      return;
    }
    em.createQuery(
            "UPDATE RecordedCallRow r SET r.heartbeatAt = :at"
                + " WHERE r.recordedCallId IN :ids AND r.outcome IS NULL")
        .setParameter("at", at)
        .setParameter("ids", List.copyOf(ids))
        .executeUpdate();
  }

  /** A problem of the session's recording, audited by the caller. */
  public void problem(String id, String reason) {
    row(id).ifPresent(r -> r.problem(reason));
  }

  /** Queues a finished recording for the store. */
  public void recordingFinished(FinishedRecording recording) {
    em.persist(new RecordingIngestRow(recording, now()));
  }

  public void callEnded(String id, Instant at, Duration enterprise, Duration farEnd) {
    row(id)
        .ifPresent(
            r -> {
              r.callEnded(at, enterprise, farEnd);
              settle(r);
            });
  }

  /** The session's facts (for storing its recordings). */
  public Optional<SessionFacts> facts(String id) {
    return Optional.ofNullable(em.find(RecordedCallRow.class, id)).map(RecordedCallRow::facts);
  }

  public Optional<RecordedCallRow> find(String id) {
    return Optional.ofNullable(em.find(RecordedCallRow.class, id));
  }

  // --- the queue -------------------------------------------------------------------------------

  /** Queued recordings due for an attempt, oldest first. */
  public List<RecordingIngestRow> due(Instant at, int max) {
    return em.createQuery(
            "SELECT q FROM RecordingIngestRow q WHERE q.nextAttemptAt <= :at"
                + " ORDER BY q.queuedAt, q.ingestId",
            RecordingIngestRow.class)
        .setParameter("at", at)
        .setMaxResults(max)
        .getResultList();
  }

  /**
   * Takes a queued recording for one attempt: true for exactly one caller cluster-wide (its next
   * attempt moves past {@code until}, so that a crashed attempt is retried then).
   */
  public boolean claim(String ingestId, Instant until) {
    RecordingIngestRow row =
        em.find(RecordingIngestRow.class, ingestId, LockModeType.PESSIMISTIC_WRITE);
    if (row == null || row.nextAttemptAt().isAfter(now())) {
      return false;
    }
    row.claimUntil(until);
    return true;
  }

  /** Stored: the queue entry goes, the session has its recording and may settle. */
  public void ingested(String ingestId, String recordingId) {
    RecordingIngestRow row = em.find(RecordingIngestRow.class, ingestId);
    if (row == null) {
      return;
    }
    em.remove(row);
    em.flush();
    row(row.recordedCallId())
        .ifPresent(
            session -> {
              session.stored(recordingId, now());
              settle(session);
            });
  }

  /** A failed attempt: retried at {@code next}; true when it is the first failure (alert). */
  public boolean attemptFailed(String ingestId, String error, Instant next) {
    RecordingIngestRow row = em.find(RecordingIngestRow.class, ingestId);
    if (row == null) {
      return false;
    }
    row.failedAttempt(error, next);
    return row.attempts() == 1;
  }

  /** A recording that can never be stored (its file is gone or unreadable): audited failure. */
  public void givenUp(String ingestId, String reason) {
    RecordingIngestRow row = em.find(RecordingIngestRow.class, ingestId);
    if (row == null) {
      return;
    }
    em.remove(row);
    em.flush();
    Optional<RecordedCallRow> session = row(row.recordedCallId());
    String actor = session.map(RecordedCallRow::userId).orElse("system");
    String why = "the recording could not be stored: " + reason;
    audit.append(
        actor, "recording.failed", "recorded-call:" + row.recordedCallId(), "reason=" + why);
    session.ifPresent(
        s -> {
          s.problem("recording.failed: " + why);
          settle(s);
        });
  }

  /** How many finished recordings wait for the store after a failed attempt. */
  public long behind() {
    return em.createQuery(
            "SELECT COUNT(q) FROM RecordingIngestRow q WHERE q.attempts > 0", Long.class)
        .getSingleResult();
  }

  // --- reconciliation --------------------------------------------------------------------------

  /** Open sessions nobody refreshed since {@code before}: their server stopped. */
  public List<String> orphans(Instant before, int max) {
    return em.createQuery(
            "SELECT r.recordedCallId FROM RecordedCallRow r"
                + " WHERE r.outcome IS NULL AND r.callEndedAt IS NULL AND r.heartbeatAt < :before"
                + " ORDER BY r.heartbeatAt",
            String.class)
        .setParameter("before", before)
        .setMaxResults(max)
        .getResultList();
  }

  /**
   * Takes an orphan for reconciling: true for exactly one caller (its heartbeat moves to now, so
   * nobody else takes it before {@code orphan-after} again).
   */
  public Optional<Orphan> claimOrphan(String id, Instant before) {
    RecordedCallRow row = em.find(RecordedCallRow.class, id, LockModeType.PESSIMISTIC_WRITE);
    if (row == null
        || row.outcome().isPresent()
        || row.callEndedAt().isPresent()
        || !row.heartbeatAt().isBefore(before)) {
      return Optional.empty();
    }
    Instant lastSeen = row.heartbeatAt();
    row.heartbeat(now());
    return Optional.of(new Orphan(row.facts(), lastSeen));
  }

  /** An open session whose server stopped, and when it was last seen alive. */
  public record Orphan(SessionFacts facts, Instant lastSeen) {}

  public long queued(String recordedCallId) {
    return em.createQuery(
            "SELECT COUNT(q) FROM RecordingIngestRow q WHERE q.recordedCallId = :id", Long.class)
        .setParameter("id", recordedCallId)
        .getSingleResult();
  }

  /**
   * The orphan's call ended when its server was last seen: its queued or recovered recordings will
   * settle it; audited {@code recording.interrupted} by the caller.
   */
  public void orphanInterrupted(String id, Instant lastSeen, String reason) {
    row(id)
        .ifPresent(
            r -> {
              r.problem(reason);
              r.callEnded(lastSeen, null, null);
              settle(r);
            });
  }

  /** The orphan left nothing to store: an audited failure ({@code recording.failed}). */
  public void orphanFailed(String id, Instant lastSeen, String reason) {
    row(id)
        .ifPresent(
            r -> {
              audit.append(
                  r.userId(), "recording.failed", "recorded-call:" + id, "reason=" + reason);
              r.callEnded(lastSeen, null, null);
              r.failed("recording.failed: " + reason, now());
            });
  }

  // --- helpers ---------------------------------------------------------------------------------

  /**
   * Gives the session its outcome once its call ended and nothing of it waits for the store: stored
   * when a recording of it is in the store, else a failure. A failure whose cause was not audited
   * yet (the call ended before any media was recorded) is audited here.
   */
  private void settle(RecordedCallRow row) {
    if (row.outcome().isPresent()
        || row.callEndedAt().isEmpty()
        || queued(row.recordedCallId()) > 0) {
      return;
    }
    if (row.recordingId().isPresent()) {
      row.stored(row.recordingId().get(), now());
      return;
    }
    if (row.reason().isEmpty()) {
      String why = "no recording was made: the call ended before media was recorded";
      audit.append(
          row.userId(),
          "recording.failed",
          "recorded-call:" + row.recordedCallId(),
          "reason=" + why);
      row.failed("recording.failed: " + why, now());
    } else {
      row.failed(row.reason().get(), now());
    }
  }

  private Optional<RecordedCallRow> row(String id) {
    return Optional.ofNullable(em.find(RecordedCallRow.class, id, LockModeType.PESSIMISTIC_WRITE));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
