package com.vclick.core.turn;

import java.time.Duration;
import java.util.Objects;

/**
 * How often issued relay credentials are summarised into the audit trail ({@code
 * vclick.turn.audit-interval}, 1 second to 1 hour).
 */
public record TurnAuditInterval(Duration value) {

  public TurnAuditInterval {
    Objects.requireNonNull(value, "value");
    if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("vclick.turn.audit-interval must be PT1S to PT1H");
    }
  }
}
