package com.vclick.core.retention;

import com.vclick.core.audit.AuditArchiveFolder;
import com.vclick.core.audit.AuditArchiver;
import com.vclick.core.audit.AuditTrail;
import com.vclick.core.audit.PendingAuditEntry;
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
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs retention every {@code vclick.retention.sweep-interval} (the first run a minute after
 * start-up): deletes the due rows of each {@link RetainedTable} in batches, archives due audit
 * entries ({@link AuditArchiver}), and audits what it did ({@code retention.purged} per table,
 * {@code audit.archived}), so the trail says when and how much went. A failing table does not stop
 * the others; the next run tries again. On a cluster every member runs it: deletes of rows already
 * gone delete nothing, and archiving holds the chain head's lock.
 */
@Singleton
@Startup
@DependsOn("Database")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DataRetention {

  static final String ACTOR = "vclick-retention";
  static final int BATCH = 500;

  /** A run stops after this many batches of one table and says so; the next run goes on. */
  static final int MAX_BATCHES = 200;

  private static final Logger LOG = Logger.getLogger(DataRetention.class.getName());
  private static final Duration FIRST_SWEEP = Duration.ofMinutes(1);

  @Inject RetentionConfig config;
  @Inject RetentionStore store;
  @Inject AuditArchiver archiver;
  @Inject AuditArchiveFolder archiveFolder;
  @Inject AuditTrail audit;
  @Inject Clock clock;
  @Resource TimerService timers;

  private final AtomicBoolean running = new AtomicBoolean();

  @PostConstruct
  void schedule() {
    long interval = config.sweepInterval().toMillis();
    long first = Math.min(interval, FIRST_SWEEP.toMillis());
    timers.createIntervalTimer(first, interval, new TimerConfig("data-retention", false));
    LOG.info(() -> "Data retention: " + config + ", audit archive in " + archiveFolder.value());
  }

  @Timeout
  void onTimer() {
    sweep(clock.instant());
  }

  /**
   * One run as of {@code now}.
   *
   * @return rows deleted per table name, and entries archived under {@code audit_entry}; empty when
   *     a run is already under way
   */
  public Map<String, Integer> sweep(Instant now) {
    Map<String, Integer> done = new LinkedHashMap<>();
    if (!running.compareAndSet(false, true)) {
      return done;
    }
    try {
      List<PendingAuditEntry> report = new ArrayList<>();
      for (RetainedTable table : RetainedTable.values()) {
        Instant cutoff = config.cutoff(table, now);
        int deleted =
            repeat(table.tableName(), () -> store.purgeBatch(table, cutoff, BATCH), BATCH);
        done.put(table.tableName(), deleted);
        if (deleted > 0) {
          report.add(
              new PendingAuditEntry(
                  ACTOR,
                  "retention.purged",
                  table.tableName(),
                  "rows=" + deleted + " before=" + cutoff));
        }
      }
      Instant auditCutoff = config.auditCutoff(now);
      int archived =
          repeat(
              "audit_entry",
              () -> archiver.archiveBatch(auditCutoff, archiveFolder.value()),
              AuditArchiver.BATCH);
      done.put("audit_entry", archived);
      if (archived > 0) {
        report.add(
            new PendingAuditEntry(
                ACTOR,
                "audit.archived",
                archiveFolder.value().toString(),
                "entries=" + archived + " before=" + auditCutoff));
      }
      if (!report.isEmpty()) {
        audit.appendAll(report);
        LOG.info(() -> "Data retention: " + done);
      }
      return done;
    } finally {
      running.set(false);
    }
  }

  /** Runs batches until one comes back short, a batch fails, or {@link #MAX_BATCHES}. */
  private static int repeat(String what, BatchStep step, int batchSize) {
    int total = 0;
    try {
      for (int i = 0; i < MAX_BATCHES; i++) {
        int count = step.run();
        total += count;
        if (count < batchSize) {
          return total;
        }
      }
      LOG.info(
          () ->
              "Data retention of "
                  + what
                  + " stopped after "
                  + MAX_BATCHES
                  + " batches; the next run goes on");
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "Data retention of {0} failed after {1} row(s); the next run tries again: {2}",
          new Object[] {what, total, e.toString()});
    }
    return total;
  }

  @FunctionalInterface
  private interface BatchStep {
    int run();
  }
}
