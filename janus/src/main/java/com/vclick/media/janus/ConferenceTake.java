package com.vclick.media.janus;

import com.vclick.media.api.ConferenceEvent.Attendance;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * One stretch of a conference's recording, from {@code startRecording} (or creation) to {@code
 * stopRecording} (or close): where Janus writes each participant's {@code .mjr} files and where the
 * composed file goes. Every name starts with the conference id and the start time, so takes never
 * share a file.
 *
 * @param base {@code <conferenceId>-<yyyyMMdd'T'HHmmss.SSS'Z'>}
 * @param stints the Janus {@code filename} of every stretch a participant spent in the room while
 *     recorded ({@code <base>-<participantId>-<n>}); Janus appends {@code -audio-<mindex>.mjr} and
 *     {@code -video-<mindex>.mjr} per stream
 */
record ConferenceTake(
    String conferenceId,
    Path dir,
    String base,
    Instant startedAt,
    Instant stoppedAt,
    List<Stint> stints,
    List<Attendance> attendance) {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** A participant's stretch in the recorded room and the Janus file base of its streams. */
  record Stint(String participantId, String janusBase) {}

  ConferenceTake {
    stints = List.copyOf(stints);
    attendance = List.copyOf(attendance);
  }

  static String base(String conferenceId, Instant startedAt) {
    return conferenceId + "-" + STAMP.format(startedAt);
  }

  /** The one composed file. */
  Path output() {
    return dir.resolve(base + ".mkv");
  }
}
