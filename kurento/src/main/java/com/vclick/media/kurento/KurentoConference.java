package com.vclick.media.kurento;

import com.vclick.media.api.Conference;
import com.vclick.media.api.ConferenceEvent;
import com.vclick.media.api.ConferenceListener;
import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.MediaServerException;
import com.vclick.media.api.ReleaseReason;
import com.vclick.media.kurento.KurentoGateway.Failure;
import com.vclick.media.kurento.KurentoGateway.Pipeline;
import com.vclick.media.kurento.KurentoGateway.WebRtcEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
import java.util.regex.Pattern;

/**
 * A {@link Conference} on Kurento: one MediaPipeline per room; per participant a publish
 * WebRtcEndpoint (the browser offers, {@code processOffer}), and per (receiver, publisher) pair a
 * receive WebRtcEndpoint fed by the publisher's ({@code publisher.connect(receiver)}), offered by
 * KMS ({@code generateOffer}) as the receive session {@code from-<publisherId>}. Forwarding, no
 * transcoding: each browser sends once and receives one peer connection per other participant.
 *
 * <p>KMS negotiates an endpoint once, so {@link #republish} gives the participant a new publish
 * endpoint (the other DTLS certificate kind: a new fingerprint tells the browser to restart DTLS
 * with the new ICE credentials); when it publishes the same kinds as before, the others' receive
 * endpoints are fed from the new one (no renegotiation for them); when the kinds changed, the
 * others get new receive sessions ({@code from-<publisherId>.<n>}) and the old ones close.
 *
 * <p>Every SDP handed out (the answer of {@link #join}/{@link #republish}, each {@link
 * ConferenceEvent.ReceiveOffer}) carries Kurento's candidates, taken once the endpoints gathered
 * (at most {@code gathering-timeout-ms} for all of one step); they are also emitted as {@link
 * ConferenceEvent.LocalCandidate}, held until their session's SDP was handed out.
 */
final class KurentoConference implements Conference {

  private static final Logger LOG = Logger.getLogger(KurentoConference.class.getName());
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  /** Early candidates kept for participants not in the room yet (ids), each at most this many. */
  private static final int MAX_EARLY = CallLeg.MAX_PENDING_CANDIDATES;

  /** One participant in the room. */
  private static final class Participant {
    final String id;
    final Instant joinedAt;
    ConferenceSession publish;
    int publishGeneration;

    /** The receive sessions, by session id. */
    final Map<String, ConferenceSession> receiving = new LinkedHashMap<>();

    Participant(String id, Instant joinedAt) {
      this.id = id;
      this.joinedAt = joinedAt;
    }
  }

  /** A receive session set up, its offer (with Kurento's candidates) not handed out yet. */
  private static final class Pending {
    final Participant receiver;
    final ConferenceSession session;
    String sdp;

    Pending(Participant receiver, ConferenceSession session) {
      this.receiver = receiver;
      this.session = session;
    }
  }

  /** One stay of a participant in the room; {@code leftAt} null while in it. */
  private static final class Stay {
    final String participantId;
    final Instant joinedAt;
    Instant leftAt;

    Stay(String participantId, Instant joinedAt) {
      this.participantId = participantId;
      this.joinedAt = joinedAt;
    }
  }

  private final String conferenceId;
  private final int maxParticipants;
  private final KurentoSettings settings;
  private final Clock clock;
  private final Executor events;
  private final ConferenceListener listener;
  private final Object connection;
  private final Consumer<KurentoConference> onReleased;

  private final Object lock = new Object();
  private final Object emitLock = new Object();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Map<String, Participant> participants = new LinkedHashMap<>();
  private final Map<String, List<IceCandidate>> early = new HashMap<>();
  private final Map<String, Integer> streamGenerations = new HashMap<>();
  private final List<CallLeg> publishedEver = new ArrayList<>();
  private final List<Stay> stays = new ArrayList<>();
  private Pipeline pipeline;
  private int recordings;
  private boolean recordingWanted;
  private volatile ConferenceRecording recording;
  private boolean released;

  KurentoConference(
      String conferenceId,
      int maxParticipants,
      KurentoSettings settings,
      Clock clock,
      Executor events,
      ConferenceListener listener,
      Object connection,
      Consumer<KurentoConference> onReleased) {
    this.conferenceId = conferenceId;
    this.maxParticipants = maxParticipants;
    this.settings = settings;
    this.clock = clock;
    this.events = events;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.connection = connection;
    this.onReleased = onReleased;
  }

