package com.vclick.core.recordings;

import java.time.Instant;
import java.util.Optional;

/**
 * A recording's file checked against what was stored.
 *
 * @param intact whether the file is there with the stored size and SHA-256
 * @param sha256 the SHA-256 stored when it was written
 * @param computedSha256 the SHA-256 of the file now; empty when the file is missing
 * @param sizeBytes the size stored when it was written
 * @param computedSizeBytes the size now; empty when the file is missing
 */
public record RecordingVerification(
    String recordingId,
    boolean intact,
    String sha256,
    Optional<String> computedSha256,
    long sizeBytes,
    Optional<Long> computedSizeBytes,
    Instant verifiedAt) {}
