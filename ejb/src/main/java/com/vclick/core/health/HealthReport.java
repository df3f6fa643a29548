package com.vclick.core.health;

import java.util.Map;

/**
 * The state of every dependency; {@code up} only when all are.
 *
 * @param up whether every check passed
 * @param checks each check's name and whether it passed
 */
public record HealthReport(boolean up, Map<String, Boolean> checks) {

  public static HealthReport of(Map<String, Boolean> checks) {
    return new HealthReport(!checks.containsValue(Boolean.FALSE), Map.copyOf(checks));
  }
}