  /** Creates the pipeline (and the recording when asked); on failure nothing is left. */
  void open(KurentoGateway gateway, boolean recorded) throws MediaServerException {
    synchronized (lock) {
      try {
        pipeline = gateway.createPipeline("vclick-conf-" + conferenceId);
        if (recorded) {
          recordingWanted = true;
          recording = startRecordingNow();
        }
      } catch (Failure e) {
        releasePipelineQuietly();
        throw new MediaServerException(
            "could not set up the conference: " + e.getMessage(), e.unreachable(), e);
      }
      if (closed.get()) {
        releasePipelineQuietly();
        throw new MediaServerException(
            "the media server connection was lost during setup", true, null);
      }
    }
  }

  Object connection() {
    return connection;
  }

  @Override
  public String conferenceId() {
    return conferenceId;
  }

  @Override
  public String join(String participantId, String publishOffer) throws MediaServerException {
    checkId(participantId);
    Objects.requireNonNull(publishOffer, "publishOffer");
    synchronized (lock) {
      ensureOpen();
      if (participants.containsKey(participantId)) {
        throw new IllegalStateException(participantId + " is in the room already");
      }
      if (participants.size() >= maxParticipants) {
        throw new IllegalStateException("the room is full (" + maxParticipants + ")");
      }
      var joining = new Participant(participantId, clock.instant());
      List<ConferenceSession> created = new ArrayList<>();
      List<Pending> offers = new ArrayList<>();
      String answer;
      try {
        try {
          ConferenceSession publish = publishSession(joining, created);
          for (IceCandidate candidate : early.getOrDefault(participantId, List.of())) {
            publish.leg().addRemote(candidate);
          }
          publishStep(publish, publishOffer);
          int generation = streamGenerations.merge(participantId, 1, Integer::sum);
          for (Participant other : participants.values()) {
            offers.add(receiveSession(other, joining, generation, created));
            offers.add(
                receiveSession(
                    joining, other, streamGenerations.getOrDefault(other.id, 1), created));
          }
          long deadline = System.nanoTime() + settings.gatheringTimeout().toNanos();
          answer = withCandidates(publish, deadline);
          for (Pending pending : offers) {
            pending.sdp = withCandidates(pending.session, deadline);
          }
        } catch (Failure e) {
          throw failure("let " + participantId + " join", e);
        }
      } catch (MediaServerException | RuntimeException e) {
        discard(created);
        throw e;
      }
      early.remove(participantId);
      participants.put(participantId, joining);
      publishedEver.add(joining.publish.leg());
      stays.add(new Stay(participantId, joining.joinedAt));
      for (Pending pending : offers) {
        pending.receiver.receiving.put(pending.session.sessionId(), pending.session);
      }
      ConferenceRecording current = recording;
      if (current != null) {
        current.add(participantId, publisher(joining));
      }
      handOut(joining.publish);
      for (Pending pending : offers) {
        offer(pending);
      }
      LOG.fine(() -> conferenceId + ": " + participantId + " joined");
      return answer;
    }
  }

