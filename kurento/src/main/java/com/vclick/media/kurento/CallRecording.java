package com.vclick.media.kurento;

import com.vclick.media.api.Leg;
import com.vclick.media.kurento.KurentoGateway.Element;
import com.vclick.media.kurento.KurentoGateway.Failure;
import com.vclick.media.kurento.KurentoGateway.Mixer;
import com.vclick.media.kurento.KurentoGateway.Pipeline;
import com.vclick.media.kurento.KurentoGateway.Profile;
import com.vclick.media.kurento.KurentoGateway.Recorder;
import com.vclick.media.kurento.KurentoGateway.RecorderEvents;
import com.vclick.media.kurento.KurentoGateway.Releasable;
import com.vclick.media.kurento.KurentoGateway.WebRtc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One recording of a call, from start to released recorders.
 *
 * <p>The playable file of both parties comes from a Composite: each leg's endpoint feeds a hub
 * port, a third port's output (both videos in a grid, both voices mixed) feeds a recorder ({@code
 * <callId>-both.webm}). With {@code recording-parts} each endpoint also feeds a recorder of its own
 * ({@code <callId>-enterprise.webm}, {@code <callId>-far-end.webm}): what each party sent, not
 * transcoded when it is VP8/Opus. Every connection goes from a source's output to a recorder
 * ({@code source.connect(recorder)}); the other direction records nothing.
 *
 * <p>A recorder writes only once media reaches it ({@code Recording}); until then it is in
 * Kurento's {@code STOP} state, where KMS ignores a {@code stop()} ("Already in state stop") and
 * never reports {@code Stopped}; it starts a little after media reaches its source (the first
 * keyframe). Stopping therefore stops the recorders that write (they reported {@code Recording}, or
 * their state says so now) and those whose source had media once they report {@code Recording}, and
 * waits for each one's {@code Stopped} event (all media written) before releasing it; a recorder
 * that does not report within the timeout is released anyway and the recording is reported as
 * failed. A recorder whose source never had media wrote nothing: it is not stopped, and its file is
 * left out of the outcome.
 */
final class CallRecording {

  private static final Logger LOG = Logger.getLogger(CallRecording.class.getName());

  /**
   * One recorder and what it writes: {@code source} is the endpoint feeding it, null for the
   * composite's ({@code party} {@code both}).
   */
  private record Track(
      String party,
      String source,
      Recorder recorder,
      Path file,
      CompletableFuture<Void> writing,
      CompletableFuture<Void> stopped) {}

  /**
   * How a stop ended: {@code failure} is null when every file written is complete; {@code silent}
   * lists the files of the recorders that never got media (nothing written).
   */
  record Outcome(Instant stoppedAt, String failure, List<Path> silent) {}

  private static final String BOTH = "both";

  /** Written under the call's lock, read by the file check too. */
  private final List<Track> tracks = new CopyOnWriteArrayList<>();

  /** The recorders' files as first seen, with their file keys (guarded by itself). */
  private final Map<Path, Object> seen = new HashMap<>();

  private final List<Releasable> mixing = new ArrayList<>();
  private final Map<Leg, Element> inputs = new EnumMap<>(Leg.class);
  private final AtomicBoolean failed = new AtomicBoolean();
  private final Pipeline pipeline;
  private final String filePrefix;
  private final KurentoSettings settings;
  private final Consumer<String> onFailure;
  private Instant startedAt;

  private CallRecording(
      Pipeline pipeline, String filePrefix, KurentoSettings settings, Consumer<String> onFailure) {
    this.pipeline = pipeline;
    this.filePrefix = filePrefix;
    this.settings = settings;
    this.onFailure = onFailure;
  }

  /**
   * Wires and starts the recorders of both legs.
   *
   * @param media what each leg's peer negotiated (chooses the profile: an audio+video profile on an
   *     audio-only stream writes nothing)
   * @param onFailure told once when a recorder reports an error while recording
   * @throws Failure when Kurento refuses; what was created is released
   */
  static CallRecording start(
      Pipeline pipeline,
      String filePrefix,
      KurentoSettings settings,
      Map<Leg, WebRtc> endpoints,
      Map<Leg, SdpSummary> media,
      Clock clock,
      Consumer<String> onFailure) {
    var recording = new CallRecording(pipeline, filePrefix, settings, onFailure);
    try {
      recording.wire(endpoints, media);
      for (Track track : recording.tracks) {
        track.recorder().record();
      }
    } catch (Failure e) {
      recording.releaseAll();
      throw e;
    }
    recording.startedAt = clock.instant();
    return recording;
  }

