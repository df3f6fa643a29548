package com.vclick.media.api;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What a media server tells about a {@link ProxiedCall}, in neutral terms (no adapter's types).
 * Delivered to the call's {@link MediaEventListener} on an adapter thread, in order per call.
 */
public sealed interface MediaEvent {

  /** The call the event is about. */
  String callId();

  /** The media server's own ICE candidate toward {@code leg} (trickle it to that leg's peer). */
  record LocalCandidate(String callId, Leg leg, IceCandidate candidate) implements MediaEvent {}

  /** Media from {@code leg}'s peer reaches the media server. */
  record MediaFlowing(String callId, Leg leg) implements MediaEvent {}

  /** The connection to {@code leg}'s peer failed or was lost. */
  record LegFailed(String callId, Leg leg, String reason) implements MediaEvent {}

  /**
   * The recording stopped and its files are complete.
   *
   * @param file one playable file holding both parties' audio and video (e.g. Matroska)
   * @param parts the per-party files it was made from (kept for evidence), possibly empty
   */
  record RecordingStopped(
      String callId, Path file, List<Path> parts, Instant startedAt, Instant stoppedAt)
      implements MediaEvent {
    public RecordingStopped {
      parts = List.copyOf(parts);
    }
  }

  /** The recording could not be made or completed (the call itself may go on). */
  record RecordingFailed(String callId, String reason) implements MediaEvent {}

  /**
   * The media server released the call (after {@link ProxiedCall#close()} or on its own); {@code
   * reason} is one of {@link ReleaseReason#wire()}. It is the call's last event: every recording of
   * the call was reported before it ({@link RecordingStopped} or {@link RecordingFailed}).
   */
  record CallReleased(String callId, String reason) implements MediaEvent {
    public CallReleased(String callId, ReleaseReason reason) {
      this(callId, reason.wire());
    }
  }
}
