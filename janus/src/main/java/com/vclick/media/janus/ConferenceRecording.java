package com.vclick.media.janus;

import com.vclick.media.api.ConferenceEvent.Attendance;
import com.vclick.media.api.MediaServerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bookkeeping of a conference's recording: whether it runs, the current {@link
 * ConferenceTake}'s base, each participant's stints (a new Janus file base every time someone
 * enters the recorded room, so a participant who leaves and comes back never overwrites its first
 * files) and the attendance. Talks to nobody: the conference sends the {@code record} requests. Not
 * thread-safe: the conference guards it.
 */
final class ConferenceRecording {

  private final String conferenceId;
  private Path dir;
  private String base;
  private Instant startedAt;
  private final List<ConferenceTake.Stint> stints = new ArrayList<>();
  private final List<Attendance> attendance = new ArrayList<>();
  private final Map<String, Integer> entries = new HashMap<>();

  ConferenceRecording(String conferenceId) {
    this.conferenceId = conferenceId;
  }

  boolean running() {
    return base != null;
  }

  /**
   * Starts a take in {@code folder} at {@code now}; the members present are in it from now.
   *
   * @throws MediaServerException no recordings folder, or the take's file exists already
   */
  void start(Path folder, Instant now) throws MediaServerException {
    if (!Files.isDirectory(folder)) {
      throw new MediaServerException("the recordings folder does not exist");
    }
    String next = ConferenceTake.base(conferenceId, now);
    if (Files.exists(folder.resolve(next + ".mkv"))) {
      throw new MediaServerException(
          next + ".mkv exists already; recordings are never overwritten");
    }
    dir = folder;
    base = next;
    startedAt = now;
    stints.clear();
    attendance.clear();
    entries.clear();
  }

  /**
   * {@code participantId} (in the room since {@code joinedAt}) is recorded from now: returns the
   * Janus {@code filename} of its streams.
   */
  String enter(String participantId, Instant joinedAt) {
    int n = entries.merge(participantId, 1, Integer::sum);
    String janusBase = dir.resolve(base + "-" + participantId + "-" + n).toString();
    stints.add(new ConferenceTake.Stint(participantId, janusBase));
    attendance.add(new Attendance(participantId, joinedAt, null));
    return janusBase;
  }

  /** The participant left the recorded room at {@code now}. */
  void left(String participantId, Instant now) {
    for (int i = attendance.size() - 1; i >= 0; i--) {
      Attendance a = attendance.get(i);
      if (a.participantId().equals(participantId) && a.leftAt() == null) {
        attendance.set(i, new Attendance(participantId, a.joinedAt(), now));
        return;
      }
    }
  }

  /** The participant's last {@link #enter} did not happen after all (its join failed). */
  void abandon(String participantId) {
    for (int i = stints.size() - 1; i >= 0; i--) {
      if (stints.get(i).participantId().equals(participantId)) {
        stints.remove(i);
        break;
      }
    }
    for (int i = attendance.size() - 1; i >= 0; i--) {
      if (attendance.get(i).participantId().equals(participantId)) {
        attendance.remove(i);
        break;
      }
    }
  }

  /** Ends the running take at {@code now} (null when none ran). */
  ConferenceTake stop(Instant now) {
    if (base == null) {
      return null;
    }
    var take = new ConferenceTake(conferenceId, dir, base, startedAt, now, stints, attendance);
    base = null;
    return take;
  }
}
