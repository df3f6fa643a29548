package com.vclick.media.janus;

import com.vclick.media.api.ConferenceEvent;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Janus side of a conference's recording and its hand-off: {@code configure {record, filename}}
 * and {@code configure {record:false}} on a publisher handle, and the composition of a finished
 * {@link ConferenceTake} on the adapter's conversion thread, which reports exactly one {@code
 * RecordingStopped} or {@code RecordingFailed}. The conference decides when (under its exchange
 * lock); {@link ConferenceRecording} keeps the bookkeeping.
 */
final class ConferenceRecorder {

  private static final Logger LOG = Logger.getLogger(ConferenceRecorder.class.getName());

  private final String conferenceId;
  private final JanusMediaServer server;
  private final VideoRoomRequests janus;
  private final Consumer<ConferenceEvent> emit;

  ConferenceRecorder(
      String conferenceId,
      JanusMediaServer server,
      VideoRoomRequests janus,
      Consumer<ConferenceEvent> emit) {
    this.conferenceId = conferenceId;
    this.server = server;
    this.janus = janus;
    this.emit = emit;
  }

  /** The publisher records its streams to {@code <base>-audio|video-<mindex>.mjr}. */
  void record(long publisher, String base, long deadline) throws JanusException {
    janus.request(
        publisher,
        "configure (record)",
        janus
            .object()
            .add("request", "configure")
            .add("record", true)
            .add("filename", base)
            .build(),
        null,
        deadline);
  }

  /**
   * {@code record:false} on a publisher (best effort: detaching it or destroying the room closes
   * its recorders anyway, and the composition is cut at the take's end).
   */
  void stop(long publisher, String participantId, long deadline) {
    if (!janus.session().isUsable()) {
      return;
    }
    try {
      janus.request(
          publisher,
          "configure (stop recording)",
          janus.object().add("request", "configure").add("record", false).build(),
          null,
          deadline);
    } catch (JanusException e) {
      LOG.log(
          Level.WARNING,
          "conference {0}: stopping the recording of {1} failed: {2}",
          new Object[] {conferenceId, participantId, e.getMessage()});
    }
  }

  /**
   * Composes on the conversion thread, reports exactly one outcome, then runs {@code then} (may be
   * null): the conversion thread runs in order, so a release queued after it is the last event.
   */
  void compose(ConferenceTake take, Runnable then) {
    server.convert(
        () -> {
          try {
            ConferenceComposer.Composed composed = server.composer().compose(take);
            emit.accept(
                new ConferenceEvent.RecordingStopped(
                    conferenceId,
                    composed.file(),
                    composed.parts(),
                    take.startedAt(),
                    take.stoppedAt(),
                    take.attendance()));
          } catch (IOException | RuntimeException e) {
            LOG.log(
                Level.WARNING,
                "conference {0}: recording {1} not composed: {2}",
                new Object[] {conferenceId, take.base(), e.getMessage()});
            emit.accept(
                new ConferenceEvent.RecordingFailed(
                    conferenceId, "composition failed: " + e.getMessage()));
          } finally {
            if (then != null) {
              then.run();
            }
          }
        });
  }
}
