package com.vclick.core.recordings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where recordings are kept and for how long.
 *
 * @param dir the store's folder ({@code vclick.recordings.dir})
 * @param retentionDays a recording's file is deleted this many days after it was stored, unless on
 *     legal hold ({@code vclick.recordings.retention-days}, 1 to {@link #MAX_RETENTION_DAYS})
 * @param sweepInterval how often the retention sweep runs ({@code
 *     vclick.recordings.sweep-interval}, at least a minute)
 * @param ffprobe the ffprobe command that reads codecs and duration ({@code
 *     vclick.recordings.ffprobe})
 */
public record RecordingsConfig(
    Path dir, int retentionDays, Duration sweepInterval, String ffprobe) {

  /** A century: longer is a typo. */
  public static final int MAX_RETENTION_DAYS = 36_500;

  public RecordingsConfig {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(sweepInterval, "sweepInterval");
    if (retentionDays < 1 || retentionDays > MAX_RETENTION_DAYS) {
      throw new IllegalArgumentException(
          "vclick.recordings.retention-days must be 1 to " + MAX_RETENTION_DAYS);
    }
    if (sweepInterval.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new IllegalArgumentException("vclick.recordings.sweep-interval must be at least PT1M");
    }
    if (ffprobe == null || ffprobe.isBlank()) {
      throw new IllegalArgumentException("vclick.recordings.ffprobe must name a command");
    }
  }

  /** The retention period. */
  public RetentionRule retention() {
    return new RetentionRule(Duration.ofDays(retentionDays));
  }
}
