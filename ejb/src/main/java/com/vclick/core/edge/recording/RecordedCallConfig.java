package com.vclick.core.edge.recording;

import java.time.Duration;

/**
 * Recorded calls' settings.
 *
 * @param failMode {@code vclick.recording.fail-mode}: when the media server cannot be had
 * @param idleTimeout {@code vclick.recording.idle-timeout}: a call with no request for this long is
 *     released (the extension hangs up explicitly; this catches crashed browsers)
 * @param maxCallsPerUser {@code vclick.recording.max-calls-per-user}: live calls one user may hold
 */
public record RecordedCallConfig(
    RecordingFailMode failMode, Duration idleTimeout, int maxCallsPerUser) {}