  @Override
  public String republish(String participantId, String offer) throws MediaServerException {
    Objects.requireNonNull(participantId, "participantId");
    Objects.requireNonNull(offer, "offer");
    synchronized (lock) {
      ensureOpen();
      Participant publisher = participants.get(participantId);
      if (publisher == null) {
        throw new IllegalStateException(participantId + " is not in the room");
      }
      ConferenceSession before = publisher.publish;
      List<ConferenceSession> created = new ArrayList<>();
      List<Pending> offers = new ArrayList<>();
      String answer;
      boolean sameKinds = false;
      boolean fed = false;
      int generation = streamGenerations.getOrDefault(participantId, 1);
      try {
        try {
          ConferenceSession fresh = publishSession(publisher, created);
          publishStep(fresh, offer);
          sameKinds = kinds(fresh.leg().media()).equals(kinds(before.leg().media()));
          if (!sameKinds) {
            generation++;
            for (Participant other : participants.values()) {
              if (other != publisher) {
                offers.add(receiveSession(other, publisher, generation, created));
              }
            }
          }
          long deadline = System.nanoTime() + settings.gatheringTimeout().toNanos();
          answer = withCandidates(fresh, deadline);
          for (Pending pending : offers) {
            pending.sdp = withCandidates(pending.session, deadline);
          }
          if (sameKinds) {
            fed = true;
            feedReceivers(fresh, publisher);
          }
        } catch (Failure e) {
          throw failure("republish " + participantId, e);
        }
      } catch (MediaServerException | RuntimeException e) {
        publisher.publish = before;
        publisher.publishGeneration--;
        discard(created);
        if (fed) {
          restoreFeeds(before, publisher);
        }
        throw e;
      }
      streamGenerations.put(participantId, generation);
      publishedEver.add(publisher.publish.leg());
      ConferenceRecording current = recording;
      if (current != null) {
        current.follow(participantId, publisher(publisher));
      }
      before.close();
      releaseEndpoint(before);
      if (!sameKinds) {
        closeReceiveSessionsOf(participantId);
        for (Pending pending : offers) {
          pending.receiver.receiving.put(pending.session.sessionId(), pending.session);
        }
      }
      handOut(publisher.publish);
      for (Pending pending : offers) {
        offer(pending);
      }
      LOG.fine(
          () ->
              conferenceId
                  + ": "
                  + participantId
                  + " republished on a new endpoint ("
                  + (offers.isEmpty() ? "the others' sessions follow it" : "new receive sessions")
                  + ")");
      return answer;
    }
  }

  @Override
  public void answer(String participantId, String sessionId, String sdp)
      throws MediaServerException {
    Objects.requireNonNull(sdp, "sdp");
    synchronized (lock) {
      ensureOpen();
      Participant participant = participants.get(participantId);
      ConferenceSession session = participant == null ? null : participant.receiving.get(sessionId);
      if (session == null || !session.awaitsAnswer()) {
        throw new IllegalStateException(
            "no offer of session " + sessionId + " waits for " + participantId + "'s answer");
      }
      try {
        session.leg().endpoint().processAnswer(sdp);
        session.leg().described(sdp);
      } catch (Failure e) {
        throw failure("process the answer of " + participantId + " for " + sessionId, e);
      }
    }
  }

  @Override
  public void addCandidate(String participantId, String sessionId, IceCandidate candidate)
      throws MediaServerException {
    Objects.requireNonNull(participantId, "participantId");
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(candidate, "candidate");
    synchronized (lock) {
      if (closed.get()) {
        return; // races with close()
      }
      Participant participant = participants.get(participantId);
      if (participant == null) {
        keepEarly(participantId, sessionId, candidate);
        return;
      }
      ConferenceSession session =
          PUBLISH.equals(sessionId) ? participant.publish : participant.receiving.get(sessionId);
      if (session == null) {
        // a session closed meanwhile (its publisher left): the browser's late candidate
        LOG.fine(() -> conferenceId + ": candidate for a session that is gone, ignored");
        return;
      }
      try {
        session.leg().addRemote(candidate);
      } catch (Failure e) {
        throw failure("add a candidate of " + participantId + " for " + sessionId, e);
      }
    }
  }

  /** A publish candidate that came before its participant's join. */
  private void keepEarly(String participantId, String sessionId, IceCandidate candidate) {
    if (!PUBLISH.equals(sessionId) || !ID.matcher(participantId).matches()) {
      return;
    }
    if (!early.containsKey(participantId) && early.size() >= 2 * maxParticipants) {
      LOG.fine(() -> conferenceId + ": too many early candidates, dropped");
      return;
    }
    List<IceCandidate> kept = early.computeIfAbsent(participantId, id -> new ArrayList<>());
    if (kept.size() < MAX_EARLY) {
      kept.add(candidate);
    }
  }

