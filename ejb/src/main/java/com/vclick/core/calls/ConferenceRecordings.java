package com.vclick.core.calls;

import com.vclick.core.directory.Directory;
import com.vclick.core.directory.DirectoryEntry;
import com.vclick.core.edge.recording.RecordedCallConfig;
import com.vclick.core.edge.recording.RecordingFailMode;
import com.vclick.core.recordings.RecordingAttendance;
import com.vclick.core.recordings.RecordingContext;
import com.vclick.core.recordings.RecordingLegs;
import com.vclick.core.recordings.RecordingParticipant;
import com.vclick.core.recordings.RecordingStore;
import com.vclick.media.api.ConferenceEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Stores a recorded conference's recording in the write-once recordings store ({@link
 * RecordingStore#ingest}, audited {@code recording.stored}) under the call's id, so that the call
 * log links it ({@code recording.call_id}); its participants are everyone the media server saw in
 * the room while recording, then everyone who joined the call, with every stretch each took part
 * (join and leave times, as the call log has them).
 */
@ApplicationScoped
public class ConferenceRecordings implements CallService.ConferenceRecorder {

  private static final Logger LOG = Logger.getLogger(ConferenceRecordings.class.getName());

  @Inject RecordingStore store;
  @Inject RecordedCallConfig config;
  @Inject Directory directory;
  @Inject Config mpConfig;

  @Override
  public boolean available() {
    return Files.isDirectory(store.folder()) && Files.isWritable(store.folder());
  }

  @Override
  public boolean blocksOnFailure() {
    return config.failMode() == RecordingFailMode.BLOCK;
  }

  @Override
  public void store(Call call, ConferenceEvent.RecordingStopped recording) {
    List<RecordingParticipant> participants = participants(call, recording);
    store.ingest(
        recording.file(),
        new RecordingContext(
            call.id(),
            List.of(),
            participants,
            ConferenceRecordingPolicy.originOf(
                mpConfig.getValue("vclick.public-url", String.class)),
            recording.startedAt(),
            recording.stoppedAt(),
            RecordingLegs.UNKNOWN,
            attendance(call, recording, participants)));
  }

  /**
   * Every stretch each participant took part, in the call's order: a party's join (answer) and
   * leave times from the call, one still in the call as the recording stopped counted to the call's
   * end (or the recording's stop); someone the media server saw in the room who is not a party of
   * the call (never expected) with the room's times.
   */
  static List<RecordingAttendance> attendance(
      Call call,
      ConferenceEvent.RecordingStopped recording,
      List<RecordingParticipant> participants) {
    List<String> listed = participants.stream().map(RecordingParticipant::userId).toList();
    Instant end = call.endedAt() != null ? call.endedAt() : recording.stoppedAt();
    List<RecordingAttendance> stretches = new ArrayList<>();
    for (CallParty party : call.parties()) {
      if (party.joinedAt() != null && listed.contains(party.userId())) {
        Instant left = party.leftAt() != null ? party.leftAt() : end;
        stretches.add(
            new RecordingAttendance(
                party.userId(),
                party.joinedAt(),
                left.isBefore(party.joinedAt()) ? party.joinedAt() : left));
      }
    }
    for (ConferenceEvent.Attendance seen : recording.attendance()) {
      boolean party =
          call.parties().stream().anyMatch(p -> p.userId().equals(seen.participantId()));
      if (!party && listed.contains(seen.participantId()) && seen.joinedAt() != null) {
        Instant left = seen.leftAt() != null ? seen.leftAt() : recording.stoppedAt();
        if (!left.isBefore(seen.joinedAt())) {
          stretches.add(new RecordingAttendance(seen.participantId(), seen.joinedAt(), left));
        }
      }
    }
    return stretches.size() > RecordingContext.MAX_ATTENDANCE
        ? stretches.subList(0, RecordingContext.MAX_ATTENDANCE)
        : stretches;
  }

  /** Everyone in the room while recording, then every other party who joined the call. */
  List<RecordingParticipant> participants(Call call, ConferenceEvent.RecordingStopped recording) {
    Map<String, String> names = new LinkedHashMap<>();
    for (ConferenceEvent.Attendance attendance : recording.attendance()) {
      names.putIfAbsent(attendance.participantId(), null);
    }
    for (CallParty party : call.parties()) {
      if (party.joinedAt() != null) {
        names.put(party.userId(), party.party().name());
      }
    }
    List<RecordingParticipant> participants = new ArrayList<>();
    names.forEach(
        (userId, name) -> {
          Optional<DirectoryEntry> entry = find(userId);
          String username = entry.map(DirectoryEntry::username).orElse(userId);
          String displayName =
              name != null ? name : entry.map(DirectoryEntry::displayName).orElse(username);
          participants.add(new RecordingParticipant(userId, username, displayName));
        });
    return participants.size() > RecordingContext.MAX_PARTICIPANTS
        ? participants.subList(0, RecordingContext.MAX_PARTICIPANTS)
        : participants;
  }

  private Optional<DirectoryEntry> find(String userId) {
    try {
      return directory.find(userId);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Directory unavailable naming a recording's participant: {0}", e);
      return Optional.empty();
    }
  }
}
