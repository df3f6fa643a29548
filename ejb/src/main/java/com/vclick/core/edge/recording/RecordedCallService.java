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

/**
 * The container's side of {@link RecordedCalls}: wires the media server, the decision log, the
 * audit trail and the recordings store (through a {@link FinishedRecording} event), sweeps idle
 * calls every 30 s and releases every call at shutdown.
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
  @Inject Event<FinishedRecording> finished;

  private RecordedCalls calls;

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
            recording -> finished.fireAsync(recording));
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

  @Schedule(hour = "*", minute = "*", second = "*/30", persistent = false)
  void sweep() {
    calls.sweepIdle();
  }

  @PreDestroy
  void stop() {
    calls.close();
  }
}
