package com.vclick.media.api;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What a media server tells about a {@link Conference}, in neutral terms (no adapter's types).
 * Delivered to the conference's {@link ConferenceListener} on an adapter thread, in order per
 * conference.
 */
public sealed interface ConferenceEvent {

  /** The conference the event is about. */
  String conferenceId();

  /**
   * The media server offers {@code participantId} a receive session (new, or again after someone
   * joined, left or changed what they publish); the browser answers with {@link Conference#answer}.
   *
   * @param sources whose stream each media section of {@code sdp} carries
   */
  record ReceiveOffer(
      String conferenceId,
      String participantId,
      String sessionId,
      String sdp,
      List<StreamSource> sources)
      implements ConferenceEvent {
    public ReceiveOffer {
      sources = List.copyOf(sources);
    }
  }

  /**
   * One media section of a receive session.
   *
   * @param mid the section's {@code a=mid}
   * @param publisherId the participant whose media it carries
   * @param kind {@code audio} or {@code video}
   */
  record StreamSource(String mid, String publisherId, String kind) {}

  /** A receive session of {@code participantId} ended (its publisher left); close it. */
  record SessionClosed(String conferenceId, String participantId, String sessionId)
      implements ConferenceEvent {}

  /** The media server's own ICE candidate for one session of {@code participantId}. */
  record LocalCandidate(
      String conferenceId, String participantId, String sessionId, IceCandidate candidate)
      implements ConferenceEvent {}

  /**
   * Media flows on one session of {@code participantId}: from the browser on its publish session,
   * to the browser on a receive session.
   */
  record MediaFlowing(String conferenceId, String participantId, String sessionId)
      implements ConferenceEvent {}

  /**
   * The connection to {@code participantId}'s browser failed or was lost; the participant is out of
   * the room (as after {@link Conference#leave}).
   */
  record ParticipantFailed(String conferenceId, String participantId, String reason)
      implements ConferenceEvent {}

  /**
   * Who was in the room while it was recorded.
   *
   * @param leftAt null when still in the room as the recording stopped
   */
  record Attendance(String participantId, Instant joinedAt, Instant leftAt) {}

  /**
   * The recording stopped and its files are complete.
   *
   * @param file one playable file: everyone's video in a grid and all audio mixed, each party
   *     placed at its real time
   * @param parts the per-party files it was made from (kept for evidence), possibly empty
   * @param attendance everyone who was in the room while recording, with their times
   */
  record RecordingStopped(
      String conferenceId,
      Path file,
      List<Path> parts,
      Instant startedAt,
      Instant stoppedAt,
      List<Attendance> attendance)
      implements ConferenceEvent {
    public RecordingStopped {
      parts = List.copyOf(parts);
      attendance = List.copyOf(attendance);
    }
  }

  /** The recording could not be made or completed (the conference itself may go on). */
  record RecordingFailed(String conferenceId, String reason) implements ConferenceEvent {}

  /**
   * The media server released the room (after {@link Conference#close()} or on its own); {@code
   * reason} is one of {@link ReleaseReason#wire()}. It is the conference's last event: every
   * recording was reported before it.
   */
  record ConferenceReleased(String conferenceId, String reason) implements ConferenceEvent {
    public ConferenceReleased(String conferenceId, ReleaseReason reason) {
      this(conferenceId, reason.wire());
    }
  }
}