  private void wire(Map<Leg, WebRtc> endpoints, Map<Leg, SdpSummary> media) {
    boolean anyVideo = media.values().stream().anyMatch(m -> m.has("video"));
    boolean anyAudio = media.values().stream().anyMatch(m -> m.has("audio"));
    Mixer composite = pipeline.createComposite(filePrefix + "-composite");
    mixing.add(composite);
    for (Leg leg : Leg.values()) {
      Element port = composite.createPort(filePrefix + "-in-" + CallLeg.party(leg));
      mixing.add(port);
      inputs.put(leg, port);
      endpoints.get(leg).connect(port);
    }
    Element out = composite.createPort(filePrefix + "-out");
    mixing.add(out);
    out.connect(track(BOTH, null, "", profile(anyAudio, anyVideo)));
    parts(endpoints, media, "");
  }

  /**
   * A recorder per leg's endpoint (with {@code recording-parts}), its file named with {@code
   * suffix}.
   */
  private void parts(Map<Leg, WebRtc> endpoints, Map<Leg, SdpSummary> media, String suffix) {
    if (!settings.recordingParts()) {
      return;
    }
    for (Leg leg : Leg.values()) {
      SdpSummary sent = media.get(leg);
      Profile profile = profile(sent.has("audio"), sent.has("video"));
      WebRtc endpoint = endpoints.get(leg);
      if (profile != null) {
        endpoint.connect(track(CallLeg.party(leg), endpoint.name(), suffix, profile));
      }
    }
  }

  /**
   * The legs' endpoints were replaced (a renegotiation): the new ones feed the composite instead of
   * the old ones (the file of both parties goes on) and, with {@code recording-parts}, new
   * recorders of their own ({@code <callId>-<party>-<generation>.webm}, profiles per the new SDPs);
   * the old parts keep what they wrote and are stopped with the rest. A failure is reported (once)
   * and marks the recording as failed.
   */
  void follow(Map<Leg, WebRtc> endpoints, Map<Leg, SdpSummary> media, int generation) {
    try {
      for (Leg leg : Leg.values()) {
        endpoints.get(leg).connect(inputs.get(leg)); // replaces the old endpoint as its source
      }
      int before = tracks.size();
      parts(endpoints, media, "-" + generation);
      for (Track track : tracks.subList(before, tracks.size())) {
        track.recorder().record();
      }
    } catch (Failure e) {
      if (failed.compareAndSet(false, true)) {
        onFailure.accept("could not follow the renegotiation: " + e.getMessage());
      }
    }
  }

  private Recorder track(String party, String source, String suffix, Profile profile) {
    String fileName = filePrefix + "-" + party + suffix + ".webm";
    var writing = new CompletableFuture<Void>();
    var stopped = new CompletableFuture<Void>();
    Recorder recorder =
        pipeline.createRecorder(
            filePrefix + "-recorder-" + party + suffix,
            settings.recordingUri(fileName),
            profile == null ? Profile.WEBM : profile,
            new RecorderEvents() {
              @Override
              public void recording() {
                writing.complete(null);
              }

              @Override
              public void stopped() {
                stopped.complete(null);
              }

              @Override
              public void error(String type) {
                String reason = "recorder of " + party + " reported " + type;
                stopped.completeExceptionally(new IllegalStateException(reason));
                if (failed.compareAndSet(false, true)) {
                  onFailure.accept(reason);
                }
              }
            });
    tracks.add(
        new Track(
            party,
            source,
            recorder,
            Path.of(settings.recordingsDir(), fileName),
            writing,
            stopped));
    return recorder;
  }

  /**
   * Checks the files of the recorders that write. KMS stays up while its disk fails and reports
   * nothing when a recorder's folder was removed, renamed or unmounted (it writes on into a file
   * nobody will find): a file seen once that is gone from its path, or another file there now,
   * fails the recording, reported once as a recorder's error is. Only files seen once count (KMS
   * creates one a little after its recorder starts; where this server does not share KMS's folder
   * it sees none and checks nothing). Quick; never talks to KMS.
   *
   * @return how many files it has seen so far (logs and tests)
   */
  int checkFiles() {
    for (Track track : tracks) {
      if (failed.get()) {
        break;
      }
      if (!track.writing().isDone() || track.stopped().isDone()) {
        continue;
      }
      Optional<String> problem = check(track.file());
      if (problem.isPresent() && failed.compareAndSet(false, true)) {
        LOG.log(Level.WARNING, "{0}: {1}", new Object[] {filePrefix, problem.get()});
        onFailure.accept(problem.get());
      }
    }
    synchronized (seen) {
      return seen.size();
    }
  }

