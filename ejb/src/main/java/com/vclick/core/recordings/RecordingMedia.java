package com.vclick.core.recordings;

import java.nio.file.Path;

/**
 * A recording's file opened for a reviewer, after the access was audited.
 *
 * @param file the file to stream, read-only
 */
public record RecordingMedia(Recording recording, Path file) {}
