package com.vclick.core.edge.recording;

import java.time.Duration;

/**
 * Recorded calls' settings.
 *
 * @param failMode {@code vclick.recording.fail-mode}: when the media server cannot be had or the
 *     recording fails during the call
 * @param idleTimeout {@code vclick.recording.idle-timeout}: a call with no request for this long is
 *     released (the extension hangs up explicitly; this catches crashed browsers)
 * @param maxCallsPerUser {@code vclick.recording.max-calls-per-user}: live calls one user may hold
 * @param orphanAfter {@code vclick.recording.orphan-after}: an open session whose server stopped
 *     refreshing it for this long is reconciled (at least {@link #MIN_ORPHAN_AFTER}: the live
 *     sessions are refreshed every 30 s)
 * @param ingestRetryMax {@code vclick.recording.ingest-retry-max}: the longest wait between two
 *     attempts to store a finished recording (the wait doubles from 5 s up to this)
 */
public record RecordedCallConfig(
    RecordingFailMode failMode,
    Duration idleTimeout,
    int maxCallsPerUser,
    Duration orphanAfter,
    Duration ingestRetryMax) {

  public static final Duration MIN_ORPHAN_AFTER = Duration.ofSeconds(45);

  public RecordedCallConfig {
    if (orphanAfter.compareTo(MIN_ORPHAN_AFTER) < 0) {
      throw new IllegalArgumentException("vclick.recording.orphan-after must be at least PT45S");
    }
    if (ingestRetryMax.compareTo(IngestBackoff.FIRST) < 0) {
      throw new IllegalArgumentException("vclick.recording.ingest-retry-max must be at least PT5S");
    }
  }

  /** With the default reconciliation and retry settings (tests). */
  public RecordedCallConfig(RecordingFailMode failMode, Duration idleTimeout, int maxCallsPerUser) {
    this(failMode, idleTimeout, maxCallsPerUser, Duration.ofMinutes(2), Duration.ofMinutes(5));
  }
}