  @Override
  public void leave(String participantId) {
    if (participantId == null) {
      return;
    }
    try {
      synchronized (lock) {
        early.remove(participantId);
        if (closed.get()) {
          return;
        }
        Participant leaving = participants.remove(participantId);
        if (leaving != null) {
          removeParticipant(leaving);
          LOG.fine(() -> conferenceId + ": " + participantId + " left");
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, conferenceId + ": error while " + participantId + " left", e);
    }
  }

  @Override
  public Set<String> participants() {
    synchronized (lock) {
      return closed.get() ? Set.of() : Set.copyOf(new LinkedHashSet<>(participants.keySet()));
    }
  }

  @Override
  public void startRecording() throws MediaServerException {
    synchronized (lock) {
      ensureOpen();
      if (recordingWanted) {
        return;
      }
      recordingWanted = true;
      try {
        recording = startRecordingNow();
      } catch (Failure e) {
        recordingWanted = false;
        throw failure("start recording", e);
      }
    }
  }

  @Override
  public void stopRecording() throws MediaServerException {
    synchronized (lock) {
      if (closed.get()) {
        return; // its outcome came before the release
      }
      finishRecording();
    }
  }

  @Override
  public void close() {
    end(ReleaseReason.CLOSED);
  }

  /**
   * Ends the room with KMS reachable: completes the recording, releases the pipeline, emits {@code
   * ConferenceReleased}. Idempotent; never throws.
   */
  void end(ReleaseReason reason) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      synchronized (lock) {
        for (Participant participant : participants.values()) {
          closeSessions(participant);
        }
        participants.clear();
        finishRecording();
        releasePipelineQuietly();
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, conferenceId + ": error while closing", e);
    } finally {
      emitReleased(reason);
    }
  }

  /**
   * Ends the room after KMS was lost: nothing is asked of KMS (its garbage collector releases the
   * session's objects). Everyone fails, a recording fails, then {@code ConferenceReleased}.
   */
  void abort(ReleaseReason reason) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    List<String> inRoom;
    synchronized (lock) {
      inRoom = List.copyOf(participants.keySet());
      for (Participant participant : participants.values()) {
        closeSessions(participant);
      }
      participants.clear();
    }
    for (String participantId : inRoom) {
      emit(new ConferenceEvent.ParticipantFailed(conferenceId, participantId, reason.wire()));
    }
    if (recording != null) {
      emit(
          new ConferenceEvent.RecordingFailed(
              conferenceId, reason.wire() + ": the files may be incomplete"));
    }
    emitReleased(reason);
  }

  // --- sessions (callers hold lock) ---

  /**
   * A new publish endpoint for {@code participant} (not negotiated yet); it becomes its publish.
   */
  private ConferenceSession publishSession(
      Participant participant, List<ConferenceSession> created) {
    int generation = ++participant.publishGeneration;
    String name =
        conferenceId
            + "-"
            + participant.id
            + "-publish"
            + (generation == 1 ? "" : "-" + generation);
    var session =
        new ConferenceSession(
            participant.id,
            PUBLISH,
            null,
            CallLeg.session(conferenceId, participant.id + "'s publish session", name));
    attach(session, generation % 2 == 0, created);
    participant.publish = session;
    return session;
  }

  /** The browser's offer into the publish endpoint; gathering starts. */
  private void publishStep(ConferenceSession publish, String offer) throws MediaServerException {
    sdpStep(
        "process the publish offer of " + publish.participantId(),
        () -> publish.leg().endpoint().processOffer(offer));
    publish.leg().described(offer);
    if (SdpSummary.of(offer).has("application")) {
      LOG.info(
          () ->
              conferenceId
                  + ": "
                  + publish.participantId()
                  + " offers a data channel; refused (Kurento does not relay data channels)");
    }
    gather(publish);
  }

  /**
   * A receive endpoint of {@code receiver} fed by {@code publisher}'s publish endpoint; KMS's offer
   * generated, gathering started.
   */
  private Pending receiveSession(
      Participant receiver, Participant publisher, int generation, List<ConferenceSession> created)
      throws MediaServerException {
    String sessionId = ConferenceSession.receiveId(publisher.id, generation);
    String name = conferenceId + "-" + receiver.id + "-" + sessionId;
    var session =
        new ConferenceSession(
            receiver.id,
            sessionId,
            publisher.id,
            CallLeg.session(conferenceId, receiver.id + "'s session " + sessionId, name));
    attach(session, false, created);
    try {
      publisher.publish.leg().endpoint().connect(session.leg().endpoint());
    } catch (Failure e) {
      throw failure("connect " + publisher.id + " to " + receiver.id, e);
    }
    sdpStep(
        "generate the offer of " + sessionId + " for " + receiver.id,
        () -> session.leg().endpoint().generateOffer());
    gather(session);
    return new Pending(receiver, session);
  }

  private void attach(ConferenceSession session, boolean ecdsa, List<ConferenceSession> created) {
    created.add(session);
    session
        .leg()
        .attach(
            pipeline.createWebRtcEndpoint(
                session.leg().name(), settings.bandwidth(), ecdsa, new SessionEvents(session)));
  }

  /**
   * Republish with the same kinds: the receivers of the publisher are fed from its new endpoint.
   */
  private void feedReceivers(ConferenceSession fresh, Participant publisher) {
    for (ConferenceSession receive : receiversOf(publisher.id)) {
      fresh.leg().endpoint().connect(receive.leg().endpoint()); // replaces the source
    }
  }

  /** Best effort after a failed republish: the receivers back on the endpoint they had. */
  private void restoreFeeds(ConferenceSession before, Participant publisher) {
    for (ConferenceSession receive : receiversOf(publisher.id)) {
      try {
        before.leg().endpoint().connect(receive.leg().endpoint());
      } catch (Failure e) {
        LOG.fine(() -> conferenceId + ": could not restore a feed: " + e.getMessage());
      }
    }
  }

  private List<ConferenceSession> receiversOf(String publisherId) {
    List<ConferenceSession> receivers = new ArrayList<>();
    for (Participant other : participants.values()) {
      for (ConferenceSession session : other.receiving.values()) {
        if (publisherId.equals(session.publisherId())) {
          receivers.add(session);
        }
      }
    }
    return receivers;
  }

  /** The participant is out: its sessions and the others' sessions of it go. */
  private void removeParticipant(Participant leaving) {
    Instant now = clock.instant();
    for (Stay stay : stays) {
      if (stay.participantId.equals(leaving.id) && stay.leftAt == null) {
        stay.leftAt = now;
      }
    }
    ConferenceRecording current = recording;
    if (current != null) {
      current.remove(leaving.id);
    }
    closeReceiveSessionsOf(leaving.id);
    closeSessions(leaving);
    for (ConferenceSession session : sessionsOf(leaving)) {
      releaseEndpoint(session);
    }
  }

  /** The others' receive sessions of {@code publisherId} close (released, SessionClosed). */
  private void closeReceiveSessionsOf(String publisherId) {
    for (Participant other : participants.values()) {
      var closing =
          other.receiving.values().stream()
              .filter(s -> publisherId.equals(s.publisherId()))
              .toList();
      for (ConferenceSession session : closing) {
        other.receiving.remove(session.sessionId());
        session.close();
        releaseEndpoint(session);
        emit(new ConferenceEvent.SessionClosed(conferenceId, other.id, session.sessionId()));
      }
    }
  }

  private static List<ConferenceSession> sessionsOf(Participant participant) {
    List<ConferenceSession> sessions = new ArrayList<>();
    if (participant.publish != null) {
      sessions.add(participant.publish);
    }
    sessions.addAll(participant.receiving.values());
    return sessions;
  }

  private static void closeSessions(Participant participant) {
    for (ConferenceSession session : sessionsOf(participant)) {
      session.close();
    }
  }

  /** Sessions set up by a step that failed: released, their events never reported. */
  private void discard(List<ConferenceSession> created) {
    for (ConferenceSession session : created) {
      session.close();
      releaseEndpoint(session);
    }
  }

  private void releaseEndpoint(ConferenceSession session) {
    if (session.leg().endpoint() == null) {
      return;
    }
    try {
      session.leg().endpoint().release();
    } catch (Failure e) {
      LOG.fine(() -> conferenceId + ": releasing an endpoint failed: " + e.getMessage());
    }
  }

  private void gather(ConferenceSession session) throws MediaServerException {
    try {
      session.leg().gather();
    } catch (Failure e) {
      throw failure("gather the candidates of " + session.sessionId(), e);
    }
  }

  /**
   * Kurento's SDP of the session with its candidates, waiting for its gathering until {@code
   * deadline} ({@code System.nanoTime()}) at most.
   */
  private String withCandidates(ConferenceSession session, long deadline)
      throws MediaServerException {
    CallLeg.LocalDescription local;
    try {
      local =
          session
              .leg()
              .localDescription(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    } catch (Failure e) {
      throw failure("read Kurento's SDP of " + session.sessionId(), e);
    }
    if (!local.gatheringDone() && !settings.gatheringTimeout().isZero()) {
      LOG.info(
          () ->
              conferenceId
                  + ": candidate gathering of "
                  + session.participantId()
                  + "'s "
                  + session.sessionId()
                  + " not done in time; its SDP carries "
                  + local.candidates()
                  + " candidate(s)");
    }
    return local.sdp();
  }

  private void handOut(ConferenceSession session) {
    for (IceCandidate candidate : session.leg().handedOut()) {
      emit(
          new ConferenceEvent.LocalCandidate(
              conferenceId, session.participantId(), session.sessionId(), candidate));
    }
  }

  /** Hands out a receive session's offer and the candidates held for it. */
  private void offer(Pending pending) {
    ConferenceSession session = pending.session;
    String sdp = pending.sdp;
    emit(
        new ConferenceEvent.ReceiveOffer(
            conferenceId,
            session.participantId(),
            session.sessionId(),
            sdp,
            sources(sdp, session.publisherId())));
    handOut(session);
  }

  /** The sections of KMS's offer that carry what the publisher publishes. */
  private List<ConferenceEvent.StreamSource> sources(String sdp, String publisherId) {
    Participant publisher = participants.get(publisherId);
    Set<String> published = publisher == null ? Set.of() : kinds(publisher.publish.leg().media());
    List<ConferenceEvent.StreamSource> sources = new ArrayList<>();
    for (SdpSummary.Section section : SdpSummary.of(sdp).sections()) {
      if (section.mid() != null && section.enabled() && published.contains(section.kind())) {
        sources.add(new ConferenceEvent.StreamSource(section.mid(), publisherId, section.kind()));
      }
    }
    return sources;
  }

  private static Set<String> kinds(SdpSummary media) {
    Set<String> kinds = new HashSet<>();
    for (String kind : List.of("audio", "video")) {
      if (media.has(kind)) {
        kinds.add(kind);
      }
    }
    return kinds;
  }

  // --- recording (callers hold lock) ---

  private ConferenceRecording startRecordingNow() {
    recordings++;
    String prefix = recordings == 1 ? conferenceId : conferenceId + ".r" + recordings;
    Map<String, ConferenceRecording.Publisher> publishers = new LinkedHashMap<>();
    for (Participant participant : participants.values()) {
      publishers.put(participant.id, publisher(participant));
    }
    return ConferenceRecording.start(
        pipeline,
        prefix,
        settings,
        publishers,
        clock,
        reason -> emit(new ConferenceEvent.RecordingFailed(conferenceId, reason)));
  }

  private static ConferenceRecording.Publisher publisher(Participant participant) {
    return new ConferenceRecording.Publisher(
        participant.publish.leg().endpoint(), participant.publish.leg().media());
  }

  private void finishRecording() {
    ConferenceRecording current = recording;
    recording = null;
    recordingWanted = false;
    if (current == null) {
      return;
    }
    Set<String> withMedia = new HashSet<>();
    for (CallLeg leg : publishedEver) {
      if (leg.hadMedia()) {
        withMedia.add(leg.endpoint().name());
      }
    }
    ConferenceRecording.Outcome outcome =
        current.stop(settings.recordingStopTimeout(), clock, withMedia);
    if (current.failed()) {
      return; // already reported
    }
    if (outcome.failure() != null) {
      emit(new ConferenceEvent.RecordingFailed(conferenceId, outcome.failure()));
      return;
    }
    List<ConferenceEvent.Attendance> attendance = new ArrayList<>();
    for (Stay stay : stays) {
      Instant left = stay.leftAt;
      if ((left == null || !left.isBefore(current.startedAt()))
          && !stay.joinedAt.isAfter(outcome.stoppedAt())) {
        attendance.add(new ConferenceEvent.Attendance(stay.participantId, stay.joinedAt, left));
      }
    }
    emit(
        new ConferenceEvent.RecordingStopped(
            conferenceId,
            outcome.file(),
            outcome.parts(),
            current.startedAt(),
            outcome.stoppedAt(),
            attendance));
  }

  // --- events from Kurento ---

  /** A session's endpoint events, on a Kurento thread; a session that is gone reports nothing. */
  private final class SessionEvents implements WebRtcEvents {
    private final ConferenceSession session;

    SessionEvents(ConferenceSession session) {
      this.session = session;
    }

    private boolean current() {
      return !closed.get() && !session.gone();
    }

    @Override
    public void candidateFound(IceCandidate candidate) {
      synchronized (lock) {
        if (current() && session.leg().localCandidate(candidate)) {
          emit(
              new ConferenceEvent.LocalCandidate(
                  conferenceId, session.participantId(), session.sessionId(), candidate));
        }
      }
    }

    /**
     * KMS reports flows relative to the element inside the pipeline (checked on KMS 7.3.1): a
     * publish endpoint's media from the browser flows <i>out</i> of it into the pipeline ({@code
     * MediaFlowOut}), a receive endpoint's media flows <i>in</i> from the publisher's endpoint, to
     * be sent to the browser ({@code MediaFlowIn}). KMS's {@code MediaFlowIn} of a receive endpoint
     * may come late or not at all while its browser already receives (seen on KMS 7.3.1: hundreds
     * of packets at the receiver, no event for 20 s), so a receive session also counts as flowing
     * once it is connected to its browser while its publisher's media flows out of the publish
     * endpoint that feeds it (KMS forwards it to every connected receiver).
     */
    @Override
    public void mediaFlowOut(String mediaType, boolean flowing) {
      if (session.publishes()) {
        synchronized (lock) {
          flow(session, mediaType, flowing);
          if (current() && isPublishOfItsParticipant()) {
            for (ConferenceSession receive : receiversOf(session.participantId())) {
              if (receive.linked() || !flowing) {
                flow(receive, mediaType, flowing);
              }
            }
          }
        }
      }
    }

    @Override
    public void mediaFlowIn(String mediaType, boolean flowing) {
      if (!session.publishes()) {
        synchronized (lock) {
          flow(session, mediaType, flowing);
        }
      }
    }

    /** Whether this publish session is its participant's current one (not replaced, not gone). */
    private boolean isPublishOfItsParticipant() {
      Participant participant = participants.get(session.participantId());
      return participant != null && participant.publish == session;
    }

    /** A receive session connected: what its publisher's endpoint sends flows to the browser. */
    private void receiveLinked() {
      Participant publisher = participants.get(session.publisherId());
      if (publisher == null || publisher.publish == null) {
        return;
      }
      for (String kind : publisher.publish.leg().flowingKinds()) {
        flow(session, kind, true);
      }
    }

    /** Callers hold lock. */
    private void flow(ConferenceSession flowingSession, String mediaType, boolean flowing) {
      // counted also for a session gone: its recorder then has something to write
      if (flowingSession.leg().mediaFlow(mediaType, flowing)
          && !closed.get()
          && !flowingSession.gone()) {
        emit(
            new ConferenceEvent.MediaFlowing(
                conferenceId, flowingSession.participantId(), flowingSession.sessionId()));
      }
    }

    @Override
    public void iceComponentState(String state) {
      if ("FAILED".equals(state)) {
        failed("ice-failed");
      }
    }

    @Override
    public void connectionState(boolean connected) {
      if (connected && !session.publishes()) {
        synchronized (lock) {
          session.linked(true);
          if (current()) {
            receiveLinked();
          }
        }
      }
      if (!connected) {
        failed("connection-lost");
      }
    }

    @Override
    public void error(String type) {
      LOG.warning(
          () ->
              conferenceId
                  + ": endpoint of "
                  + session.participantId()
                  + "'s "
                  + session.sessionId()
                  + " reported "
                  + type);
    }

    /** The browser's connection failed: the participant is out of the room. */
    private void failed(String reason) {
      try {
        synchronized (lock) {
          if (!current()) {
            return;
          }
          Participant failing = participants.remove(session.participantId());
          if (failing == null) {
            return;
          }
          emit(new ConferenceEvent.ParticipantFailed(conferenceId, failing.id, reason));
          removeParticipant(failing);
        }
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, conferenceId + ": error while removing a failed participant", e);
      }
    }
  }

  // --- helpers ---

  private static void checkId(String participantId) {
    Objects.requireNonNull(participantId, "participantId");
    if (!ID.matcher(participantId).matches()) {
      throw new IllegalArgumentException("participantId must be 1-64 letters, digits or '-'");
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the conference is closed");
    }
  }

  private String sdpStep(String what, Supplier<String> step) throws MediaServerException {
    try {
      return step.get();
    } catch (Failure e) {
      throw failure(what, e);
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
      LOG.warning(() -> conferenceId + ": pipeline release failed: " + e.getMessage());
    }
    pipeline = null;
  }

  private void emit(ConferenceEvent event) {
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
      var event = new ConferenceEvent.ConferenceReleased(conferenceId, reason);
      events.execute(() -> listener.onEvent(event));
      released = true;
    }
    onReleased.accept(this);
  }
}
