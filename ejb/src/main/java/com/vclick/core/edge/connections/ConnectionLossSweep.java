package com.vclick.core.edge.connections;

import com.vclick.core.config.EdgeConnectionsConfig;
import jakarta.annotation.PostConstruct;
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
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ends the connections whose reporter went away, every {@code
 * vclick.edge.connections.sweep-interval}: those of a user offline for the offline grace (and not
 * reported for as long: a report proves the browser was there), and those the server heard nothing
 * of for the silence limit (the browser's worker stopped sampling: a tab that crashed, a browser
 * killed while another of the user's stays online). Each page in its own transaction, under the
 * page's lock, checked again there (a report or the user coming back in between wins); the calls
 * they were in end with them. On a cluster every member sweeps; a page already swept by another is
 * found with nothing left to end.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED) // each page in its own transaction
public class ConnectionLossSweep {

  private static final Logger LOG = Logger.getLogger(ConnectionLossSweep.class.getName());

  /** Most users checked and pages swept in one run; the next run takes the rest. */
  static final int MAX_PER_SWEEP = 1_000;

  @Inject EdgeConnectionsConfig config;
  @Inject EdgeConnectionRepository repository;
  @Inject ReporterPresence reporters;
  @Inject Clock clock;
  @Resource TimerService timers;

  private final AtomicBoolean running = new AtomicBoolean();

  @PostConstruct
  void schedule() {
    long interval = config.sweepInterval().toMillis();
    timers.createIntervalTimer(interval, interval, new TimerConfig("edge-connections-lost", false));
  }

  @Timeout
  void onTimer() {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    try {
      int ended = sweep(clock.instant());
      if (ended > 0) {
        LOG.info(() -> "Connection log: ended " + ended + " connection(s) as lost");
      }
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING, "Connection log: the lost-connection sweep failed; the next retries", e);
    } finally {
      running.set(false);
    }
  }

  /**
   * One sweep as of {@code now}.
   *
   * @return how many connections were ended
   */
  public int sweep(Instant now) {
    Set<String> offline = new HashSet<>();
    for (String user : repository.usersWithOpenConnections(MAX_PER_SWEEP)) {
      if (reporters.offlineFor(user, config.offlineGrace(), now)) {
        offline.add(user);
      }
    }
    Instant silentSince = now.minus(config.silenceLimit());
    Instant graceAgo = now.minus(config.offlineGrace());
    int ended = 0;
    for (EdgeConnectionRepository.PageKey page :
        repository.pagesToSweep(offline, graceAgo, silentSince, MAX_PER_SWEEP)) {
      boolean reporterOffline = offline.contains(page.userId());
      try {
        ended +=
            repository.loseOnPage(
                page.userId(),
                page.pageId(),
                row -> {
                  // A report proves its browser was there then: the grace counts from the later.
                  Instant heard = row.lastReportAt().orElse(Instant.MIN);
                  return heard.isBefore(silentSince)
                      || (reporterOffline
                          && heard.isBefore(graceAgo)
                          && reporters.offlineFor(row.userId(), config.offlineGrace(), now));
                },
                reporterOffline ? "reporter-offline" : "no-report");
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "Connection log: could not end the lost connections of a page; the next sweep retries: {0}",
            e.toString());
      }
    }
    return ended;
  }
}
