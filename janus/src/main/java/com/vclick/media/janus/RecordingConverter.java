package com.vclick.media.janus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns a finished recording's {@code .mjr} files into one playable file. A recording is one or
 * more {@link RecordingSegment}s in time order: a call whose renegotiation added a kind of media
 * (an audio call turning its camera on) is recorded on into a new segment, because VideoCall
 * creates a recorder only for the kinds a call has when recording starts.
 */
interface RecordingConverter {

  /**
   * Converts the segments into one file (named after the first); never overwrites a file.
   *
   * @param segments one or more, in the order they were recorded
   * @throws IOException the recording cannot be converted (nothing recorded, a tool failed, a
   *     target file exists); the message is fit for logs
   */
  Converted convert(List<RecordingSegment> segments) throws IOException;

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
