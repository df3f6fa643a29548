package com.vclick.media.kurento;

import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.Leg;
import com.vclick.media.api.MediaEvent;
import com.vclick.media.api.MediaEventListener;
import com.vclick.media.api.MediaServerException;
import com.vclick.media.api.ProxiedCall;
import com.vclick.media.api.ReleaseReason;
import com.vclick.media.kurento.KurentoGateway.Failure;
import com.vclick.media.kurento.KurentoGateway.Pipeline;
import com.vclick.media.kurento.KurentoGateway.WebRtc;
import com.vclick.media.kurento.KurentoGateway.WebRtcEvents;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@link ProxiedCall} on Kurento: one MediaPipeline with two WebRtcEndpoints, one per leg,
 * cross-connected (each endpoint's output feeds the other), owned by this object until {@link
 * #close()} releases it.
 *
 * <p>Offer/answer: {@code offer(from, sdp)} gives the offer to {@code from}'s endpoint ({@code
 * processOffer}; Kurento's answer for {@code from} waits) and returns the other endpoint's offer
 * ({@code generateOffer()}); {@code answer(other, sdp)} gives that answer to the other endpoint
 * ({@code processAnswer}) and only then returns Kurento's answer for {@code from}, as the port's
 * contract has it. Each endpoint starts gathering once it has its local description. The SDPs
 * returned carry Kurento's candidates (not trickled by the application): each is the endpoint's
 * local description taken once its gathering finished, or after {@code gathering-timeout-ms} with
 * the candidates found so far. The candidates are also emitted as {@code LocalCandidate}, held
 * until their leg was handed the SDP they belong to. A leg's candidates that arrive before its
 * endpoint has the leg's SDP are buffered and added right after it.
 *
 * <p>Later rounds (renegotiation): KMS negotiates an endpoint once, so each later {@code offer()}
 * gives both legs new, cross-connected endpoints (with the other DTLS certificate kind, for a new
 * fingerprint); the old ones relay until {@code answer()} completes the round and are released
 * then, a recording following the new ones. A refused round leaves the call on its endpoints.
 */
final class KurentoProxiedCall implements ProxiedCall {

  private static final Logger LOG = Logger.getLogger(KurentoProxiedCall.class.getName());

  /**
   * An offer waiting for the other leg's answer. Kurento's answer for the offerer is not kept: it
   * is read from the offerer's endpoint when {@code answer()} returns it, with the candidates
   * gathered by then.
   */
  private record Exchange(Leg offering, Map<Leg, CallLeg> replaced) {}

  private final String callId;
  private final KurentoSettings settings;
  private final Clock clock;
  private final Executor events;
  private final MediaEventListener listener;
  private final Object connection;
  private final Consumer<KurentoProxiedCall> onReleased;

  private final Object lock = new Object();
  private final Object emitLock = new Object();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Map<Leg, CallLeg> legs = new EnumMap<>(Leg.class);

  private Pipeline pipeline;
  private Exchange exchange;
  private int generation = 1;
  private final List<CallLeg> retired = new ArrayList<>();
  private boolean negotiated;
  private boolean recordingWanted;
  private int recordings;
  private volatile CallRecording recording;
  private boolean released;

  /**
   * @param events runs listener calls one at a time, in order
   * @param connection the connection the call lives on (abort matching)
   * @param onReleased told once, after {@code CallReleased} was emitted
   */
  KurentoProxiedCall(
      String callId,
      KurentoSettings settings,
      Clock clock,
      Executor events,
      MediaEventListener listener,
      Object connection,
      Consumer<KurentoProxiedCall> onReleased) {
    this.callId = callId;
    this.settings = settings;
    this.clock = clock;
    this.events = events;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.connection = connection;
    this.onReleased = onReleased;
    for (Leg leg : Leg.values()) {
      legs.put(leg, new CallLeg(callId, leg, CallLeg.party(leg)));
    }
  }

