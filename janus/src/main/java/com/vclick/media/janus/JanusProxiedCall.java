package com.vclick.media.janus;

import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.Leg;
import com.vclick.media.api.MediaEvent;
import com.vclick.media.api.MediaEventListener;
import com.vclick.media.api.MediaServerException;
import com.vclick.media.api.ProxiedCall;
import com.vclick.media.api.ReleaseReason;
import com.vclick.media.api.adapter.SerialExecutor;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@link ProxiedCall} on the Janus VideoCall plugin, which is itself the man in the middle: one
 * handle per leg ({@link VideoCallHandles}: the requests on them), registered as {@code <callId>-e}
 * (enterprise) and {@code <callId>-f} (far end). This class keeps the call's state: whose offer
 * waits, which leg's description reached Janus (its candidates wait until then), what was reported.
 *
 * <ul>
 *   <li>First exchange: the offering leg's handle {@code call}s the other's username with the
 *       offer; the other handle's {@code incomingcall} event carries Janus' offer for that leg.
 *       That leg's answer goes in with {@code accept}; the offering handle's {@code accepted} event
 *       carries Janus' answer.
 *   <li>Later exchanges (renegotiation, ICE restart), offered by either leg: {@code set} with the
 *       JSEP; the other handle's {@code update} event carries the result, both ways.
 *   <li>Recording ({@link JanusCallRecording}): {@code set} with {@code record:true} on both
 *       handles (each records its own party), {@code record:false} to stop, then conversion.
 * </ul>
 *
 * <p>Locking: {@code exchange} serialises the methods that talk to Janus and wait for its events;
 * {@code state} guards the fields and is never held while talking to Janus; {@code trickle} keeps
 * each leg's candidates in order. The session's poll thread only takes {@code state}.
 */
final class JanusProxiedCall implements ProxiedCall {

  private static final Logger LOG = Logger.getLogger(JanusProxiedCall.class.getName());

  /** Candidates kept per leg until its description reached Janus. */
  static final int MAX_PENDING_CANDIDATES = 100;

  private final String callId;
  private final JanusMediaServer server;
  private final JanusSession session;
  private final MediaEventListener listener;
  private final SerialExecutor events;
  private final VideoCallHandles handles;

  private final ReentrantLock exchange = new ReentrantLock();
  private final ReentrantLock trickle = new ReentrantLock();
  private final Object state = new Object();

  // Guarded by state.
  private boolean established;
  private Leg offering;
  private final EnumSet<Leg> described = EnumSet.noneOf(Leg.class);
  private final EnumMap<Leg, List<IceCandidate>> pending = new EnumMap<>(Leg.class);
  private final EnumSet<Leg> flowing = EnumSet.noneOf(Leg.class);
  private final EnumSet<Leg> failed = EnumSet.noneOf(Leg.class);

  /** The kinds of media of the last completed exchange ({@link JanusCallRecording#kindsOf}). */
  private Set<String> negotiatedKinds = Set.of();

  private volatile boolean closing;
  private final JanusCallRecording recording;

  private JanusProxiedCall(
      String callId,
      JanusMediaServer server,
      JanusSession session,
      MediaEventListener listener,
      boolean recorded) {
    this.callId = callId;
    this.server = server;
    this.session = session;
    this.listener = listener;
    this.events = new SerialExecutor(server.deliveryPool());
    this.handles = new VideoCallHandles(session, callId);
    this.recording = new JanusCallRecording(callId, server, session, handles, this::emit, recorded);
    for (Leg leg : Leg.values()) {
      pending.put(leg, new ArrayList<>());
    }
  }

  /** Attaches and registers both handles; on failure releases whatever was attached and throws. */
  static JanusProxiedCall open(
      JanusMediaServer server,
      JanusSession session,
      String callId,
      boolean recorded,
      MediaEventListener listener)
      throws JanusException {
    var call = new JanusProxiedCall(callId, server, session, listener, recorded);
    try {
      call.handles.attachAndRegister(call::onJanusEvent, call.deadline());
      return call;
    } catch (JanusException | RuntimeException e) {
      call.closing = true;
      call.handles.detachAll();
      throw e;
    }
  }

  @Override
  public String callId() {
    return callId;
  }

  JanusSession session() {
    return session;
  }

  /** The Janus handle of {@code leg} (tests and leak checks). */
  long handle(Leg leg) {
    return handles.handle(leg);
  }

  /** The VideoCall username of {@code leg} (tests and leak checks). */
  String username(Leg leg) {
    return handles.username(leg);
  }

  @Override
  public String offer(Leg from, String sdp) throws MediaServerException {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(sdp, "sdp");
    long deadline = deadline();
    lockExchange(deadline);
    try {
      boolean first;
      synchronized (state) {
        requireOpen();
        if (offering != null) {
          throw new IllegalStateException(
              "the offer of " + offering + " still waits for its answer");
        }
        first = !established;
        if (first) {
          failed.clear();
          flowing.clear();
          described.clear();
        }
      }
      Leg to = from.other();
      JsonObject body =
          first
              ? handles
                  .object()
                  .add("request", "call")
                  .add("username", handles.username(to))
                  .build()
              : handles.object().add("request", "set").build();
      String result =
          handles.exchange(
              from,
              first ? "call" : "set (offer)",
              body,
              handles.jsep("offer", sdp),
              to,
              first ? "incomingcall" : "update",
              "offer",
              deadline);
      synchronized (state) {
        offering = from;
      }
      described(from);
      return result;
    } finally {
      exchange.unlock();
    }
  }

