package com.vclick.core.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How long each growing table keeps its rows, in days (1 to {@link #MAX_DAYS}), and how often
 * retention runs.
 *
 * @param edgeDecisionDays {@code edge_decision} rows ({@code vclick.retention.edge-decisions-days})
 * @param edgeConnectionDays connection-log calls and their connections, counted from the call's end
 *     ({@code vclick.retention.edge-connections-days})
 * @param callLogDays the Vclick call log, from the call's end ({@code
 *     vclick.retention.call-log-days})
 * @param auditDays audit entries stay in the database this long, then go to the archive ({@code
 *     vclick.retention.audit-days})
 * @param sweepInterval how often retention runs ({@code vclick.retention.sweep-interval}, at least
 *     a minute)
 */
public record RetentionConfig(
    int edgeDecisionDays,
    int edgeConnectionDays,
    int callLogDays,
    int auditDays,
    Duration sweepInterval) {

  /** A century: longer is a typo. */
  public static final int MAX_DAYS = 36_500;

  public RetentionConfig {
    days("vclick.retention.edge-decisions-days", edgeDecisionDays);
    days("vclick.retention.edge-connections-days", edgeConnectionDays);
    days("vclick.retention.call-log-days", callLogDays);
    days("vclick.retention.audit-days", auditDays);
    Objects.requireNonNull(sweepInterval, "sweepInterval");
    if (sweepInterval.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new IllegalArgumentException("vclick.retention.sweep-interval must be at least PT1M");
    }
  }

  private static void days(String key, int value) {
    if (value < 1 || value > MAX_DAYS) {
      throw new IllegalArgumentException(key + " must be 1 to " + MAX_DAYS + ", was " + value);
    }
  }

  /** The instant before which a table's rows are due at {@code now}. */
  public Instant cutoff(RetainedTable table, Instant now) {
    int days =
        switch (table) {
          case EDGE_DECISION -> edgeDecisionDays;
          case EDGE_CALL -> edgeConnectionDays;
          case CALL_LOG -> callLogDays;
        };
    return now.minus(Duration.ofDays(days));
  }

  /** The instant before which audit entries go to the archive at {@code now}. */
  public Instant auditCutoff(Instant now) {
    return now.minus(Duration.ofDays(auditDays));
  }
}
