package com.vclick.media.kurento;

import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.Leg;
import com.vclick.media.kurento.KurentoGateway.Failure;
import com.vclick.media.kurento.KurentoGateway.WebRtc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Logger;

/**
 * One leg of a call as the call sees it: its WebRtcEndpoint, the candidates waiting in either
 * direction, and what was last reported of it. A conference's sessions (a participant's publish or
 * receive session) are held the same way, without a {@link Leg}. Not thread-safe: the owner's lock
 * guards it.
 */
final class CallLeg {

  /** More early candidates than this are dropped (a browser sends a handful). */
  static final int MAX_PENDING_CANDIDATES = 200;

  private static final Logger LOG = Logger.getLogger(CallLeg.class.getName());

  private final String callId;
  private final Leg leg;
  private final String label;
  private final String name;
  private WebRtc endpoint;
  private SdpSummary media = new SdpSummary(List.of());
  private boolean described;
  private MidMap mids = MidMap.NONE;
  private boolean gathering;
  private boolean handedOut;
  private boolean failed;
  private boolean hadMedia;
  private final List<IceCandidate> pendingRemote = new ArrayList<>();
  private final List<IceCandidate> heldLocal = new ArrayList<>();
  private final Set<String> flowing = new HashSet<>();

  /**
   * @param name the leg's name in its endpoint's: {@code party(leg)}, with a generation after a
   *     renegotiation replaced the endpoint
   */
  CallLeg(String callId, Leg leg, String name) {
    this(callId, leg, String.valueOf(leg), name);
  }

  private CallLeg(String callId, Leg leg, String label, String name) {
    this.callId = callId;
    this.leg = leg;
    this.label = label;
    this.name = name;
  }

  /**
   * A session of a conference (no leg): {@code label} names it in logs (never SDP), {@code name} is
   * its endpoint's name.
   */
  static CallLeg session(String conferenceId, String label, String name) {
    return new CallLeg(conferenceId, null, label, name);
  }

  /** The call's leg; null for a conference's session. */
  Leg leg() {
    return leg;
  }

  String name() {
    return name;
  }

  /** The leg's name in Kurento objects and files: {@code enterprise}, {@code far-end}. */
  static String party(Leg leg) {
    return leg == Leg.ENTERPRISE ? "enterprise" : "far-end";
  }

  void attach(WebRtc endpoint) {
    this.endpoint = endpoint;
  }

  WebRtc endpoint() {
    return endpoint;
  }

  /** What the leg's peer negotiated (empty before its SDP), with Kurento's section ids. */
  SdpSummary media() {
    return media;
  }

  /** The section ids of this endpoint as the leg's peer knows them (a later round's). */
  MidMap mids() {
    return mids;
  }

  void mids(MidMap mids) {
    this.mids = mids;
  }

  /** The sections the leg's peer negotiated, with the peer's ids. */
  List<SdpSummary.Section> peerSections() {
    return media.sections().stream()
        .map(s -> new SdpSummary.Section(s.kind(), s.enabled(), mids.peerMid(s.mid())))
        .toList();
  }

  /** Whether the endpoint has the leg's own SDP (its offer or answer). */
  boolean described() {
    return described;
  }

  /** The leg's own SDP went into its endpoint: the candidates buffered so far follow it. */
  void described(String sdp) {
    media = SdpSummary.of(sdp);
    described = true;
    for (IceCandidate candidate : pendingRemote) {
      try {
        endpoint.addIceCandidate(complete(candidate));
      } catch (Failure e) {
        LOG.fine(() -> callId + ": buffered candidate of " + label + " refused");
      }
    }
    pendingRemote.clear();
  }

  /**
   * A candidate of the leg's peer: added now, or buffered until the endpoint has the leg's SDP.
   *
   * @throws Failure Kurento refused it
   */
  void addRemote(IceCandidate candidate) {
    if (candidate.isEndOfCandidates()) {
      return; // Kurento's ICE agent needs no end-of-candidates
    }
    candidate = mids.toKms(candidate);
    if (described) {
      endpoint.addIceCandidate(complete(candidate));
    } else if (pendingRemote.size() < MAX_PENDING_CANDIDATES) {
      pendingRemote.add(candidate);
    } else {
      LOG.warning(() -> callId + ": too many early candidates of " + label + ", dropped");
    }
  }

  /** Kurento wants both the mid and the index; the peer may have sent only one. */
  private IceCandidate complete(IceCandidate candidate) {
    String mid = candidate.sdpMid();
    Integer index = candidate.sdpMLineIndex();
    if (index == null) {
      index = Math.max(0, media.indexOf(mid));
    }
    if (mid == null) {
      mid = Objects.requireNonNullElse(media.midAt(index), "");
    }
    return new IceCandidate(candidate.candidate(), mid, index);
  }

  /**
   * Starts gathering, once: right after the endpoint's first local description.
   *
   * @throws Failure Kurento refused
   */
  void gather() {
    if (!gathering) {
      endpoint.gatherCandidates();
      gathering = true;
    }
  }

  /**
   * Kurento's SDP toward the leg with Kurento's candidates in it: the endpoint's local description
   * once its gathering finished, or after {@code timeout} with the candidates found until then.
   * Call after {@link #gather()}.
   *
   * @throws Failure Kurento refused or is unreachable
   */
  LocalDescription localDescription(Duration timeout) {
    boolean done = endpoint.awaitGatheringDone(timeout);
    String sdp = endpoint.localSessionDescriptor();
    return new LocalDescription(sdp, done, SdpSummary.candidateCount(sdp));
  }

  /**
   * Kurento's SDP toward a leg, whether the endpoint had finished gathering when it was taken, and
   * how many candidates it carries.
   */
  record LocalDescription(String sdp, boolean gatheringDone, int candidates) {}

  /**
   * The leg was handed Kurento's SDP: returns the candidates held for it until now; later ones pass
   * at once.
   */
  List<IceCandidate> handedOut() {
    handedOut = true;
    var held = List.copyOf(heldLocal);
    heldLocal.clear();
    return held;
  }

  /** Kurento found a candidate toward the leg: whether it may go out now (else it is held). */
  boolean localCandidate(IceCandidate candidate) {
    if (!handedOut) {
      heldLocal.add(candidate);
    }
    return handedOut;
  }

  /** Whether this change means media started flowing from the leg's peer. */
  boolean mediaFlow(String kind, boolean isFlowing) {
    if (!isFlowing) {
      flowing.remove(kind);
      return false;
    }
    boolean started = flowing.isEmpty();
    flowing.add(kind);
    hadMedia = true;
    return started;
  }

  /** The kinds of media flowing now (as last reported to {@link #mediaFlow}). */
  Set<String> flowingKinds() {
    return Set.copyOf(flowing);
  }

  /** Whether media from the leg's peer ever reached its endpoint. */
  boolean hadMedia() {
    return hadMedia;
  }

  /** Whether this failure is news (not reported since the leg last connected). */
  boolean fail() {
    boolean news = !failed;
    failed = true;
    return news;
  }

  void connected() {
    failed = false;
  }
}
