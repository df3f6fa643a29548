package com.vclick.media.janus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Turns a finished {@link RecordingSegment}'s {@code .mjr} files into one playable file. */
interface RecordingConverter {

  /**
   * Converts; never overwrites a file.
   *
   * @throws IOException the recording cannot be converted (nothing recorded, a tool failed, a
   *     target file exists); the message is fit for logs
   */
  Converted convert(RecordingSegment segment) throws IOException;

  /**
   * @param file the playable file of both parties
   * @param parts every other file of the recording: the {@code .mjr} files and the per-party files
   */
  record Converted(Path file, List<Path> parts) {
    public Converted {
      parts = List.copyOf(parts);
    }
  }
}