  private Optional<String> check(Path file) {
    synchronized (seen) {
      Object key;
      try {
        key =
            Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .fileKey();
      } catch (NoSuchFileException e) {
        return seen.containsKey(file)
            ? Optional.of(
                "the recording file "
                    + file.getFileName()
                    + " is gone from the recordings folder (removed, moved or unmounted while"
                    + " KMS wrote it)")
            : Optional.empty();
      } catch (IOException e) {
        return Optional.empty(); // unreadable here: nothing known
      }
      if (!seen.containsKey(file)) {
        seen.put(file, key);
        return Optional.empty();
      }
      Object first = seen.get(file);
      return first != null && !first.equals(key)
          ? Optional.of(
              "the recording file "
                  + file.getFileName()
                  + " was replaced in the recordings folder (the folder went away under KMS)")
          : Optional.empty();
    }
  }

  static Profile profile(boolean audio, boolean video) {
    if (audio && video) {
      return Profile.WEBM;
    }
    if (audio) {
      return Profile.WEBM_AUDIO_ONLY;
    }
    return video ? Profile.WEBM_VIDEO_ONLY : null;
  }

  Instant startedAt() {
    return startedAt;
  }

  /** The file of both parties. */
  Path file() {
    return tracks.get(0).file();
  }

  /**
   * The per-party files in the order they were started (empty without {@code recording-parts}), but
   * the {@code silent} ones.
   */
  List<Path> parts(List<Path> silent) {
    return tracks.stream().skip(1).map(Track::file).filter(file -> !silent.contains(file)).toList();
  }

  /** Whether a recorder already reported an error (and {@code onFailure} was told). */
  boolean failed() {
    return failed.get();
  }

  /**
   * Stops every recorder that writes or is about to, waits for their {@code Stopped} events (at
   * most {@code timeout} in all), then releases the recorders and the composite. Never throws.
   *
   * @param withMedia the endpoints (names) that media reached (the recorders they feed start if
   *     they have not yet; the composite's if any endpoint had media)
   */
  Outcome stop(Duration timeout, Clock clock, Set<String> withMedia) {
    Instant stoppedAt = clock.instant();
    long deadline = System.nanoTime() + timeout.toNanos();
    String failure = null;
    List<Track> starting = new ArrayList<>();
    List<Track> stopping = new ArrayList<>();
    List<Path> silent = new ArrayList<>();
    for (Track track : tracks) {
      boolean fed =
          track.source() == null ? !withMedia.isEmpty() : withMedia.contains(track.source());
      try {
        // the Recording event may still be on its way: the state decides then
        if (track.writing().isDone() || track.recorder().isRecording()) {
          failure = first(failure, stop(track, stopping));
        } else if (fed) {
          starting.add(track); // media came: it starts at the first keyframe
        } else {
          silent.add(track.file()); // never got media: KMS would ignore a stop
        }
      } catch (Failure e) {
        failure =
            first(
                failure,
                "reading the state of the recorder of " + track.party() + ": " + e.errorType());
      }
    }
    for (Track track : starting) {
      String late =
          awaitStep(
              track.writing(),
              deadline,
              "the recorder of "
                  + track.party()
                  + " did not start within "
                  + timeout.toMillis()
                  + " ms although media arrived",
              "interrupted while waiting for the recorders to start");
      failure = first(failure, late != null ? late : stop(track, stopping));
    }
    if (!silent.isEmpty()) {
      LOG.info(() -> "no media reached the recorder(s) of " + silent + ": nothing written");
    }
    for (Track track : stopping) {
      failure =
          first(
              failure,
              awaitStep(
                  track.stopped(),
                  deadline,
                  "the recorder of "
                      + track.party()
                      + " did not report Stopped within "
                      + timeout.toMillis()
                      + " ms: its file may be incomplete",
                  "interrupted while waiting for the recorders to stop"));
    }
    releaseAll();
    return new Outcome(stoppedAt, failure, List.copyOf(silent));
  }

  /** Stops a writing recorder: null, or what went wrong. */
  private static String stop(Track track, List<Track> stopping) {
    try {
      track.recorder().stop();
      stopping.add(track);
      return null;
    } catch (Failure e) {
      return "stopping the recorder of " + track.party() + ": " + e.errorType();
    }
  }

  /**
   * Waits for a recorder's {@code step} until {@code deadline} (System.nanoTime); null once it
   * completed, else why not: {@code late} past the deadline, the step's own failure, or {@code
   * interrupted}.
   */
  static String awaitStep(
      CompletableFuture<Void> step, long deadline, String late, String interrupted) {
    try {
      step.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return null;
    } catch (TimeoutException e) {
      return late;
    } catch (ExecutionException e) {
      return e.getCause().getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return interrupted;
    }
  }

  static String first(String earlier, String later) {
    return earlier != null ? earlier : later;
  }

  private void releaseAll() {
    for (Track track : tracks) {
      releaseQuietly(track.recorder());
    }
    for (int i = mixing.size() - 1; i >= 0; i--) {
      releaseQuietly(mixing.get(i));
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
