package com.vclick.media.api.adapter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A media server's recordings folder as seen by its adapter: removes the recording files (named
 * {@code <callId>-…}, the call id a UUID) last written before a cutoff. Other files are never
 * touched.
 */
public final class WorkingFiles {

  private static final Logger LOG = Logger.getLogger(WorkingFiles.class.getName());
  private static final Pattern RECORDING =
      Pattern.compile(
          "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[A-Za-z0-9.-]+"
              + "\\.(mjr|mkv|webm|opus|wav|mp4)");

  private WorkingFiles() {}

  /** Removes the recording files of {@code dir} last modified before {@code cutoff}. */
  public static int purge(Path dir, Instant cutoff) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int removed = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        try {
          if (RECORDING.matcher(file.getFileName().toString()).matches()
              && Files.isRegularFile(file)
              && Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)
              && Files.deleteIfExists(file)) {
            removed++;
          }
        } catch (IOException e) {
          LOG.log(Level.WARNING, "{0} cannot be removed: {1}", new Object[] {file, e.toString()});
        }
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "{0} cannot be read: {1}", new Object[] {dir, e.toString()});
    }
    return removed;
  }
}
