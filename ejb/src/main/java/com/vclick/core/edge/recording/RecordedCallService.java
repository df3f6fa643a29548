package com.vclick.core.edge.recording;

import com.vclick.core.audit.AuditTrail;
import com.vclick.core.edge.decision.EdgeDecisionLog;
import com.vclick.core.identity.Caller;
import com.vclick.core.media.MediaServerHolder;
import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.Leg;
import com.vclick.media.api.MediaServerException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The container's side of {@link RecordedCalls}: wires the media server, the decision log, the
 * audit trail and the session journal (whose queued recordings the {@link RecordingArchiver}
 * stores), sweeps idle calls and reconciles orphaned sessions every 30 s, releases every call at
 * shutdown.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class RecordedCallService {

  @Inject MediaServerHolder media;
  @Inject EdgeDecisionLog decisionLog;
  @Inject AuditTrail auditTrail;
  @Inject RecordedCallConfig config;
  @Inject Clock clock;
  @Inject RecordedCallJournal journal;
  @Inject RecordedCallReconciler reconciler;
  @Inject Event<IngestQueued> queued;

  private RecordedCalls calls;

  /** Who is told of calls the server stopped (the signaling: {@link #whenStopped}). */
  private final List<Consumer<RecordedCallStopped>> stopListeners = new CopyOnWriteArrayList<>();

  @PostConstruct
  void start() {
    calls =
        new RecordedCalls(
            media::server,
            id ->
                decisionLog
                    .byId(id)
                    .map(
                        d ->
                            new RecordedCalls.DecisionFacts(
                                d.userId(), d.origin(), d.kind(), d.decidedAt())),
            auditTrail::append,
            config,
            clock,
            new JournalPort(),
            stop -> stopListeners.forEach(listener -> listener.accept(stop)));
  }

  /**
   * Tells {@code listener} of every live call the server stopped without its page asking (the
   * signaling registers here and tells the user's extension: the page then sees its call end at
   * once). A registration, not a CDI event: the listener lives in the web module.
   */
  public void whenStopped(Consumer<RecordedCallStopped> listener) {
    stopListeners.add(listener);
  }

  /** The journal for {@link RecordedCalls}; a queued recording is tried at once. */
  private final class JournalPort implements RecordedCalls.Journal {
    @Override
    public void opened(SessionFacts session) {
      journal.opened(session);
    }

    @Override
    public void refused(SessionFacts session, String reason) {
      journal.refused(session, reason);
    }

    @Override
    public void heartbeat(Collection<String> ids, Instant at) {
      journal.heartbeat(ids, at);
    }

    @Override
    public void problem(String id, String reason) {
      journal.problem(id, reason);
    }

    @Override
    public void recordingFinished(FinishedRecording recording) {
      journal.recordingFinished(recording);
      queued.fireAsync(new IngestQueued(recording.recordedCallId()));
    }

    @Override
    public void callEnded(String id, Instant at, Duration enterprise, Duration farEnd) {
      journal.callEnded(id, at, enterprise, farEnd);
    }
  }

  public RecordedCallOpened open(Caller caller, String decisionId, String connectionId)
      throws RecordedCallRefusedException, RecordedCallUnavailableException {
    return calls.open(
        new RecordedCalls.Owner(caller.subject(), caller.username(), caller.displayName()),
        decisionId,
        connectionId);
  }

  public String offer(String userId, String id, Leg from, String sdp)
      throws RecordedCallRefusedException, MediaServerException {
    return calls.offer(userId, id, from, sdp);
  }

  public String answer(String userId, String id, Leg from, String sdp)
      throws RecordedCallRefusedException, MediaServerException {
    return calls.answer(userId, id, from, sdp);
  }

  public void candidate(String userId, String id, Leg from, IceCandidate candidate)
      throws RecordedCallRefusedException, MediaServerException {
    calls.candidate(userId, id, from, candidate);
  }

  public void hangUp(String userId, String id) {
    calls.hangUp(userId, id);
  }

  public int openCalls() {
    return calls.openCalls();
  }

  /** Every 30 s: idle calls released, live sessions refreshed, orphaned sessions reconciled. */
  @Schedule(hour = "*", minute = "*", second = "*/30", persistent = false)
  void sweep() {
    try {
      calls.sweepIdle();
    } finally {
      reconciler.reconcile();
    }
  }

  @PreDestroy
  void stop() {
    calls.close();
  }
}
