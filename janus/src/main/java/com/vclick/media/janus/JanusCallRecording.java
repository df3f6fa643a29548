package com.vclick.media.janus;

import com.vclick.media.api.Leg;
import com.vclick.media.api.MediaEvent;
import com.vclick.media.api.MediaServerException;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The recording of one Janus call: {@code set {record}} on both VideoCall handles, the segment's
 * {@code .mjr} files (write-once: none may exist before, Janus must have created them after), and
 * the hand-off to the conversion thread, which reports {@code RecordingStopped} or {@code
 * RecordingFailed} once per segment. The call decides when (VideoCall records only a call in
 * progress); this class owns what and where.
 *
 * <p>Its state (the wish to record, the running segment) is guarded by this object; the methods
 * that talk to Janus are called by the call under its exchange lock, never under its state lock.
 */
final class JanusCallRecording {

  private static final Logger LOG = Logger.getLogger(JanusCallRecording.class.getName());

  private final String callId;
  private final JanusMediaServer server;
  private final JanusSession session;
  private final VideoCallHandles handles;
  private final Consumer<MediaEvent> emit;

  // Guarded by this.
  private boolean wanted;
  private RecordingSegment segment;

  JanusCallRecording(
      String callId,
      JanusMediaServer server,
      JanusSession session,
      VideoCallHandles handles,
      Consumer<MediaEvent> emit,
      boolean wanted) {
    this.callId = callId;
    this.server = server;
    this.session = session;
    this.handles = handles;
    this.emit = emit;
    this.wanted = wanted;
  }

  /** Whether a segment is being recorded. */
  synchronized boolean running() {
    return segment != null;
  }

  /** Recording is wished and not running: start it once the exchange completes. */
  synchronized boolean due() {
    return wanted && segment == null;
  }

  /** Record as soon as the call is in progress. */
  synchronized void want() {
    if (segment == null) {
      wanted = true;
    }
  }

  /**
   * Takes the running segment away (null when none), so that exactly one caller stops and converts
   * it.
   *
   * @param wantAgain record anew (a new segment) after the next exchange
   */
  synchronized RecordingSegment take(boolean wantAgain) {
    RecordingSegment taken = segment;
    segment = null;
    if (!wantAgain) {
      wanted = false;
    } else if (taken != null) {
      wanted = true;
    }
    return taken;
  }

  /** Starts a new segment on both handles; on failure nothing is left recording. */
  void start(long deadline) throws MediaServerException {
    Path dir =
        server
            .settings()
            .recordingsDir()
            .orElseThrow(
                () ->
                    new MediaServerException("recording needs vclick.media.janus.recordings-dir"));
    if (!Files.isDirectory(dir)) {
      throw new MediaServerException("the recordings folder does not exist");
    }
    RecordingSegment next = RecordingSegment.start(callId, dir, server.clock().instant());
    for (Path file : next.reserved()) {
      if (Files.exists(file)) {
        throw new MediaServerException(
            file.getFileName() + " exists already; recordings are never overwritten");
      }
    }
    try {
      for (Leg leg : Leg.values()) {
        JsonObject body =
            handles
                .object()
                .add("request", "set")
                .add("record", true)
                .add("filename", next.janusBase(leg))
                .build();
        handles.request(leg, "set (record)", body, null, deadline);
      }
    } catch (JanusException e) {
      stopInJanus(deadline);
      throw e;
    }
    if (!wroteAnything(next)) {
      stopInJanus(deadline);
      throw new MediaServerException(
          "Janus wrote no recording file to the recordings folder (not writable by Janus, a"
              + " protected folder, or not the same folder on both hosts)");
    }
    synchronized (this) {
      segment = next;
      wanted = false;
    }
    LOG.log(Level.INFO, "call {0}: recording to {1}", new Object[] {callId, next.base()});
  }

  /** {@code stopRecording()}: closes the files in Janus, converts; no-op when not recording. */
  void stop(long deadline) throws JanusException {
    RecordingSegment stopped = take(false);
    if (stopped == null) {
      return;
    }
    JanusException failure = stopInJanus(deadline);
    convert(stopped, null);
    if (failure != null) {
      throw failure;
    }
  }

  /** Janus ended the call and closed its recorders: convert what it wrote, record anew later. */
  void interrupted() {
    RecordingSegment ended = take(true);
    if (ended != null) {
      convert(ended, null);
    }
  }

  /**
   * The call ends with {@code ended} (from {@link #take}, may be null): {@code then} runs after its
   * conversion was reported, and after every conversion queued before (an interrupted segment's):
   * the conversion thread runs them in order, so the call's release is its last event.
   */
  void finish(RecordingSegment ended, Runnable then) {
    if (ended == null) {
      server.convert(then);
    } else {
      convert(ended, then);
    }
  }

  /** {@code record:false} on both handles (best effort, only while Janus has the session). */
  JanusException stopInJanus(long deadline) {
    if (!session.isUsable()) {
      return null;
    }
    JanusException failure = null;
    for (Leg leg : Leg.values()) {
      try {
        handles.request(
            leg,
            "set (stop recording)",
            handles.object().add("request", "set").add("record", false).build(),
            null,
            deadline);
      } catch (JanusException e) {
        LOG.log(
            Level.WARNING,
            "call {0}: stopping the recording of {1} failed: {2}",
            new Object[] {callId, leg, e.getMessage()});
        failure = failure == null ? e : failure;
      }
    }
    return failure;
  }

  private static boolean wroteAnything(RecordingSegment segment) {
    for (Leg leg : Leg.values()) {
      for (String kind : RecordingSegment.KINDS) {
        if (Files.exists(segment.mjr(leg, kind))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Converts on the conversion thread, reports, then runs {@code then} (may be null). */
  private void convert(RecordingSegment stopped, Runnable then) {
    Instant stoppedAt = server.clock().instant();
    server.convert(
        () -> {
          try {
            RecordingConverter.Converted converted = server.converter().convert(stopped);
            emit.accept(
                new MediaEvent.RecordingStopped(
                    callId, converted.file(), converted.parts(), stopped.startedAt(), stoppedAt));
          } catch (IOException | RuntimeException e) {
            LOG.log(
                Level.WARNING,
                "call {0}: recording {1} not converted: {2}",
                new Object[] {callId, stopped.base(), e.getMessage()});
            emit.accept(
                new MediaEvent.RecordingFailed(callId, "conversion failed: " + e.getMessage()));
          } finally {
            if (then != null) {
              then.run();
            }
          }
        });
  }
}
