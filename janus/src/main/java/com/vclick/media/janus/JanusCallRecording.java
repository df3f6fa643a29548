package com.vclick.media.janus;

import com.vclick.media.api.Leg;
import com.vclick.media.api.MediaEvent;
import com.vclick.media.api.MediaServerException;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The recording of one Janus call: {@code set {record}} on both VideoCall handles, the segment's
 * {@code .mjr} files (write-once: none may exist before, Janus must have created them after), and
 * the hand-off to the conversion thread, which reports {@code RecordingStopped} or {@code
 * RecordingFailed} once per recording. The call decides when (VideoCall records only a call in
 * progress); this class owns what and where.
 *
 * <p>VideoCall creates a recorder only for the kinds of media (audio, video, data) the call has
 * when {@code record:true} arrives. When a later round adds a kind (an audio call turning its
 * camera on), the recording goes on into a new segment ({@link #renegotiated}: {@code record:false}
 * then {@code record:true} with the new segment's names, handle by handle, so each party's gap is
 * one request); the segments of one recording are converted into one file.
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

  /** The earlier segments of the running recording (ended by {@link #renegotiated}). */
  private final List<RecordingSegment> earlier = new ArrayList<>();

  /** The kinds of media the running segment records (as VideoCall sees them). */
  private Set<String> recordedKinds = Set.of();

  /** The running segment's files on disk; null when none runs. */
  private RecordingWatch watch;

  /** The watch reported a failure that {@link #failed} has not handled yet. */
  private boolean failureReported;

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
   * Takes the running recording's segments away (empty when none), so that exactly one caller stops
   * and converts them.
   *
   * @param wantAgain record anew (a new recording) after the next exchange
   */
  synchronized List<RecordingSegment> take(boolean wantAgain) {
    List<RecordingSegment> taken = new ArrayList<>(earlier);
    earlier.clear();
    if (segment != null) {
      taken.add(segment);
    }
    segment = null;
    watch = null;
    failureReported = false;
    if (!wantAgain) {
      wanted = false;
    } else if (!taken.isEmpty()) {
      wanted = true;
    }
    return taken;
  }

  /**
   * The kinds of media VideoCall takes a description to have, as it decides which recorders to
   * create: {@code audio}, {@code video}, {@code data}.
   */
  static Set<String> kindsOf(String sdp) {
    Set<String> kinds = new TreeSet<>();
    if (sdp.contains("m=audio")) {
      kinds.add("audio");
    }
    if (sdp.contains("m=video")) {
      kinds.add("video");
    }
    if (sdp.contains("DTLS/SCTP")) {
      kinds.add("data");
    }
    return kinds;
  }

  /** Starts a new recording on both handles; on failure nothing is left recording. */
  void start(Set<String> kinds, long deadline) throws MediaServerException {
    RecordingSegment next = reserve();
    try {
      for (Leg leg : Leg.values()) {
        recordInJanus(leg, next, deadline);
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
    RecordingWatch watching = watch(next);
    synchronized (this) {
      segment = next;
      watch = watching;
      recordedKinds = Set.copyOf(kinds);
      wanted = false;
    }
    LOG.log(Level.INFO, "call {0}: recording to {1}", new Object[] {callId, next.base()});
  }

  /**
   * A later round completed with {@code kinds} of media: when it added one the running segment
   * lacks, the recording goes on into a new segment. On failure the recording ends: what was
   * recorded is converted and reported, then the failure is thrown.
   */
  void renegotiated(Set<String> kinds, long deadline) throws MediaServerException {
    RecordingSegment current;
    synchronized (this) {
      current = segment;
      if (current == null || recordedKinds.containsAll(kinds)) {
        return;
      }
    }
    RecordingSegment next;
    try {
      next = reserve();
    } catch (MediaServerException e) {
      stopAfterFailedRotation(deadline);
      throw e;
    }
    try {
      for (Leg leg : Leg.values()) {
        stopInJanus(leg, deadline);
        recordInJanus(leg, next, deadline);
      }
    } catch (JanusException e) {
      synchronized (this) {
        earlier.add(current);
        segment = next; // whatever Janus wrote into it is converted with the rest
      }
      stopAfterFailedRotation(deadline);
      throw e;
    }
    RecordingWatch watching = watch(next);
    synchronized (this) {
      earlier.add(current);
      segment = next;
      watch = watching;
      recordedKinds = Set.copyOf(kinds);
    }
    LOG.log(
        Level.INFO,
        "call {0}: the call now has {1}; recording on to {2}",
        new Object[] {callId, kinds, next.base()});
  }

  private RecordingWatch watch(RecordingSegment next) {
    JanusSettings settings = server.settings();
    return RecordingWatch.start(
        next,
        settings.recordingStallAfter(),
        settings.recordingAudioStallAfter(),
        server.clock().instant());
  }

  /**
   * Checks the running segment's files on disk ({@link RecordingWatch}); quick, never talks to
   * Janus. A failure is returned once, for {@link #failed} to handle.
   *
   * @param flowing the parties whose media reaches Janus now
   */
  synchronized Optional<String> check(Set<Leg> flowing, Instant now) {
    if (watch == null || failureReported) {
      return Optional.empty();
    }
    Optional<String> failure = watch.check(flowing, now);
    failureReported = failure.isPresent();
    return failure;
  }

  /**
   * The recording broke during the call ({@link #check}): it ends (Janus told to stop recording),
   * {@code RecordingFailed} is reported at once, and whatever Janus wrote that is still there is
   * converted and reported after it (a partial recording beside the audited failure). The call goes
   * on: whether it may is the application's decision (its fail mode).
   */
  void failed(String reason, long deadline) {
    List<RecordingSegment> ended;
    synchronized (this) {
      if (!failureReported) {
        return; // ended meanwhile (stopped, rotated, closed)
      }
      ended = take(false);
    }
    stopInJanus(deadline);
    LOG.log(Level.WARNING, "call {0}: recording failed: {1}", new Object[] {callId, reason});
    emit.accept(new MediaEvent.RecordingFailed(callId, reason));
    List<RecordingSegment> left = ended.stream().filter(JanusCallRecording::wroteAnything).toList();
    if (!left.isEmpty()) {
      convert(left, null);
    }
  }

  private void stopAfterFailedRotation(long deadline) {
    List<RecordingSegment> stopped = take(false);
    stopInJanus(deadline);
    if (!stopped.isEmpty()) {
      convert(stopped, null);
    }
  }

  /** The next segment's names, none of whose files may exist yet (write-once). */
  private RecordingSegment reserve() throws MediaServerException {
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
    synchronized (this) {
      for (RecordingSegment taken : earlier) {
        if (taken.base().equals(next.base())) {
          throw new MediaServerException("a segment of this recording has the same name");
        }
      }
      if (segment != null && segment.base().equals(next.base())) {
        throw new MediaServerException("a segment of this recording has the same name");
      }
    }
    for (Path file : next.reserved()) {
      if (Files.exists(file)) {
        throw new MediaServerException(
            file.getFileName() + " exists already; recordings are never overwritten");
      }
    }
    return next;
  }

  private void recordInJanus(Leg leg, RecordingSegment next, long deadline) throws JanusException {
    JsonObject body =
        handles
            .object()
            .add("request", "set")
            .add("record", true)
            .add("filename", next.janusBase(leg))
            .build();
    handles.request(leg, "set (record)", body, null, deadline);
  }

  /** {@code stopRecording()}: closes the files in Janus, converts; no-op when not recording. */
  void stop(long deadline) throws JanusException {
    List<RecordingSegment> stopped = take(false);
    if (stopped.isEmpty()) {
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
    List<RecordingSegment> ended = take(true);
    if (!ended.isEmpty()) {
      convert(ended, null);
    }
  }

  /**
   * The call ends with {@code ended} (from {@link #take}, may be empty): {@code then} runs after
   * its conversion was reported, and after every conversion queued before (an interrupted
   * recording's): the conversion thread runs them in order, so the call's release is its last
   * event.
   */
  void finish(List<RecordingSegment> ended, Runnable then) {
    if (ended.isEmpty()) {
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
        stopInJanus(leg, deadline);
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

  private void stopInJanus(Leg leg, long deadline) throws JanusException {
    handles.request(
        leg,
        "set (stop recording)",
        handles.object().add("request", "set").add("record", false).build(),
        null,
        deadline);
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
  private void convert(List<RecordingSegment> stopped, Runnable then) {
    Instant stoppedAt = server.clock().instant();
    RecordingSegment first = stopped.get(0);
    server.convert(
        () -> {
          try {
            RecordingConverter.Converted converted = server.converter().convert(stopped);
            emit.accept(
                new MediaEvent.RecordingStopped(
                    callId, converted.file(), converted.parts(), first.startedAt(), stoppedAt));
          } catch (IOException | RuntimeException e) {
            LOG.log(
                Level.WARNING,
                "call {0}: recording {1} not converted: {2}",
                new Object[] {callId, first.base(), e.getMessage()});
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
