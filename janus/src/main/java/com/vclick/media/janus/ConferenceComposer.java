package com.vclick.media.janus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Turns a finished {@link ConferenceTake}'s {@code .mjr} files into one playable file. */
interface ConferenceComposer {

  /**
   * Composes; never overwrites a file.
   *
   * @throws IOException nothing was recorded, a tool failed, a target file exists (a message fit
   *     for logs)
   */
  Composed compose(ConferenceTake take) throws IOException;

  /**
   * @param file everyone's video in a grid and all audio mixed
   * @param parts the {@code .mjr} files and the per-participant files made from them
   */
  record Composed(Path file, List<Path> parts) {
    public Composed {
      parts = List.copyOf(parts);
    }
  }
}
