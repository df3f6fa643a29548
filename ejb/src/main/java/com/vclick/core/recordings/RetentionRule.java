package com.vclick.core.recordings;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a recording's file goes: once {@code period} has passed since it was stored ({@code
 * createdAt}, the server's clock when it was written: immune to a media server's clock), unless it
 * is on legal hold; a deleted recording is never due again.
 *
 * @param period how long a recording is kept
 */
public record RetentionRule(Duration period) {

  public RetentionRule {
    Objects.requireNonNull(period, "period");
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("the retention period must be positive");
    }
  }

  /** Recordings stored at or before this instant are due at {@code now}. */
  public Instant cutoff(Instant now) {
    return now.minus(period);
  }

  /** When a recording stored at {@code createdAt} becomes due. */
  public Instant endsAt(Instant createdAt) {
    return createdAt.plus(period);
  }

  /** Whether the recording's file must be deleted at {@code now}. */
  public boolean isDue(RecordingRow recording, Instant now) {
    return recording.deletedAt().isEmpty()
        && !recording.legalHold()
        && !recording.createdAt().isAfter(cutoff(now));
  }

  /** The period in whole days, for the audit trail. */
  public long days() {
    return period.toDays();
  }
}
