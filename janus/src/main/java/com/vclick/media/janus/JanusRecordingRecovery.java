package com.vclick.media.janus;

import com.vclick.media.api.MediaEvent;
import com.vclick.media.api.MediaServerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a call left in the recordings folder when the application stopped following it (a crash):
 * each segment's files ({@link RecordingSegment}: {@code <callId>-<stamp>-…}), the converted file
 * when the conversion had finished, else converted now from the {@code .mjr} files Janus wrote (the
 * files it derived half-way are removed first: conversions never overwrite).
 */
final class JanusRecordingRecovery {

  private static final Logger LOG = Logger.getLogger(JanusRecordingRecovery.class.getName());
  private static final Pattern STAMP = Pattern.compile("(\\d{8}T\\d{6}\\.\\d{3}Z)(-.*|\\.mkv)");
  private static final DateTimeFormatter STAMP_FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Path dir;
  private final RecordingConverter converter;

  JanusRecordingRecovery(Path dir, RecordingConverter converter) {
    this.dir = dir;
    this.converter = converter;
  }

  List<MediaEvent.RecordingStopped> recover(String callId) throws MediaServerException {
    Map<String, List<Path>> segments = new TreeMap<>();
    String prefix = callId + "-";
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (!name.startsWith(prefix) || !Files.isRegularFile(file)) {
          continue;
        }
        Matcher stamp = STAMP.matcher(name.substring(prefix.length()));
        if (stamp.matches()) {
          segments.computeIfAbsent(stamp.group(1), s -> new ArrayList<>()).add(file);
        }
      }
    } catch (IOException e) {
      throw new MediaServerException("the recordings folder cannot be read: " + e.getMessage());
    }
    List<MediaEvent.RecordingStopped> found = new ArrayList<>();
    for (var segment : segments.entrySet()) {
      recoverSegment(callId, segment.getKey(), segment.getValue()).ifPresent(found::add);
    }
    return found;
  }

  private java.util.Optional<MediaEvent.RecordingStopped> recoverSegment(
      String callId, String stamp, List<Path> files) throws MediaServerException {
    Instant startedAt;
    try {
      startedAt = Instant.from(STAMP_FORMAT.parse(stamp));
    } catch (DateTimeParseException e) {
      return java.util.Optional.empty();
    }
    var segment = new RecordingSegment(callId, dir, callId + "-" + stamp, startedAt);
    try {
      Instant modified = lastModified(files);
      Instant stoppedAt = modified.isAfter(startedAt) ? modified : startedAt;
      if (files.contains(segment.output())) {
        List<Path> parts = new ArrayList<>(files);
        parts.remove(segment.output());
        return java.util.Optional.of(
            new MediaEvent.RecordingStopped(callId, segment.output(), parts, startedAt, stoppedAt));
      }
      for (Path file : files) {
        if (!file.getFileName().toString().endsWith(".mjr")) {
          Files.deleteIfExists(file); // derived half-way by a conversion the crash cut short
        }
      }
      RecordingConverter.Converted converted = converter.convert(List.of(segment));
      return java.util.Optional.of(
          new MediaEvent.RecordingStopped(
              callId, converted.file(), converted.parts(), startedAt, stoppedAt));
    } catch (IOException e) {
      LOG.log(
          Level.WARNING,
          "call {0}: the recording left at {1} cannot be made playable: {2}",
          new Object[] {callId, segment.base(), e.getMessage()});
      throw new MediaServerException(
          "the media server's files of segment "
              + stamp
              + " cannot be converted: "
              + e.getMessage());
    }
  }

  private static Instant lastModified(List<Path> files) throws IOException {
    Instant last = Instant.EPOCH;
    for (Path file : files) {
      Instant at = Files.getLastModifiedTime(file).toInstant();
      last = at.isAfter(last) ? at : last;
    }
    return last;
  }
}
