package com.vclick.media.kurento;

import com.vclick.media.kurento.KurentoGateway.Element;
import com.vclick.media.kurento.KurentoGateway.Failure;
import com.vclick.media.kurento.KurentoGateway.Mixer;
import com.vclick.media.kurento.KurentoGateway.Pipeline;
import com.vclick.media.kurento.KurentoGateway.Profile;
import com.vclick.media.kurento.KurentoGateway.Recorder;
import com.vclick.media.kurento.KurentoGateway.RecorderEvents;
import com.vclick.media.kurento.KurentoGateway.Releasable;
import com.vclick.media.kurento.KurentoGateway.WebRtc;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One recording of a conference, from start to released recorders.
 *
 * <p>The room's file ({@code <prefix>-room.webm}) comes from a Composite: each publisher's endpoint
 * feeds a hub port of its own, one more port's output (everyone's video in a grid, all audio mixed)
 * feeds a recorder. With {@code recording-parts} each publish endpoint also feeds a recorder of its
 * own ({@code <prefix>-party.<participantId>.webm}; a later endpoint of the same participant, after
 * a rejoin or a republish, {@code …<participantId>.<n>.webm}). Joins, leaves and republishes while
 * recording add a hub port, release one, or feed it from the new endpoint.
 *
 * <p>Stopping follows {@link CallRecording} (KMS ignores {@code stop()} on a recorder that never
 * wrote and then never reports {@code Stopped}): recorders that write are stopped and their {@code
 * Stopped} awaited before release, within the timeout; those whose source never had media wrote
 * nothing and are left out. A participant's part is stopped as it leaves (or republishes), its
 * {@code Stopped} awaited with the rest.
 */
final class ConferenceRecording {

  private static final Logger LOG = Logger.getLogger(ConferenceRecording.class.getName());

  /** One recorder; {@code source}: the endpoint (name) feeding it, null for the room's. */
  private static final class Track {
    final String party;
    final String source;
    final Recorder recorder;
    final Path file;
    final CompletableFuture<Void> writing = new CompletableFuture<>();
    final CompletableFuture<Void> stopped = new CompletableFuture<>();

    /** Stopped already (its participant left or republished): awaited at the end. */
    boolean stopping;

    /** Released without having written: its file is left out. */
    boolean silent;

    Track(String party, String source, Recorder recorder, Path file) {
      this.party = party;
      this.source = source;
      this.recorder = recorder;
      this.file = file;
    }
  }

  /** How a stop ended: {@code failure} null when every file written is complete. */
  record Outcome(Instant stoppedAt, String failure, Path file, List<Path> parts) {}

  private final List<Track> tracks = new ArrayList<>();
  private final Map<String, Element> ports = new HashMap<>();
  private final Map<String, Track> currentParts = new HashMap<>();
  private final Map<String, Integer> partsOf = new HashMap<>();
  private final List<Releasable> released = new ArrayList<>();
  private final AtomicBoolean failed = new AtomicBoolean();
  private final Pipeline pipeline;
  private final String prefix;
  private final KurentoSettings settings;
  private final Consumer<String> onFailure;
  private Mixer composite;
  private Instant startedAt;
  private String earlyFailure;

  private ConferenceRecording(
      Pipeline pipeline, String prefix, KurentoSettings settings, Consumer<String> onFailure) {
    this.pipeline = pipeline;
    this.prefix = prefix;
    this.settings = settings;
    this.onFailure = onFailure;
  }

