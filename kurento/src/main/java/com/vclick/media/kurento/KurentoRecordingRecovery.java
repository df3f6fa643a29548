package com.vclick.media.kurento;

import com.vclick.media.api.MediaEvent;
import com.vclick.media.api.MediaServerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a call left in KMS's recordings folder when the application stopped following it (a crash),
 * found by name ({@link CallRecording}: {@code <callId>[-<n>]-both.webm} per recording, the
 * per-party {@code <callId>[-<n>]-<party>[-<generation>].webm} beside it). Only when that folder is
 * reachable from this server (KMS on the same host or a shared mount); else nothing is found. KMS
 * writes WebM as it records: a file cut short plays up to its last cluster.
 */
final class KurentoRecordingRecovery {

  private static final Pattern BOTH = Pattern.compile("(-\\d+)?-both\\.webm");
  private static final Pattern PART = Pattern.compile("-(enterprise|far-end)(-\\d+)?\\.webm");

  private final Path dir;

  KurentoRecordingRecovery(Path dir) {
    this.dir = dir;
  }

  List<MediaEvent.RecordingStopped> recover(String callId) throws MediaServerException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> files = new ArrayList<>();
    try (Stream<Path> list = Files.list(dir)) {
      list.filter(f -> f.getFileName().toString().startsWith(callId + "-"))
          .filter(Files::isRegularFile)
          .sorted()
          .forEach(files::add);
    } catch (IOException e) {
      throw new MediaServerException("the recordings folder cannot be read: " + e.getMessage());
    }
    List<MediaEvent.RecordingStopped> found = new ArrayList<>();
    for (Path file : files) {
      Matcher both = BOTH.matcher(file.getFileName().toString().substring(callId.length()));
      if (!both.matches()) {
        continue;
      }
      String prefix = callId + (both.group(1) == null ? "" : both.group(1));
      List<Path> parts = new ArrayList<>();
      for (Path other : files) {
        String name = other.getFileName().toString();
        if (name.startsWith(prefix) && PART.matcher(name.substring(prefix.length())).matches()) {
          parts.add(other);
        }
      }
      try {
        if (Files.size(file) == 0) {
          continue; // KMS never wrote into it: nothing recorded
        }
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        Instant stopped = attributes.lastModifiedTime().toInstant();
        Instant created = attributes.creationTime().toInstant();
        Instant started = created.isAfter(stopped) ? stopped : created;
        found.add(new MediaEvent.RecordingStopped(callId, file, parts, started, stopped));
      } catch (IOException e) {
        throw new MediaServerException(file.getFileName() + " cannot be read: " + e.getMessage());
      }
    }
    return found;
  }
}
