package com.vclick.core.audit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.io.IOException;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes a checkpoint of the chain's head to {@code checkpoints.jsonl} in the archive folder every
 * {@code vclick.audit.checkpoint-interval} when the chain grew: evidence outside the database of
 * how far the chain reached, which verification holds the database to.
 */
@Singleton
@Startup
@DependsOn("Database")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class AuditCheckpoints {

  private static final Logger LOG = Logger.getLogger(AuditCheckpoints.class.getName());

  @PersistenceContext(unitName = "vclick")
  EntityManager em;

  @Inject AuditKey key;
  @Inject AuditArchiveFolder folder;
  @Inject AuditCheckpointInterval interval;
  @Inject Clock clock;
  @Resource TimerService timers;

  private volatile long lastWritten = -1;

  @PostConstruct
  void schedule() {
    long every = interval.value().toMillis();
    timers.createIntervalTimer(every, every, new TimerConfig("audit-checkpoints", false));
  }

  @Timeout
  void onTimer() {
    try {
      write();
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "Could not write an audit checkpoint; the next run tries again: {0}",
          e.toString());
    }
  }

  /** Writes a checkpoint of the head now, unless the head has not moved since the last one. */
  public void write() {
    AuditChainHead head = em.find(AuditChainHead.class, AuditChainHead.ID);
    if (head == null || head.lastSequence() == 0 || head.lastSequence() == lastWritten) {
      return;
    }
    try {
      AuditCheckpointFile.append(
          folder.value(),
          AuditCheckpoint.of(head.lastSequence(), head.lastHash(), clock.instant(), key));
      lastWritten = head.lastSequence();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write the audit checkpoint in " + folder.value(), e);
    }
  }
}
