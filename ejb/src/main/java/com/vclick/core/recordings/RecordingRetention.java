package com.vclick.core.recordings;

import com.vclick.core.media.MediaServerHolder;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs retention every {@code vclick.recordings.sweep-interval}, the first time a minute after
 * start-up (or sooner with a shorter interval). On a cluster every member sweeps; each deletion
 * locks its row and checks again, so a recording is deleted and audited once.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class RecordingRetention {

  private static final Logger LOG = Logger.getLogger(RecordingRetention.class.getName());
  private static final Duration FIRST_SWEEP = Duration.ofMinutes(1);

  @Inject RecordingsConfig config;
  @Inject RecordingStore store;
  @Inject MediaServerHolder media;
  @Inject Clock clock;
  @Resource TimerService timers;

  private final AtomicBoolean running = new AtomicBoolean();

  @PostConstruct
  void schedule() {
    long interval = config.sweepInterval().toMillis();
    long first = Math.min(interval, FIRST_SWEEP.toMillis());
    timers.createIntervalTimer(first, interval, new TimerConfig("recordings-retention", false));
    LOG.info(
        () ->
            "Recordings are kept in "
                + store.folder()
                + " for "
                + config.retentionDays()
                + " days (swept every "
                + config.sweepInterval()
                + ")");
  }

  @Timeout
  void sweep() {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    try {
      int purged =
          media.server().purgeWorkingFiles(clock.instant().minus(config.retention().period()));
      if (purged > 0) {
        LOG.info(() -> "Retention removed " + purged + " working file(s) of the media server");
      }
      RetentionSweep.Result result = store.sweep();
      if (!result.deleted().isEmpty() || result.skipped() > 0) {
        LOG.info(
            () ->
                "Retention deleted "
                    + result.deleted().size()
                    + " recording file(s), skipped "
                    + result.skipped());
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Retention sweep failed; the next one tries again", e);
    } finally {
      running.set(false);
    }
  }
}