  @Override
  public String answer(Leg from, String sdp) throws MediaServerException {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(sdp, "sdp");
    long deadline = deadline();
    lockExchange(deadline);
    try {
      boolean first;
      synchronized (state) {
        requireOpen();
        if (offering != from.other()) {
          throw new IllegalStateException("no offer waits for the answer of " + from);
        }
        first = !established;
      }
      JsonObject body = handles.object().add("request", first ? "accept" : "set").build();
      String result =
          handles.exchange(
              from,
              first ? "accept" : "set (answer)",
              body,
              handles.jsep("answer", sdp),
              from.other(),
              first ? "accepted" : "update",
              "answer",
              deadline);
      synchronized (state) {
        offering = null;
        established = true;
      }
      described(from);
      Set<String> kinds = JanusCallRecording.kindsOf(sdp);
      synchronized (state) {
        negotiatedKinds = kinds;
      }
      try {
        if (recording.due()) {
          recording.start(kinds, deadline());
        } else if (!first) {
          recording.renegotiated(kinds, deadline());
        }
      } catch (MediaServerException e) {
        emit(new MediaEvent.RecordingFailed(callId, e.getMessage()));
      }
      return result;
    } finally {
      exchange.unlock();
    }
  }

  @Override
  public void addCandidate(Leg from, IceCandidate candidate) throws MediaServerException {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(candidate, "candidate");
    trickle.lock();
    try {
      synchronized (state) {
        if (closing) {
          return;
        }
        if (!described.contains(from)) {
          List<IceCandidate> queue = pending.get(from);
          if (queue.size() >= MAX_PENDING_CANDIDATES) {
            LOG.log(
                Level.WARNING,
                "call {0}: too many early candidates of {1}; dropped one",
                new Object[] {callId, from});
            return;
          }
          queue.add(candidate);
          return;
        }
      }
      handles.trickle(from, candidate);
    } finally {
      trickle.unlock();
    }
  }

  @Override
  public void startRecording() throws MediaServerException {
    long deadline = deadline();
    lockExchange(deadline);
    try {
      synchronized (state) {
        requireOpen();
        if (recording.running()) {
          return;
        }
        if (!established) {
          recording.want(); // VideoCall records only once both legs negotiated
          return;
        }
      }
      Set<String> kinds;
      synchronized (state) {
        kinds = negotiatedKinds;
      }
      recording.start(kinds, deadline);
    } finally {
      exchange.unlock();
    }
  }

  @Override
  public void stopRecording() throws MediaServerException {
    long deadline = deadline();
    lockExchange(deadline);
    try {
      if (closing) {
        return; // close() stopped it
      }
      recording.stop(deadline);
    } finally {
      exchange.unlock();
    }
  }

  /**
   * Checks the recording's files on disk (the adapter's scheduler thread: quick). When they show
   * the recording broke (its folder gone, its files no longer growing: {@link RecordingWatch}), the
   * recording ends and {@code RecordingFailed} is reported, on the delivery pool: stopping it talks
   * to Janus.
   */
  void watchRecording(Instant now) {
    if (closing) {
      return;
    }
    Set<Leg> flowingNow;
    synchronized (state) {
      flowingNow = flowing.isEmpty() ? EnumSet.noneOf(Leg.class) : EnumSet.copyOf(flowing);
    }
    recording
        .check(flowingNow, now)
        .ifPresent(reason -> server.deliveryPool().execute(() -> recordingBroke(reason)));
  }

  private void recordingBroke(String reason) {
    long deadline = deadline();
    boolean locked = tryLockExchange(deadline);
    try {
      if (!closing) {
        recording.failed(reason, deadline);
      }
    } finally {
      if (locked) {
        exchange.unlock();
      }
    }
  }

  @Override
  public void close() {
    end(ReleaseReason.CLOSED);
  }

