package com.vclick.media.kurento;

import com.vclick.media.api.IceCandidate;
import com.vclick.media.kurento.KurentoSettings.Bandwidth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory Kurento behind the {@link KurentoGateway} seam. It behaves like KMS where our logic
 * depends on it (an endpoint negotiates once; candidates need the remote description; an endpoint's
 * local description gains an {@code a=candidate} line per candidate gathered; a recorder reports
 * {@code Stopped} some time after {@code stop()}, but only once it reported {@code Recording}:
 * media must have reached it) and records every operation in {@link #log}.
 */
final class FakeKurento implements KurentoGateway.Connector {

  /** How an endpoint's candidate gathering goes after {@code gatherCandidates()}. */
  enum Gathering {
    /** One host candidate at once on the caller's thread, and done at once. */
    QUICK,
    /**
     * From another thread: a host, a server-reflexive and a relay candidate a little apart (each
     * reported on a thread of its own, as {@code kurento-client} does), then done.
     */
    AFTER_CANDIDATES,
    /** One host candidate at once, and never done (a STUN/TURN server that does not answer). */
    NEVER
  }

  /** When a recorder reports {@code Stopped} after {@code stop()}. */
  enum StopBehaviour {
    /** From another thread, a little later (as KMS does). */
    LATER,
    /** Never (a stuck KMS): the adapter must time out. */
    NEVER
  }

  final List<String> log = Collections.synchronizedList(new ArrayList<>());
  final List<Connection> connections = new ArrayList<>();
  volatile boolean unreachable;
  volatile StopBehaviour stopBehaviour = StopBehaviour.LATER;
  volatile Gathering gathering = Gathering.QUICK;
  volatile String failOn;

  /**
   * Every request times out although the connection reports nothing (kurento-client stuck in its
   * reconnection).
   */
  volatile boolean silent;

  /** How a {@link #silent} request fails (kurento-client's exception). */
  volatile String silentType = "JsonRpcException";

  /**
   * Recorders (by name suffix) whose source sends nothing: like KMS, such a recorder stays in
   * {@code STOP} after {@code record()} (no {@code Recording}) and ignores {@code stop()} (no
   * {@code Stopped}).
   */
  final Set<String> noMediaFor = ConcurrentHashMap.newKeySet();

  /**
   * Recorders (by name suffix) whose media comes late: not writing yet when first asked for their
   * state, they report {@code Recording} a little later (the first keyframe).
   */
  final Set<String> lateMediaFor = ConcurrentHashMap.newKeySet();

  private final AtomicInteger ids = new AtomicInteger();

  @Override
  public synchronized KurentoGateway connect(KurentoGateway.ConnectionEvents events) {
    log.add("connect");
    if (unreachable) {
      throw new KurentoGateway.Failure("connect failed: unreachable", true, "JsonRpcException");
    }
    var connection = new Connection(events);
    connections.add(connection);
    return connection;
  }

  synchronized Connection last() {
    return connections.get(connections.size() - 1);
  }

  /** Pipelines created and not released, over every connection. */
  synchronized int livePipelines() {
    return connections.stream().mapToInt(c -> c.pipelines.size()).sum();
  }

  synchronized Pipeline pipeline(String callId) {
    return named("vclick-call-" + callId);
  }

  /** A conference's live pipeline. */
  synchronized Pipeline conference(String conferenceId) {
    return named("vclick-conf-" + conferenceId);
  }

  private Pipeline named(String name) {
    for (Connection connection : connections) {
      Pipeline pipeline = connection.pipelines.get(name);
      if (pipeline != null) {
        return pipeline;
      }
    }
    throw new AssertionError("no live pipeline " + name);
  }

  private void check(String operation) {
    log.add(operation);
    if (silent) {
      throw new KurentoGateway.Failure(
          operation + " failed: Kurento unreachable (" + silentType + ")", true, silentType);
    }
    String fail = failOn;
    if (fail != null && operation.endsWith(fail)) {
      throw new KurentoGateway.Failure(operation + " refused by Kurento: TEST", false, "TEST");
    }
  }

  /** A minimal SDP with an audio and a video section; {@code marker} names who made it. */
  static String sdp(String marker) {
    return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns="
        + marker
        + "\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n"
        + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\n";
  }

  final class Connection implements KurentoGateway {
    final KurentoGateway.ConnectionEvents events;
    final Map<String, FakeKurento.Pipeline> pipelines = new LinkedHashMap<>();
    volatile boolean closed;

    Connection(KurentoGateway.ConnectionEvents events) {
      this.events = events;
    }

    @Override
    public FakeKurento.Pipeline createPipeline(String name) {
      check("createPipeline " + name);
      var pipeline = new FakeKurento.Pipeline(this, name);
      synchronized (FakeKurento.this) {
        pipelines.put(name, pipeline);
      }
      return pipeline;
    }

    @Override
    public String serverVersion() {
      check("serverVersion");
      return "7.2.0-fake";
    }

    @Override
    public boolean isClosed() {
      return closed;
    }

    @Override
    public void close() {
      log.add("close connection");
      closed = true;
    }
  }

  final class Pipeline implements KurentoGateway.Pipeline {
    final Connection connection;
    final String name;
    final String id = "pipeline-" + ids.incrementAndGet();
    final Map<String, Object> elements = new LinkedHashMap<>();
    final List<String> links = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger releases = new AtomicInteger();

    Pipeline(Connection connection, String name) {
      this.connection = connection;
      this.name = name;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public WebRtc createWebRtcEndpoint(
        String name, Bandwidth bandwidth, boolean ecdsa, KurentoGateway.WebRtcEvents events) {
      check("createWebRtcEndpoint " + name);
      var endpoint = new WebRtc(this, name, bandwidth, events);
      endpoint.ecdsa = ecdsa;
      elements.put(name, endpoint);
      return endpoint;
    }

    @Override
    public Recorder createRecorder(
        String name,
        String uri,
        KurentoGateway.Profile profile,
        KurentoGateway.RecorderEvents events) {
      check("createRecorder " + name);
      var recorder = new Recorder(this, name, uri, profile, events);
      elements.put(name, recorder);
      return recorder;
    }

    @Override
    public Mixer createComposite(String name) {
      check("createComposite " + name);
      var mixer = new Mixer(this, name);
      elements.put(name, mixer);
      return mixer;
    }

    WebRtc endpoint(String name) {
      return (WebRtc) elements.get(name);
    }

    Recorder recorder(String name) {
      return (Recorder) elements.get(name);
    }

    List<Recorder> recorders() {
      return elements.values().stream()
          .filter(Recorder.class::isInstance)
          .map(Recorder.class::cast)
          .toList();
    }

    @Override
    public void release() {
      check("release pipeline " + name);
      releases.incrementAndGet();
      synchronized (FakeKurento.this) {
        connection.pipelines.remove(name, this);
      }
    }
  }

  class Element implements KurentoGateway.Element {
    final Pipeline pipeline;
    final String name;
    volatile boolean released;

    Element(Pipeline pipeline, String name) {
      this.pipeline = pipeline;
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void connect(KurentoGateway.Element sink) {
      check("connect " + name + " -> " + sink.name());
      pipeline.links.add(name + " -> " + sink.name());
    }

    @Override
    public void release() {
      check("release " + name);
      released = true;
    }
  }

  final class WebRtc extends Element implements KurentoGateway.WebRtc {
    final Bandwidth bandwidth;
    final KurentoGateway.WebRtcEvents events;

    /** Remote candidates added (the leg's). */
    final List<IceCandidate> candidates = Collections.synchronizedList(new ArrayList<>());

    /** Local candidates gathered (Kurento's, toward the leg). */
    final List<IceCandidate> gathered = Collections.synchronizedList(new ArrayList<>());

    final CountDownLatch gatheringDone = new CountDownLatch(1);
    volatile boolean ecdsa;
    private volatile String localSdp;
    private boolean negotiated;
    private boolean offered;
    private boolean remoteDescription;

    WebRtc(
        Pipeline pipeline, String name, Bandwidth bandwidth, KurentoGateway.WebRtcEvents events) {
      super(pipeline, name);
      this.bandwidth = bandwidth;
      this.events = events;
    }

    @Override
    public String processOffer(String sdp) {
      check(name + ".processOffer " + marker(sdp));
      alreadyNegotiated();
      negotiated = true;
      remoteDescription = true;
      localSdp = sdp("kms-answer-for-" + name);
      return localSdp;
    }

    @Override
    public String processAnswer(String sdp) {
      check(name + ".processAnswer " + marker(sdp));
      if (!offered || negotiated) {
        throw new KurentoGateway.Failure("processAnswer refused: no offer", false, "SDP_PARSE");
      }
      negotiated = true;
      remoteDescription = true;
      return sdp;
    }

    @Override
    public String generateOffer() {
      check(name + ".generateOffer");
      alreadyNegotiated();
      offered = true;
      localSdp = sdp("kms-offer-for-" + name);
      return localSdp;
    }

    private void alreadyNegotiated() {
      if (negotiated || offered) {
        throw new KurentoGateway.Failure(
            "refused by Kurento: SDP_END_POINT_ALREADY_NEGOTIATED",
            false,
            "SDP_END_POINT_ALREADY_NEGOTIATED");
      }
    }

    /** Gathering as {@link FakeKurento#gathering} says. */
    @Override
    public void gatherCandidates() {
      check(name + ".gatherCandidates");
      switch (gathering) {
        case QUICK -> {
          found(host());
          gatheringDone.countDown();
        }
        case NEVER -> found(host());
        case AFTER_CANDIDATES ->
            onItsOwnThread(
                () -> {
                  pause();
                  foundElsewhere(host());
                  pause();
                  foundElsewhere(candidate("2 1 udp 1686052607 198.51.100.7 40000 typ srflx"));
                  pause();
                  foundElsewhere(candidate("3 1 udp 41885439 203.0.113.5 50000 typ relay"));
                  pause();
                  gatheringDone.countDown();
                });
      }
    }

    private IceCandidate host() {
      return candidate("1 1 udp 2122 10.0.0.1 4000 typ host");
    }

    private IceCandidate candidate(String text) {
      return new IceCandidate("candidate:" + text + " " + name, "0", 0);
    }

    /**
     * KMS found a candidate: it is in the local description from now on, and reported on the
     * caller's thread.
     */
    void found(IceCandidate candidate) {
      gathered.add(candidate);
      events.candidateFound(candidate);
    }

    /**
     * As {@link #found}, but the event is delivered on a thread of its own (kurento-client hands
     * each event to a cached thread pool: a listener waiting for the call's lock blocks no other).
     */
    private void foundElsewhere(IceCandidate candidate) {
      gathered.add(candidate);
      onItsOwnThread(() -> events.candidateFound(candidate));
    }

    @Override
    public boolean awaitGatheringDone(Duration timeout) {
      try {
        return gatheringDone.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    /** The last local SDP with an {@code a=candidate} line per candidate gathered so far. */
    @Override
    public String localSessionDescriptor() {
      check(name + ".getLocalSessionDescriptor");
      String sdp = localSdp;
      if (sdp == null) {
        throw new KurentoGateway.Failure(
            "getLocalSessionDescriptor refused by Kurento: no local SDP", false, "TEST");
      }
      List<IceCandidate> found;
      synchronized (gathered) {
        found = List.copyOf(gathered);
      }
      var out = new StringBuilder();
      int section = -1;
      for (String line : sdp.split("\r\n")) {
        if (line.startsWith("m=")) {
          appendCandidates(out, found, section);
          section++;
        }
        out.append(line).append("\r\n");
      }
      appendCandidates(out, found, section);
      return out.toString();
    }

    private static void appendCandidates(StringBuilder out, List<IceCandidate> found, int section) {
      for (IceCandidate candidate : found) {
        if (Objects.equals(candidate.sdpMLineIndex(), section)) {
          out.append("a=").append(candidate.candidate()).append("\r\n");
        }
      }
    }

    @Override
    public void addIceCandidate(IceCandidate candidate) {
      check(name + ".addIceCandidate");
      if (!remoteDescription) {
        throw new KurentoGateway.Failure("addIceCandidate before the SDP", false, "TEST");
      }
      candidates.add(candidate);
    }
  }

  final class Recorder extends Element implements KurentoGateway.Recorder {
    final String uri;
    final KurentoGateway.Profile profile;
    final KurentoGateway.RecorderEvents events;

    Recorder(
        Pipeline pipeline,
        String name,
        String uri,
        KurentoGateway.Profile profile,
        KurentoGateway.RecorderEvents events) {
      super(pipeline, name);
      this.uri = uri;
      this.profile = profile;
      this.events = events;
    }

    /** Whether it asked to record (the adapter's wish, whatever KMS's state). */
    volatile boolean recording;

    /** KMS's state: {@code START} once media arrived after {@code record()}. */
    volatile boolean writing;

    @Override
    public void record() {
      check(name + ".record");
      recording = true;
      if (noMediaFor.stream().noneMatch(name::endsWith)
          && lateMediaFor.stream().noneMatch(name::endsWith)) {
        writing = true;
        events.recording();
      }
    }

    @Override
    public boolean isRecording() {
      check(name + ".getState");
      if (!writing && lateMediaFor.stream().anyMatch(name::endsWith)) {
        CompletableFuture.runAsync(
            () -> {
              writing = true;
              log.add(name + ".recording");
              events.recording();
            },
            CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
      }
      return writing;
    }

    @Override
    public void stop() {
      check(name + ".stop");
      recording = false;
      if (!writing) {
        log.add(name + ": Already in state stop");
        return;
      }
      writing = false;
      if (stopBehaviour == StopBehaviour.LATER) {
        CompletableFuture.runAsync(
            () -> {
              log.add(name + ".stopped");
              events.stopped();
            },
            CompletableFuture.delayedExecutor(30, TimeUnit.MILLISECONDS));
      }
    }
  }

  final class Mixer extends Element implements KurentoGateway.Mixer {
    Mixer(Pipeline pipeline, String name) {
      super(pipeline, name);
    }

    @Override
    public KurentoGateway.Element createPort(String name) {
      check("createPort " + name);
      var port = new Element(pipeline, name);
      pipeline.elements.put(name, port);
      return port;
    }
  }

  private static void onItsOwnThread(Runnable task) {
    var thread = new Thread(task, "fake-kurento-event");
    thread.setDaemon(true);
    thread.start();
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String marker(String sdp) {
    for (String line : sdp.split("\r\n")) {
      if (line.startsWith("s=")) {
        return line.substring(2);
      }
    }
    return "?";
  }
}