  /**
   * Wires the composite, the room's recorder and a port (and part) per publisher, and starts them.
   *
   * @param publishers the participants' publish endpoints and what each publishes, in join order
   * @param onFailure told once when a recorder reports an error or a later change cannot be wired
   * @throws Failure Kurento refused; what was created is released
   */
  static ConferenceRecording start(
      Pipeline pipeline,
      String prefix,
      KurentoSettings settings,
      Map<String, Publisher> publishers,
      Clock clock,
      Consumer<String> onFailure) {
    var recording = new ConferenceRecording(pipeline, prefix, settings, onFailure);
    try {
      recording.composite = pipeline.createComposite(prefix + "-composite");
      Element out = recording.composite.createPort(prefix + "-out");
      recording.released.add(out);
      // audio and video: the composite's output always has video (its grid on a black
      // background, also before anyone publishes video), so the WEBM profile gets both kinds
      out.connect(recording.track("room", null, "-room", Profile.WEBM).recorder);
      for (var publisher : publishers.entrySet()) {
        recording.wire(publisher.getKey(), publisher.getValue());
      }
      for (Track track : recording.tracks) {
        track.recorder.record();
      }
    } catch (Failure e) {
      recording.releaseAll();
      throw e;
    }
    recording.startedAt = clock.instant();
    return recording;
  }

  /** A publish endpoint and what its browser publishes. */
  record Publisher(WebRtc endpoint, SdpSummary media) {}

  private void wire(String participantId, Publisher publisher) {
    Element port = composite.createPort(prefix + "-in-" + participantId);
    ports.put(participantId, port);
    publisher.endpoint().connect(port);
    part(participantId, publisher);
  }

  /** A recorder of the participant's endpoint (with {@code recording-parts}); not started yet. */
  private Track part(String participantId, Publisher publisher) {
    if (!settings.recordingParts()) {
      return null;
    }
    Profile profile =
        CallRecording.profile(publisher.media().has("audio"), publisher.media().has("video"));
    if (profile == null) {
      return null; // publishes nothing
    }
    int n = partsOf.merge(participantId, 1, Integer::sum);
    String suffix = "-party." + participantId + (n == 1 ? "" : "." + n);
    Track track = track(participantId, publisher.endpoint().name(), suffix, profile);
    publisher.endpoint().connect(track.recorder);
    currentParts.put(participantId, track);
    return track;
  }

  private Track track(String party, String source, String suffix, Profile profile) {
    String fileName = prefix + suffix + ".webm";
    var holder = new Track[1];
    Recorder recorder =
        pipeline.createRecorder(
            prefix + "-recorder" + suffix,
            settings.recordingUri(fileName),
            profile,
            new RecorderEvents() {
              @Override
              public void recording() {
                holder[0].writing.complete(null);
              }

              @Override
              public void stopped() {
                holder[0].stopped.complete(null);
              }

              @Override
              public void error(String type) {
                String reason = "recorder of " + party + " reported " + type;
                holder[0].stopped.completeExceptionally(new IllegalStateException(reason));
                fail(reason);
              }
            });
    var track = new Track(party, source, recorder, Path.of(settings.recordingsDir(), fileName));
    holder[0] = track;
    tracks.add(track);
    return track;
  }

  /** A participant joined while recording: its port and part. */
  void add(String participantId, Publisher publisher) {
    try {
      wire(participantId, publisher);
      Track part = currentParts.get(participantId);
      if (part != null && part.source.equals(publisher.endpoint().name())) {
        part.recorder.record();
      }
    } catch (Failure e) {
      fail("could not add " + participantId + " to the recording: " + e.getMessage());
    }
  }

  /**
   * A participant's publish endpoint was replaced (a republish): the new one feeds its port (KMS
   * replaces a sink's source on {@code connect}, so the room's file goes on) and a new part; the
   * old part is stopped.
   */
  void follow(String participantId, Publisher publisher) {
    try {
      finishPart(participantId);
      Element port = ports.get(participantId);
      if (port != null) {
        publisher.endpoint().connect(port);
      }
      Track part = part(participantId, publisher);
      if (part != null) {
        part.recorder.record();
      }
    } catch (Failure e) {
      fail("could not follow " + participantId + "'s new endpoint: " + e.getMessage());
    }
  }

  /** A participant left: its port goes (its tile leaves the grid), its part is stopped. */
  void remove(String participantId) {
    finishPart(participantId);
    Element port = ports.remove(participantId);
    if (port != null) {
      releaseQuietly(port);
    }
  }

