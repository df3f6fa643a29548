package com.vclick.core.health;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The state of every dependency at one probe; {@code up} only when all are. {@code degraded} names
 * what works but needs an operator (e.g. {@code recordings-ingest}: finished recordings wait for
 * the store after a failed attempt); it does not make the server down.
 *
 * @param up whether every check passed
 * @param checks each check's name and whether it passed
 * @param checkedAt when the probe ran
 * @param degraded what is behind, empty when nothing
 */
public record HealthReport(
    boolean up, Map<String, Boolean> checks, Instant checkedAt, List<String> degraded) {

  public HealthReport {
    checks = Map.copyOf(checks);
    degraded = List.copyOf(degraded);
  }

  public HealthReport(boolean up, Map<String, Boolean> checks, Instant checkedAt) {
    this(up, checks, checkedAt, List.of());
  }

  public static HealthReport of(Map<String, Boolean> checks, Instant checkedAt) {
    return of(checks, checkedAt, List.of());
  }

  public static HealthReport of(
      Map<String, Boolean> checks, Instant checkedAt, List<String> degraded) {
    return new HealthReport(!checks.containsValue(Boolean.FALSE), checks, checkedAt, degraded);
  }

  /** Before the first probe: down, no checks. */
  static HealthReport notYetProbed(Instant now) {
    return new HealthReport(false, Map.of(), now);
  }

  /**
   * This report, or a down one when it is older than {@code maxAge} (the probe stopped running): a
   * stale "up" is never served as current.
   */
  HealthReport unlessOlderThan(Duration maxAge, Instant now) {
    if (!up || !checkedAt.plus(maxAge).isBefore(now)) {
      return this;
    }
    return new HealthReport(false, checks, checkedAt, degraded);
  }
}
