package com.vclick.core.audit;

import java.time.Duration;
import java.util.Objects;

/**
 * How often the chain's head is checkpointed outside the database ({@code
 * vclick.audit.checkpoint-interval}, PT10S to PT24H).
 */
public record AuditCheckpointInterval(Duration value) {

  public AuditCheckpointInterval {
    Objects.requireNonNull(value, "value");
    if (value.compareTo(Duration.ofSeconds(10)) < 0 || value.compareTo(Duration.ofHours(24)) > 0) {
      throw new IllegalArgumentException("vclick.audit.checkpoint-interval must be PT10S to PT24H");
    }
  }
}