  /** Stops the participant's current part now if it writes; one that never wrote is released. */
  private void finishPart(String participantId) {
    Track part = currentParts.remove(participantId);
    if (part == null) {
      return;
    }
    try {
      if (part.writing.isDone() || part.recorder.isRecording()) {
        part.recorder.stop();
        part.stopping = true;
      } else {
        part.silent = true;
        releaseQuietly(part.recorder);
      }
    } catch (Failure e) {
      earlyFailure =
          CallRecording.first(earlyFailure, "stopping " + part.party + ": " + e.errorType());
    }
  }

  private void fail(String reason) {
    if (failed.compareAndSet(false, true)) {
      onFailure.accept(reason);
    }
  }

  Instant startedAt() {
    return startedAt;
  }

  /** Whether a failure was already reported (through {@code onFailure}). */
  boolean failed() {
    return failed.get();
  }

  /**
   * Stops every recorder that writes or is about to, waits for their {@code Stopped} events (at
   * most {@code timeout} in all), then releases the recorders, ports and composite. Never throws.
   *
   * @param withMedia the publish endpoints (names) that media reached
   */
  Outcome stop(Duration timeout, Clock clock, Set<String> withMedia) {
    Instant stoppedAt = clock.instant();
    long deadline = System.nanoTime() + timeout.toNanos();
    String failure = earlyFailure;
    List<Track> starting = new ArrayList<>();
    List<Track> stopping = new ArrayList<>();
    for (Track track : tracks) {
      if (track.silent) {
        continue;
      }
      if (track.stopping) {
        stopping.add(track);
        continue;
      }
      boolean fed = track.source == null ? !withMedia.isEmpty() : withMedia.contains(track.source);
      try {
        if (track.writing.isDone() || track.recorder.isRecording()) {
          failure = CallRecording.first(failure, stop(track, stopping));
        } else if (fed) {
          starting.add(track);
        } else {
          track.silent = true;
        }
      } catch (Failure e) {
        failure =
            CallRecording.first(
                failure,
                "reading the state of the recorder of " + track.party + ": " + e.errorType());
      }
    }
    for (Track track : starting) {
      String late =
          CallRecording.awaitStep(
              track.writing,
              deadline,
              "the recorder of "
                  + track.party
                  + " did not start within "
                  + timeout.toMillis()
                  + " ms although media arrived",
              "interrupted while waiting for the recorders to start");
      failure = CallRecording.first(failure, late != null ? late : stop(track, stopping));
    }
    for (Track track : stopping) {
      failure =
          CallRecording.first(
              failure,
              CallRecording.awaitStep(
                  track.stopped,
                  deadline,
                  "the recorder of "
                      + track.party
                      + " did not report Stopped within "
                      + timeout.toMillis()
                      + " ms: its file may be incomplete",
                  "interrupted while waiting for the recorders to stop"));
    }
    releaseAll();
    Track room = tracks.get(0);
    List<Path> parts = tracks.stream().skip(1).filter(t -> !t.silent).map(t -> t.file).toList();
    if (failure == null && room.silent) {
      failure = "no media reached the media server's recorder: nothing was recorded";
    }
    return new Outcome(stoppedAt, failure, room.file, parts);
  }

  private static String stop(Track track, List<Track> stopping) {
    try {
      track.recorder.stop();
      stopping.add(track);
      return null;
    } catch (Failure e) {
      return "stopping the recorder of " + track.party + ": " + e.errorType();
    }
  }

  private void releaseAll() {
    for (Track track : tracks) {
      releaseQuietly(track.recorder);
    }
    for (Element port : ports.values()) {
      releaseQuietly(port);
    }
    ports.clear();
    for (Releasable other : released) {
      releaseQuietly(other);
    }
    if (composite != null) {
      releaseQuietly(composite);
    }
  }

  private static void releaseQuietly(Releasable releasable) {
    try {
      releasable.release();
    } catch (Failure e) {
      LOG.log(Level.FINE, "release failed: {0}", e.getMessage());
    }
  }
}