  /** Creates the pipeline and the cross-connected endpoints; on failure nothing is left. */
  void open(KurentoGateway gateway, boolean recorded) throws MediaServerException {
    synchronized (lock) {
      try {
        pipeline = gateway.createPipeline("vclick-call-" + callId);
        for (Leg leg : Leg.values()) {
          CallLeg callLeg = legs.get(leg);
          callLeg.attach(
              pipeline.createWebRtcEndpoint(
                  callId + "-" + callLeg.name(),
                  settings.bandwidth(),
                  false,
                  new LegEvents(callLeg)));
        }
        WebRtc enterprise = legs.get(Leg.ENTERPRISE).endpoint();
        WebRtc farEnd = legs.get(Leg.FAR_END).endpoint();
        enterprise.connect(farEnd);
        farEnd.connect(enterprise);
      } catch (Failure e) {
        releasePipelineQuietly();
        throw new MediaServerException(
            "could not set up the call: " + e.getMessage(), e.unreachable(), e);
      }
      if (closed.get()) {
        releasePipelineQuietly();
        throw new MediaServerException(
            "the media server connection was lost during setup", true, null);
      }
      recordingWanted = recorded;
    }
  }

  Object connection() {
    return connection;
  }

  @Override
  public String callId() {
    return callId;
  }

  @Override
  public String offer(Leg from, String sdp) throws MediaServerException {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(sdp, "sdp");
    synchronized (lock) {
      ensureOpen();
      if (exchange != null) {
        throw new IllegalStateException(
            "an exchange is still open: "
                + exchange.offering()
                + " offered, the other leg has not answered");
      }
      // a later round: KMS negotiates an endpoint once, so both legs get new ones
      Map<Leg, CallLeg> replaced = negotiated ? replaceEndpoints() : null;
      String offerForOther;
      try {
        offerForOther = offerRound(from, sdp, replaced);
      } catch (MediaServerException | RuntimeException e) {
        restore(replaced);
        throw e;
      }
      exchange = new Exchange(from, replaced);
      return offerForOther;
    }
  }

  /**
   * The offer step of a round on the legs' current endpoints; {@code replaced}: the endpoints of
   * the round before (a later round), whose peers' section ids the new offer keeps.
   */
  private String offerRound(Leg from, String sdp, Map<Leg, CallLeg> replaced)
      throws MediaServerException {
    CallLeg offering = legs.get(from);
    CallLeg other = legs.get(from.other());
    // the SDPs these return lack Kurento's candidates: the endpoints' descriptions are read later
    sdpStep("process the offer of " + from, () -> offering.endpoint().processOffer(sdp));
    offering.described(sdp);
    if (SdpSummary.of(sdp).has("application")) {
      // the endpoints take no data channels: Kurento answers the section with port 0
      LOG.info(
          () ->
              "call "
                  + callId
                  + ": "
                  + from
                  + " offers a data channel; refused (Kurento does not relay data channels"
                  + " between the legs)");
    }
    gather(offering, from);
    sdpStep("generate the offer for " + from.other(), () -> other.endpoint().generateOffer());
    gather(other, from.other());
    String offerForOther = withCandidates(other, from.other());
    handOut(other, from.other());
    if (replaced != null) {
      other.mids(
          MidMap.between(SdpSummary.of(offerForOther), replaced.get(from.other()).peerSections()));
      offerForOther = other.mids().toPeer(offerForOther);
    }
    return offerForOther;
  }

  @Override
  public String answer(Leg from, String sdp) throws MediaServerException {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(sdp, "sdp");
    synchronized (lock) {
      ensureOpen();
      if (exchange == null || exchange.offering() != from.other()) {
        throw new IllegalStateException("no offer is waiting for " + from + "'s answer");
      }
      Exchange round = exchange;
      CallLeg answering = legs.get(from);
      try {
        String forKms = answering.mids().toKms(sdp);
        sdpStep("process the answer of " + from, () -> answering.endpoint().processAnswer(forKms));
        answering.described(forKms);
        gather(answering, from);
      } catch (MediaServerException | RuntimeException e) {
        if (round.replaced() != null) { // the call goes on with the endpoints it had
          exchange = null;
          restore(round.replaced());
          startDeferredRecording();
        }
        throw e;
      }
      Leg offerer = round.offering();
      exchange = null;
      if (round.replaced() != null) {
        retire(round.replaced());
        startDeferredRecording();
      }
      CallLeg offering = legs.get(offerer);
      // the offerer's endpoint has been gathering since offer(): usually done by now
      String answerForOfferer = withCandidates(offering, offerer);
      handOut(offering, offerer);
      if (!negotiated) {
        negotiated = true;
        if (recordingWanted) {
          startRecordingOrReport();
        }
      }
      return answerForOfferer;
    }
  }

