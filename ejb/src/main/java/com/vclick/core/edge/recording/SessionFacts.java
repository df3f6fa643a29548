package com.vclick.core.edge.recording;

import java.time.Instant;

/**
 * What a recorded-call session is, as persisted when it opens (the {@code recorded_call} row).
 *
 * @param recordedCallId the session's id (also the media server's call id)
 * @param connectionId the page's connection in the Secure Edge connection log, or null
 * @param failMode {@code block} or {@code allow-unrecorded}, as configured when it opened
 */
public record SessionFacts(
    String recordedCallId,
    String userId,
    String username,
    String displayName,
    String connectionId,
    String decisionId,
    String origin,
    String failMode,
    Instant openedAt) {}
