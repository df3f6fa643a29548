package com.vclick.core.health;

import com.vclick.core.config.HealthConfig;
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
import java.util.logging.Logger;

/**
 * The server's health, answered from the last probe. A timer probes every {@code
 * vclick.health.refresh} while everything is up, and every second while something is down (so a
 * starting server turns green quickly); requests never trigger a probe. A report older than three
 * periods counts as down.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class HealthService {

  private static final Logger LOG = Logger.getLogger(HealthService.class.getName());
  private static final Duration RETRY_WHILE_DOWN = Duration.ofSeconds(1);

  @Inject HealthProbe probe;
  @Inject HealthConfig config;
  @Inject Clock clock;
  @Resource TimerService timers;

  private volatile HealthReport latest;

  @PostConstruct
  void start() {
    latest = HealthReport.notYetProbed(clock.instant());
    schedule(Duration.ZERO);
  }

  @Timeout
  void probeNow() {
    HealthReport report = HealthReport.notYetProbed(clock.instant());
    try {
      report = probe.run();
    } finally {
      logChange(latest, report);
      latest = report;
      schedule(report.up() ? config.refresh() : min(config.refresh(), RETRY_WHILE_DOWN));
    }
  }

  /** The last probe's report (down when it is stale or there was none yet). */
  public HealthReport check() {
    return latest.unlessOlderThan(config.refresh().multipliedBy(3), clock.instant());
  }

  private static void logChange(HealthReport before, HealthReport now) {
    if (before.up() && !now.up()) {
      LOG.warning(() -> "Health: down " + now.checks());
    } else if (!before.up() && now.up()) {
      LOG.info("Health: up");
    }
  }

  private void schedule(Duration delay) {
    timers.createSingleActionTimer(delay.toMillis(), new TimerConfig("health-probe", false));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
