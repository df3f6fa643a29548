package com.vclick.core.turn;

import com.vclick.core.audit.AuditTrail;
import com.vclick.core.audit.PendingAuditEntry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes the audit trail's record of issued relay credentials: one {@code turn.credentials.issued}
 * entry per user and interval ({@code vclick.turn.audit-interval}) with how many were issued and
 * their expiry range, all users' entries appended in one batch (one acquisition of the chain head),
 * and once more at shutdown. Each credential's username carries its user id and expiry, so the
 * relay's own log attributes every flow; the audit trail proves how many were issued to whom,
 * without one chained entry (and one wait on the chain head) per credential.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class TurnIssueAudit {

  static final String ACTION = "turn.credentials.issued";

  private static final Logger LOG = Logger.getLogger(TurnIssueAudit.class.getName());

  @Inject TurnIssueTally tally;
  @Inject TurnAuditInterval interval;
  @Inject AuditTrail audit;
  @Resource TimerService timers;

  private final AtomicBoolean flushing = new AtomicBoolean();

  @PostConstruct
  void schedule() {
    long every = interval.value().toMillis();
    timers.createIntervalTimer(every, every, new TimerConfig("turn-issue-audit", false));
  }

  @Timeout
  void onTimer() {
    flush();
  }

  @PreDestroy
  void flushAtShutdown() {
    flush();
  }

  /** Appends the summaries counted so far; on failure they stay counted for the next run. */
  public void flush() {
    if (!flushing.compareAndSet(false, true)) {
      return;
    }
    try {
      List<TurnIssueTally.Count> counts = tally.drain();
      if (counts.isEmpty()) {
        return;
      }
      try {
        audit.appendAll(
            counts.stream()
                .map(
                    count ->
                        new PendingAuditEntry(
                            count.username(), ACTION, count.username(), count.detail()))
                .toList());
      } catch (RuntimeException e) {
        tally.restore(counts);
        LOG.log(
            Level.WARNING,
            "Could not audit issued relay credentials; kept for the next summary: {0}",
            e.toString());
      }
    } finally {
      flushing.set(false);
    }
  }
}
