package com.vclick.core.recordings;

import java.nio.file.Path;

/** Reads a media file's streams and duration; never throws: a failure is a result too. */
@FunctionalInterface
public interface MediaProbe {

  ProbeResult probe(Path file);
}