  @Override
  public void addCandidate(Leg from, IceCandidate candidate) throws MediaServerException {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(candidate, "candidate");
    synchronized (lock) {
      ensureOpen();
      try {
        legs.get(from).addRemote(candidate);
      } catch (Failure e) {
        throw failure("add a candidate of " + from, e);
      }
    }
  }

  @Override
  public void startRecording() throws MediaServerException {
    synchronized (lock) {
      ensureOpen();
      if (recordingWanted) {
        return; // recording, or starting once the exchange completes
      }
      recordingWanted = true;
      // during a later round the new endpoints are not negotiated yet: it starts when it completes
      if (negotiated && !renegotiating()) {
        try {
          recording = startRecordingNow();
        } catch (Failure e) {
          recordingWanted = false;
          throw failure("start recording", e);
        }
      }
    }
  }

  @Override
  public void stopRecording() throws MediaServerException {
    synchronized (lock) {
      ensureOpen();
      finishRecording("stopped");
    }
  }

  @Override
  public void close() {
    end(ReleaseReason.CLOSED);
  }

  /**
   * Ends the call with KMS reachable: completes the recording, releases the pipeline, emits {@code
   * CallReleased}. Idempotent; never throws.
   */
  void end(ReleaseReason reason) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      synchronized (lock) {
        finishRecording("the call ended");
        releasePipelineQuietly();
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "call " + callId + ": error while closing", e);
    } finally {
      emitReleased(reason);
    }
  }

  /**
   * Ends the call after KMS was lost: nothing is asked of KMS (its garbage collector releases the
   * session's objects). Both legs fail, a recording fails, then {@code CallReleased}.
   */
  void abort(ReleaseReason reason) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (Leg leg : Leg.values()) {
      emit(new MediaEvent.LegFailed(callId, leg, reason.wire()));
    }
    if (recording != null) {
      emit(new MediaEvent.RecordingFailed(callId, reason.wire() + ": the files may be incomplete"));
    }
    emitReleased(reason);
  }

  /**
   * Checks the running recording's files on disk (the adapter's check thread: quick).
   *
   * @return how many of its files the check has seen (0 when no recording runs)
   */
  int checkRecordingFiles() {
    CallRecording current = recording;
    return current == null ? 0 : current.checkFiles();
  }

  // --- SDP steps and candidates (callers hold lock) ---

  private String sdpStep(String what, Supplier<String> step) throws MediaServerException {
    try {
      return step.get();
    } catch (Failure e) {
      throw failure(what, e);
    }
  }

  // --- later rounds: new endpoints (callers hold lock) ---

  /**
   * A later round: KMS refuses a second {@code processOffer}/{@code generateOffer} on an endpoint
   * (SDP_END_POINT_ALREADY_NEGOTIATED), so each leg gets a new endpoint, cross-connected like the
   * first ones, and negotiates on it; the old ones go on relaying until the round completes.
   * Returns the legs replaced (to restore on failure, to release on success).
   */
  private Map<Leg, CallLeg> replaceEndpoints() throws MediaServerException {
    int next = generation + 1;
    Map<Leg, CallLeg> fresh = new EnumMap<>(Leg.class);
    try {
      for (Leg leg : Leg.values()) {
        var callLeg = new CallLeg(callId, leg, CallLeg.party(leg) + "-" + next);
        fresh.put(leg, callLeg);
        // the other certificate than the endpoint replaced: a new fingerprint tells the peer
        // that this is a new DTLS association (a DTLS restart besides the ICE restart)
        callLeg.attach(
            pipeline.createWebRtcEndpoint(
                callId + "-" + callLeg.name(),
                settings.bandwidth(),
                next % 2 == 0,
                new LegEvents(callLeg)));
      }
      WebRtc enterprise = fresh.get(Leg.ENTERPRISE).endpoint();
      WebRtc farEnd = fresh.get(Leg.FAR_END).endpoint();
      enterprise.connect(farEnd);
      farEnd.connect(enterprise);
    } catch (Failure e) {
      releaseEndpoints(fresh.values());
      throw failure("set up new endpoints for the renegotiation", e);
    }
    generation = next;
    Map<Leg, CallLeg> replaced = new EnumMap<>(legs);
    legs.putAll(fresh);
    LOG.fine(() -> "call " + callId + ": renegotiation on new endpoints (" + next + ")");
    return replaced;
  }

  private boolean renegotiating() {
    return exchange != null && exchange.replaced() != null;
  }

  /** A recording asked for during a later round starts once that round is over. */
  private void startDeferredRecording() {
    if (recordingWanted && recording == null) {
      startRecordingOrReport();
    }
  }

  /** A later round failed: the legs' previous endpoints stay, the new ones go. */
  private void restore(Map<Leg, CallLeg> replaced) {
    if (replaced == null) {
      return;
    }
    List<CallLeg> fresh = new ArrayList<>(legs.values());
    legs.putAll(replaced);
    releaseEndpoints(fresh);
  }

  /**
   * A later round completed: a recording follows the new endpoints, the old ones are released
   * (their recorders keep what they wrote).
   */
  private void retire(Map<Leg, CallLeg> replaced) {
    CallRecording current = recording;
    if (current != null) {
      Map<Leg, WebRtc> endpoints = new EnumMap<>(Leg.class);
      Map<Leg, SdpSummary> media = new EnumMap<>(Leg.class);
      for (Leg leg : Leg.values()) {
        endpoints.put(leg, legs.get(leg).endpoint());
        media.put(leg, legs.get(leg).media());
      }
      current.follow(endpoints, media, generation);
    }
    retired.addAll(replaced.values());
    releaseEndpoints(replaced.values());
  }

  private void releaseEndpoints(Collection<CallLeg> callLegs) {
    for (CallLeg callLeg : callLegs) {
      if (callLeg.endpoint() != null) {
        try {
          callLeg.endpoint().release();
        } catch (Failure e) {
          LOG.fine(() -> "call " + callId + ": releasing an endpoint failed: " + e.getMessage());
        }
      }
    }
  }

  private void gather(CallLeg callLeg, Leg leg) throws MediaServerException {
    try {
      callLeg.gather();
    } catch (Failure e) {
      throw failure("gather the candidates for " + leg, e);
    }
  }

  /**
   * Kurento's SDP toward {@code leg} with Kurento's candidates in it: the application sends no
   * candidates of the media server after the SDP, so they must be in it. Waits for the endpoint's
   * gathering at most {@code gathering-timeout-ms}; past that the SDP carries what was found.
   */
  private String withCandidates(CallLeg callLeg, Leg leg) throws MediaServerException {
    CallLeg.LocalDescription local;
    try {
      local = callLeg.localDescription(settings.gatheringTimeout());
    } catch (Failure e) {
      throw failure("read Kurento's SDP for " + leg, e);
    }
    if (local.gatheringDone()) {
      LOG.fine(
          () ->
              "call "
                  + callId
                  + ": SDP for "
                  + leg
                  + " with "
                  + local.candidates()
                  + " candidate(s), gathering done");
    } else {
      // counts only: SDP content is never logged
      LOG.log(
          settings.gatheringTimeout().isZero() ? Level.FINE : Level.INFO,
          () ->
              "call "
                  + callId
                  + ": candidate gathering toward "
                  + leg
                  + " not done within "
                  + settings.gatheringTimeout().toMillis()
                  + " ms; its SDP carries "
                  + local.candidates()
                  + " candidate(s) (later ones go out only as LocalCandidate events)");
    }
    return local.sdp();
  }

  private void handOut(CallLeg callLeg, Leg leg) {
    for (IceCandidate candidate : callLeg.handedOut()) {
      emit(new MediaEvent.LocalCandidate(callId, leg, candidate));
    }
  }

  // --- recording (callers hold lock) ---

  private CallRecording startRecordingNow() {
    recordings++;
    String prefix = recordings == 1 ? callId : callId + "-" + recordings;
    Map<Leg, WebRtc> endpoints = new EnumMap<>(Leg.class);
    Map<Leg, SdpSummary> media = new EnumMap<>(Leg.class);
    for (Leg leg : Leg.values()) {
      endpoints.put(leg, legs.get(leg).endpoint());
      media.put(leg, legs.get(leg).media());
    }
    return CallRecording.start(
        pipeline,
        prefix,
        settings,
        endpoints,
        media,
        clock,
        reason -> emit(new MediaEvent.RecordingFailed(callId, reason)));
  }

  /** The recording wished from the start begins once both legs negotiated. */
  private void startRecordingOrReport() {
    try {
      recording = startRecordingNow();
    } catch (Failure e) {
      recordingWanted = false;
      emit(new MediaEvent.RecordingFailed(callId, "could not start: " + e.getMessage()));
    }
  }

  private void finishRecording(String why) {
    CallRecording current = recording;
    boolean wanted = recordingWanted;
    recording = null;
    recordingWanted = false;
    if (current == null) {
      if (wanted) {
        emit(
            new MediaEvent.RecordingFailed(
                callId, why + " before the media was negotiated: nothing was recorded"));
      }
      return;
    }
    Set<String> withMedia = new HashSet<>();
    List<CallLeg> every = new ArrayList<>(retired);
    every.addAll(legs.values());
    for (CallLeg callLeg : every) {
      if (callLeg.hadMedia()) {
        withMedia.add(callLeg.endpoint().name());
      }
    }
    CallRecording.Outcome outcome = current.stop(settings.recordingStopTimeout(), clock, withMedia);
    if (current.failed()) {
      return; // already reported
    }
    if (outcome.failure() != null) {
      emit(new MediaEvent.RecordingFailed(callId, outcome.failure()));
    } else if (outcome.silent().contains(current.file())) {
      emit(
          new MediaEvent.RecordingFailed(
              callId, "no media reached the media server's recorder: nothing was recorded"));
    } else {
      emit(
          new MediaEvent.RecordingStopped(
              callId,
              current.file(),
              current.parts(outcome.silent()),
              current.startedAt(),
              outcome.stoppedAt()));
    }
  }

  // --- events from Kurento ---

  /**
   * A leg's endpoint events, on a Kurento thread. Those of an endpoint the leg no longer uses (a
   * renegotiation replaced it) are not reported.
   */
  private final class LegEvents implements WebRtcEvents {
    private final CallLeg callLeg;
    private final Leg leg;

    LegEvents(CallLeg callLeg) {
      this.callLeg = callLeg;
      this.leg = callLeg.leg();
    }

    /** Whether the events concern the leg (callers hold lock). */
    private boolean current() {
      return !closed.get() && legs.get(leg) == callLeg;
    }

    @Override
    public void candidateFound(IceCandidate candidate) {
      synchronized (lock) {
        if (current() && callLeg.localCandidate(candidate)) {
          emit(new MediaEvent.LocalCandidate(callId, leg, candidate));
        }
      }
    }

    /**
     * Media from the leg's browser reaches KMS: it flows <i>out</i> of the leg's endpoint into the
     * pipeline. ({@code MediaFlowIn} of the endpoint is the other leg's media on its way to this
     * leg's browser: not this leg's media.)
     */
    @Override
    public void mediaFlowOut(String mediaType, boolean flowing) {
      synchronized (lock) {
        // counted also for a replaced endpoint: its recorder then has something to write
        if (callLeg.mediaFlow(mediaType, flowing) && current()) {
          emit(new MediaEvent.MediaFlowing(callId, leg));
        }
      }
    }

    @Override
    public void iceComponentState(String state) {
      switch (state) {
        case "FAILED" -> legFailed("ice-failed");
        case "CONNECTED", "READY" -> legRecovered();
        default -> {}
      }
    }

    @Override
    public void connectionState(boolean connected) {
      if (connected) {
        legRecovered();
      } else {
        legFailed("connection-lost");
      }
    }

    @Override
    public void error(String type) {
      LOG.warning(() -> "call " + callId + ": endpoint of " + leg + " reported " + type);
    }

    private void legFailed(String reason) {
      synchronized (lock) {
        if (current() && callLeg.fail()) {
          emit(new MediaEvent.LegFailed(callId, leg, reason));
        }
      }
    }

    private void legRecovered() {
      synchronized (lock) {
        callLeg.connected();
      }
    }
  }

  // --- helpers ---

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the call is closed");
    }
  }

  private MediaServerException failure(String what, Failure e) {
    return new MediaServerException(
        "could not " + what + ": " + e.getMessage(), e.unreachable(), e);
  }

  private void releasePipelineQuietly() {
    if (pipeline == null) {
      return;
    }
    try {
      pipeline.release();
    } catch (Failure e) {
      LOG.warning(() -> "call " + callId + ": pipeline release failed: " + e.getMessage());
    }
    pipeline = null;
  }

  private void emit(MediaEvent event) {
    synchronized (emitLock) {
      if (!released) {
        events.execute(() -> listener.onEvent(event));
      }
    }
  }

  private void emitReleased(ReleaseReason reason) {
    synchronized (emitLock) {
      if (released) {
        return;
      }
      var event = new MediaEvent.CallReleased(callId, reason);
      events.execute(() -> listener.onEvent(event));
      released = true;
    }
    onReleased.accept(this);
  }
}