  /**
   * Ends the call with Janus (presumably) there: {@code close()}, or the adapter's shutdown. When
   * Janus turns out to have forgotten the call (it restarted or went away before the session loss
   * was noticed), the call was lost with it, not closed: released as {@code media-server-lost}, so
   * the application treats what was recorded as interrupted.
   */
  void end(ReleaseReason reason) {
    List<RecordingSegment> segments;
    synchronized (state) {
      if (closing) {
        return;
      }
      closing = true;
      segments = recording.take(false);
    }
    boolean locked = false;
    ReleaseReason outcome = reason;
    try {
      long deadline = deadline();
      locked = tryLockExchange(deadline);
      if (!segments.isEmpty()) {
        recording.stopInJanus(deadline);
      }
      if (handles.hangUp(deadline) && reason == ReleaseReason.CLOSED) {
        outcome = ReleaseReason.MEDIA_SERVER_LOST;
      }
      handles.detachAll();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "call " + callId + ": releasing on Janus failed", e);
    } finally {
      if (locked) {
        exchange.unlock();
      }
      released(segments, outcome);
    }
  }

  /** Janus forgot the session (restart, expiry): both legs are gone, release what is left. */
  void sessionLost() {
    List<RecordingSegment> segments;
    List<Leg> newlyFailed = new ArrayList<>();
    synchronized (state) {
      if (closing) {
        return;
      }
      closing = true;
      segments = recording.take(false);
      for (Leg leg : Leg.values()) {
        if (failed.add(leg)) {
          newlyFailed.add(leg);
        }
      }
    }
    for (Leg leg : newlyFailed) {
      emit(new MediaEvent.LegFailed(callId, leg, "Janus session lost"));
    }
    released(segments, ReleaseReason.MEDIA_SERVER_LOST);
  }

  private void released(List<RecordingSegment> segments, ReleaseReason reason) {
    server.forget(this);
    recording.finish(segments, () -> emit(new MediaEvent.CallReleased(callId, reason)));
  }

  // --- Janus events (poll thread: quick, never blocking) ---------------------------------------

  private void onJanusEvent(Leg leg, JsonObject event) {
    if (closing) {
      return;
    }
    switch (event.getString("janus", "")) {
      case "webrtcup" -> mediaFlowing(leg);
      case "media" -> {
        if (event.getBoolean("receiving", false)) {
          mediaFlowing(leg);
        } else {
          synchronized (state) {
            flowing.remove(leg);
          }
        }
      }
      case "hangup" -> legFailed(leg, "Janus hung up: " + event.getString("reason", "?"), false);
      case "detached" -> legFailed(leg, "Janus detached the handle", true);
      case "trickle" -> localCandidate(leg, event.getJsonObject("candidate"));
      case "slowlink" ->
          LOG.log(Level.FINE, "call {0}: {1} leg: slow link", new Object[] {callId, leg});
      case "event" -> {
        // Answers to our own requests carry their transaction and go to the waiting method.
        if (!event.containsKey("transaction")
            && "hangup".equals(VideoCallHandles.resultEvent(event))) {
          JsonObject result = VideoCallHandles.pluginData(event).getJsonObject("result");
          legFailed(leg, "Janus ended the call: " + result.getString("reason", "?"), true);
        }
      }
      default -> {
        // ack, success: answers, not events
      }
    }
  }

  private void mediaFlowing(Leg leg) {
    synchronized (state) {
      if (failed.contains(leg) || !flowing.add(leg)) {
        return;
      }
    }
    emit(new MediaEvent.MediaFlowing(callId, leg));
  }

  /**
   * @param pairingGone VideoCall dropped the pairing of the two handles: the next offer starts from
   *     scratch ({@code call} again)
   */
  private void legFailed(Leg leg, String reason, boolean pairingGone) {
    boolean report;
    synchronized (state) {
      report = failed.add(leg);
      flowing.remove(leg);
      if (pairingGone) {
        established = false;
        offering = null;
        described.clear();
      }
    }
    if (report) {
      emit(new MediaEvent.LegFailed(callId, leg, reason));
    }
    if (pairingGone) {
      // VideoCall closed its recorders with the call: what it wrote is converted; a fresh
      // exchange records again, into a new segment.
      recording.interrupted();
    }
  }

  private void localCandidate(Leg leg, JsonObject candidate) {
    if (candidate == null) {
      return;
    }
    IceCandidate ice;
    if (candidate.getBoolean("completed", false)) {
      ice = new IceCandidate("", null, 0);
    } else {
      String mid = candidate.getString("sdpMid", null);
      Integer index =
          candidate.containsKey("sdpMLineIndex") ? candidate.getInt("sdpMLineIndex") : null;
      if (mid == null && index == null) {
        index = 0; // BUNDLE: one transport for every media section
      }
      ice = new IceCandidate(candidate.getString("candidate", ""), mid, index);
    }
    emit(new MediaEvent.LocalCandidate(callId, leg, ice));
  }

  private void emit(MediaEvent event) {
    events.execute(() -> listener.onEvent(event));
  }

  private void described(Leg leg) throws JanusException {
    trickle.lock();
    try {
      List<IceCandidate> early;
      synchronized (state) {
        described.add(leg);
        early = new ArrayList<>(pending.get(leg));
        pending.get(leg).clear();
      }
      for (IceCandidate candidate : early) {
        handles.trickle(leg, candidate);
      }
    } finally {
      trickle.unlock();
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  private void requireOpen() {
    if (closing) {
      throw new IllegalStateException("the call is closed");
    }
  }

  private long deadline() {
    return System.nanoTime() + server.settings().timeout().toNanos();
  }

  private void lockExchange(long deadline) throws MediaServerException {
    if (!tryLockExchange(deadline)) {
      throw new MediaServerException("another request of this call is still waiting for Janus");
    }
  }

  private boolean tryLockExchange(long deadline) {
    try {
      return exchange.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
