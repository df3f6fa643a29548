package com.vclick.media.janus;

import com.vclick.media.api.Leg;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * One stretch of a call's recording, from {@code record:true} to {@code record:false}: where Janus
 * writes each party's {@code .mjr} files and where the converted file goes. Every name starts with
 * the call id and the start time, so segments never share a file.
 *
 * @param dir the recordings folder
 * @param base the name shared by the segment's files ({@code <callId>-<yyyyMMdd'T'HHmmss.SSS'Z'>})
 */
record RecordingSegment(String callId, Path dir, String base, Instant startedAt) {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** The kinds of {@code .mjr} file VideoCall writes per party. */
  static final List<String> KINDS = List.of("video", "audio", "data");

  static RecordingSegment start(String callId, Path dir, Instant now) {
    return new RecordingSegment(callId, dir, callId + "-" + STAMP.format(now), now);
  }

  /** The party's name in file names. */
  static String party(Leg leg) {
    return leg == Leg.ENTERPRISE ? "enterprise" : "far-end";
  }

  /**
   * The {@code filename} given to Janus for {@code leg}'s handle (it appends {@code -audio.mjr}…).
   */
  String janusBase(Leg leg) {
    return dir.resolve(base + "-" + party(leg)).toString();
  }

  /** The {@code .mjr} file Janus writes for {@code leg}'s {@code kind} (video, audio, data). */
  Path mjr(Leg leg, String kind) {
    return dir.resolve(base + "-" + party(leg) + "-" + kind + ".mjr");
  }

  /** A per-party converted file. */
  Path converted(Leg leg, String kind, String extension) {
    return dir.resolve(base + "-" + party(leg) + "-" + kind + "." + extension);
  }

  /** The one playable file of both parties. */
  Path output() {
    return dir.resolve(base + ".mkv");
  }

  /** Every file the segment may create: none may exist before it starts (write-once). */
  List<Path> reserved() {
    List<Path> files = new ArrayList<>();
    for (Leg leg : Leg.values()) {
      for (String kind : KINDS) {
        files.add(mjr(leg, kind));
      }
    }
    files.add(output());
    return files;
  }
}
