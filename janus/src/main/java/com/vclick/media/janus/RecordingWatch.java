package com.vclick.media.janus;

import com.vclick.media.api.Leg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Watches a running recording segment's files on disk, because Janus can stay up while its disk
 * fails and then only logs: a recorder whose folder was removed, renamed or unmounted goes on
 * writing into files nobody will find, and one whose writes fail (disk full, I/O errors) goes on
 * without writing. The segment counts as failed when
 *
 * <ul>
 *   <li>a file Janus created at the segment's start is no longer at its path, or another file is
 *       there now (a different file key): the folder went away under Janus; or
 *   <li>a party's video file stopped growing for {@code videoStallAfter} (an audio-only party's
 *       audio file for {@code audioStallAfter}) while that party's media reaches Janus (Janus
 *       reports it {@code webrtcup}/{@code receiving}): its writes go nowhere. Janus writes through
 *       a stdio buffer (4 KiB), so a file grows in steps: video (even a muted camera's black
 *       frames) fills one within seconds, but Opus with DTX in silence writes ~60 B/s, a step every
 *       minute or so. Data files are not counted: a call without messages writes none.
 * </ul>
 *
 * Not thread-safe: its owner ({@link JanusCallRecording}) guards it.
 */
final class RecordingWatch {

  private final Duration videoStallAfter;
  private final Duration audioStallAfter;

  /**
   * The files Janus created at the start, with their file keys (null where the file system has
   * none).
   */
  private final Map<Path, Object> created;

  /** The file of each party that must grow (video, else audio), absent when it has neither. */
  private final EnumMap<Leg, Path> growing = new EnumMap<>(Leg.class);

  private final EnumMap<Leg, Long> sizes = new EnumMap<>(Leg.class);
  private final EnumMap<Leg, Instant> grewAt = new EnumMap<>(Leg.class);

  private RecordingWatch(
      RecordingSegment segment,
      Duration videoStallAfter,
      Duration audioStallAfter,
      Map<Path, Object> created,
      Instant now) {
    this.videoStallAfter = videoStallAfter;
    this.audioStallAfter = audioStallAfter;
    this.created = created;
    for (Leg leg : Leg.values()) {
      for (String kind : List.of("video", "audio")) {
        Path file = segment.mjr(leg, kind);
        if (created.containsKey(file) && !growing.containsKey(leg)) {
          growing.put(leg, file);
        }
      }
      sizes.put(leg, -1L);
      grewAt.put(leg, now);
    }
  }

  /** The watch of {@code segment}, whose files Janus has just created. */
  static RecordingWatch start(
      RecordingSegment segment, Duration videoStallAfter, Duration audioStallAfter, Instant now) {
    Objects.requireNonNull(videoStallAfter, "videoStallAfter");
    Objects.requireNonNull(audioStallAfter, "audioStallAfter");
    Map<Path, Object> created = new LinkedHashMap<>();
    for (Leg leg : Leg.values()) {
      for (String kind : RecordingSegment.KINDS) {
        Path file = segment.mjr(leg, kind);
        try {
          created.put(file, attributes(file).fileKey());
        } catch (IOException e) {
          // Not created: that kind of media is not in the call.
        }
      }
    }
    return new RecordingWatch(segment, videoStallAfter, audioStallAfter, created, now);
  }

  /** The files the segment's recorders write (for tests and logs). */
  Set<Path> files() {
    return created.keySet();
  }

  /**
   * Checks the files now.
   *
   * @param flowing the parties whose media reaches Janus now
   * @return why the recording can no longer be made, or empty while it can
   */
  Optional<String> check(Set<Leg> flowing, Instant now) {
    for (var file : created.entrySet()) {
      BasicFileAttributes current;
      try {
        current = attributes(file.getKey());
      } catch (NoSuchFileException e) {
        return Optional.of(
            "the recording file "
                + file.getKey().getFileName()
                + " is gone from the recordings folder (removed, moved or unmounted while Janus"
                + " wrote it)");
      } catch (IOException e) {
        return Optional.of(
            "the recording file "
                + file.getKey().getFileName()
                + " cannot be read: "
                + e.getClass().getSimpleName());
      }
      if (file.getValue() != null && !file.getValue().equals(current.fileKey())) {
        return Optional.of(
            "the recording file "
                + file.getKey().getFileName()
                + " was replaced in the recordings folder (the folder went away under Janus)");
      }
    }
    for (Leg leg : Leg.values()) {
      Optional<String> stalled = stalled(leg, flowing.contains(leg), now);
      if (stalled.isPresent()) {
        return stalled;
      }
    }
    return Optional.empty();
  }

  private Optional<String> stalled(Leg leg, boolean flowing, Instant now) {
    Path file = growing.get(leg);
    if (file == null) {
      return Optional.empty();
    }
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      return Optional.empty(); // reported as gone by the next check
    }
    long before = sizes.put(leg, size);
    if (!flowing || size > before) {
      grewAt.put(leg, now);
      return Optional.empty();
    }
    Duration still = Duration.between(grewAt.get(leg), now);
    Duration allowed =
        file.getFileName().toString().endsWith("-video.mjr") ? videoStallAfter : audioStallAfter;
    if (still.compareTo(allowed) < 0) {
      return Optional.empty();
    }
    return Optional.of(
        "the recording file "
            + file.getFileName()
            + " of the "
            + RecordingSegment.party(leg)
            + " party stopped growing for "
            + still.toSeconds()
            + " s while its media reached Janus (disk full or failing)");
  }

  private static BasicFileAttributes attributes(Path file) throws IOException {
    return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
  }
}
