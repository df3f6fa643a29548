package com.vclick.media.janus;

import com.vclick.media.api.Conference;
import com.vclick.media.api.ConferenceEvent;
import com.vclick.media.api.ConferenceEvent.StreamSource;
import com.vclick.media.api.ConferenceListener;
import com.vclick.media.api.ConferenceRequest;
import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.MediaServerException;
import com.vclick.media.api.ReleaseReason;
import com.vclick.media.api.adapter.SerialExecutor;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * A {@link Conference} on the Janus VideoRoom plugin (multistream, Janus 1.x): one room per
 * conference ({@code create} on a handle of its own, {@code destroy} at close), one publisher
 * handle per participant ({@code joinandconfigure} with the browser's offer), and one subscriber
 * handle per participant subscribed to every other participant's streams ({@code autoupdate:false}:
 * when someone joins, leaves or publishes something else, the adapter sends {@code update} with
 * {@code subscribe}/{@code unsubscribe} and Janus offers again on the same session).
 *
 * <p>Locking: {@code exchange} serialises everything that talks to Janus and waits for its events
 * (the public methods and the reactions to Janus events, which run on a serial worker, never on the
 * poll thread); {@code state} guards the fields and is never held while talking to Janus; {@code
 * trickle} keeps the candidates in order.
 */
final class JanusConference implements Conference {

  private static final Logger LOG = Logger.getLogger(JanusConference.class.getName());

  /** Candidates kept per session until its description reached Janus. */
  static final int MAX_PENDING_CANDIDATES = 100;

  private static final Pattern PARTICIPANT = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ConferenceRequest request;
  private final JanusMediaServer server;
  private final VideoRoomRequests janus;
  private final ConferenceListener listener;
  private final SerialExecutor events;
  private final SerialExecutor work;
  private final ReentrantLock exchange = new ReentrantLock();
  private final ReentrantLock trickle = new ReentrantLock();
  private final Object state = new Object();
  private final String secret;

  private long admin;
  private long room;

  // Guarded by state.
  private final Map<String, ConferenceMember> members = new LinkedHashMap<>();
  private final Map<String, List<IceCandidate>> early = new HashMap<>();
  private final RoomFeeds feeds = new RoomFeeds();
  private final ConferenceRecording recording;
  private final ConferenceRecorder recorder;
  private int sessions;
  private volatile boolean closing;

  private JanusConference(
      ConferenceRequest request,
      JanusMediaServer server,
      JanusSession session,
      ConferenceListener listener) {
    this.request = request;
    this.server = server;
    this.janus = new VideoRoomRequests(session);
    this.listener = listener;
    this.events = new SerialExecutor(server.deliveryPool());
    this.work = new SerialExecutor(server.deliveryPool());
    this.recording = new ConferenceRecording(request.conferenceId());
    this.recorder = new ConferenceRecorder(request.conferenceId(), server, janus, this::emit);
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    this.secret = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Creates the room; on failure releases whatever was attached and throws. */
  static JanusConference open(
      JanusMediaServer server,
      JanusSession session,
      ConferenceRequest request,
      ConferenceListener listener)
      throws JanusException {
    var conference = new JanusConference(request, server, session, listener);
    try {
      conference.createRoom();
      if (request.recorded()) {
        conference.recordFromTheStart();
      }
      return conference;
    } catch (JanusException | RuntimeException e) {
      conference.closing = true;
      conference.detach(conference.admin);
      throw e;
    }
  }

  private void createRoom() throws JanusException {
    admin = janus.attach(event -> {});
    JsonObject body =
        janus
            .object()
            .add("request", "create")
            .add("description", request.conferenceId())
            .add("is_private", true)
            .add("secret", secret)
            // The adapter enforces maxParticipants; Janus' cap is a backstop with room for
            // publishers that are still leaving as the next one joins.
            .add("publishers", request.maxParticipants() * 2)
            .add("audiocodec", "opus")
            .add("videocodec", "vp8,h264")
            .add("notify_joining", false)
            .build();
    room = VideoRoomRequests.number(janus.sync(admin, "create", body), "room");
    if (room == 0) {
      throw JanusException.error("create", 0, "Janus named no room");
    }
  }

  @Override
  public String conferenceId() {
    return request.conferenceId();
  }

  JanusSession session() {
    return janus.session();
  }

  /** The VideoRoom room id (tests and leak checks). */
  long room() {
    return room;
  }

  /** The publisher handle of a participant, or 0 (tests). */
  long publisherHandle(String participantId) {
    synchronized (state) {
      ConferenceMember member = members.get(participantId);
      return member == null ? 0 : member.publisher;
    }
  }

  /** The handle of a receive session, or 0 (tests). */
  long subscriberHandle(String participantId, String sessionId) {
    synchronized (state) {
      ConferenceMember member = members.get(participantId);
      return member != null
              && member.subscription != null
              && member.subscription.sessionId.equals(sessionId)
          ? member.subscription.handle
          : 0;
    }
  }

  // --- joining, publishing ---------------------------------------------------------------------

  @Override
  public String join(String participantId, String publishOffer) throws MediaServerException {
    Objects.requireNonNull(participantId, "participantId");
    Objects.requireNonNull(publishOffer, "publishOffer");
    if (!PARTICIPANT.matcher(participantId).matches()) {
      throw new IllegalArgumentException("participantId must be 1-64 letters, digits or '-'");
    }
    long deadline = deadline();
    lockExchange(deadline);
    try {
      String recordAs;
      synchronized (state) {
        requireOpen();
        if (members.containsKey(participantId)) {
          throw new IllegalStateException(participantId + " is in the room already");
        }
        if (members.size() >= request.maxParticipants()) {
          throw new IllegalStateException("the room is full");
        }
        recordAs =
            recording.running() ? recording.enter(participantId, server.clock().instant()) : null;
      }
      long handle = janus.attach(event -> onJanusEvent(participantId, event));
      JsonObject answer;
      try {
        JsonObjectBuilder body =
            janus
                .object()
                .add("request", "joinandconfigure")
                .add("room", room)
                .add("ptype", "publisher")
                .add("display", participantId);
        if (recordAs != null) {
          body.add("record", true).add("filename", recordAs);
        }
        answer =
            janus.request(
                handle,
                "joinandconfigure",
                body.build(),
                janus.jsep("offer", publishOffer),
                deadline);
      } catch (JanusException | RuntimeException e) {
        detach(handle);
        synchronized (state) {
          if (recordAs != null) {
            recording.abandon(participantId);
          }
        }
        throw e;
      }
      JsonObject data = VideoCallHandles.pluginData(answer);
      long feed = VideoRoomRequests.number(data, "id");
      var member =
          new ConferenceMember(
              participantId,
              handle,
              feed,
              server.clock().instant(),
              RoomFeeds.streams(feed, data.getJsonArray("streams")));
      synchronized (state) {
        members.put(participantId, member);
        feeds.putAll(data.getJsonArray("publishers"));
      }
      String sdp = VideoRoomRequests.sdp(answer, "answer", "joinandconfigure");
      flushEarlyPublishCandidates(member);
      reconcile(deadline);
      return sdp;
    } finally {
      exchange.unlock();
    }
  }

  @Override
  public String republish(String participantId, String offer) throws MediaServerException {
    Objects.requireNonNull(offer, "offer");
    long deadline = deadline();
    lockExchange(deadline);
    try {
      ConferenceMember member;
      synchronized (state) {
        requireOpen();
        member = requireMember(participantId);
      }
      JsonObject answer =
          janus.request(
              member.publisher,
              "configure (republish)",
              janus.object().add("request", "configure").build(),
              janus.jsep("offer", offer),
              deadline);
      JsonObject data = VideoCallHandles.pluginData(answer);
      synchronized (state) {
        if (data.containsKey("streams")) {
          member.streams = RoomFeeds.streams(member.feed, data.getJsonArray("streams"));
          if (feeds.isActive(member.feed)) {
            feeds.put(member.feed, member.streams);
          }
        }
      }
      String sdp = VideoRoomRequests.sdp(answer, "answer", "configure");
      reconcile(deadline);
      return sdp;
    } finally {
      exchange.unlock();
    }
  }

  // --- receiving -------------------------------------------------------------------------------

  @Override
  public void answer(String participantId, String sessionId, String sdp)
      throws MediaServerException {
    Objects.requireNonNull(sdp, "sdp");
    long deadline = deadline();
    lockExchange(deadline);
    try {
      ConferenceSubscription subscription;
      synchronized (state) {
        requireOpen();
        ConferenceMember member = requireMember(participantId);
        subscription = member.subscription;
        if (subscription == null
            || !subscription.sessionId.equals(sessionId)
            || !subscription.offerWaits) {
          throw new IllegalStateException("no offer of " + sessionId + " waits for an answer");
        }
      }
      janus.request(
          subscription.handle,
          "start",
          janus.object().add("request", "start").build(),
          janus.jsep("answer", sdp),
          deadline);
      synchronized (state) {
        subscription.offerWaits = false;
      }
      flushEarlyReceiveCandidates(subscription);
      reconcile(deadline);
    } finally {
      exchange.unlock();
    }
  }

  /**
   * Brings every receive session in line with the active feeds: a subscription for whoever has
   * someone to receive, {@code update} where streams came or went (never while Janus' last offer
   * waits for its answer: that answer triggers the next round), {@code leave} where nobody is left
   * to receive. Called under the exchange lock.
   */
  private void reconcile(long deadline) {
    List<ConferenceMember> snapshot;
    synchronized (state) {
      if (closing) {
        return;
      }
      snapshot = new ArrayList<>(members.values());
    }
    for (ConferenceMember member : snapshot) {
      try {
        reconcile(member, deadline);
      } catch (JanusException e) {
        LOG.log(
            Level.WARNING,
            "conference {0}: the receive session of {1} could not be updated: {2}",
            new Object[] {conferenceId(), member.id, e.getMessage()});
      }
    }
  }

  private void reconcile(ConferenceMember member, long deadline) throws JanusException {
    List<RoomFeeds.FeedStream> wanted;
    ConferenceSubscription subscription;
    synchronized (state) {
      if (members.get(member.id) != member) {
        return;
      }
      subscription = member.subscription;
      if (subscription != null && subscription.offerWaits) {
        return;
      }
      wanted = feeds.streamsExcept(member.feed);
    }
    if (subscription == null) {
      if (!wanted.isEmpty()) {
        subscribe(member, wanted, deadline);
      }
      return;
    }
    if (wanted.isEmpty()) {
      closeSubscription(member, subscription, true);
      return;
    }
    JsonArrayBuilder subscribe = janus.array();
    JsonArrayBuilder unsubscribe = janus.array();
    boolean subscribes = false;
    boolean unsubscribes = false;
    synchronized (state) {
      for (RoomFeeds.FeedStream stream : wanted) {
        if (!subscription.carries(stream)) {
          subscribe.add(janus.object().add("feed", stream.feed()).add("mid", stream.mid()));
          subscribes = true;
        }
      }
      for (ConferenceSubscription.Section section : subscription.active()) {
        if (wanted.stream()
            .noneMatch(s -> s.feed() == section.feed() && s.mid().equals(section.feedMid()))) {
          unsubscribe.add(janus.object().add("sub_mid", section.mid()));
          unsubscribes = true;
        }
      }
    }
    if (!subscribes && !unsubscribes) {
      return;
    }
    // Janus (1.1.2) refuses an empty list ("430 Empty unsubscription list"): only non-empty ones.
    JsonObjectBuilder body = janus.object().add("request", "update");
    if (subscribes) {
      body.add("subscribe", subscribe);
    }
    if (unsubscribes) {
      body.add("unsubscribe", unsubscribe);
    }
    JsonObject answer = janus.request(subscription.handle, "update", body.build(), null, deadline);
    offered(member, subscription, answer);
  }

  private void subscribe(ConferenceMember member, List<RoomFeeds.FeedStream> wanted, long deadline)
      throws JanusException {
    long handle = janus.attach(event -> onJanusEvent(member.id, event));
    JsonArrayBuilder streams = janus.array();
    for (RoomFeeds.FeedStream stream : wanted) {
      streams.add(janus.object().add("feed", stream.feed()).add("mid", stream.mid()));
    }
    JsonObject answer;
    try {
      answer =
          janus.request(
              handle,
              "join (subscriber)",
              janus
                  .object()
                  .add("request", "join")
                  .add("room", room)
                  .add("ptype", "subscriber")
                  .add("autoupdate", false)
                  .add("streams", streams)
                  .build(),
              null,
              deadline);
    } catch (JanusException | RuntimeException e) {
      detach(handle);
      throw e;
    }
    ConferenceSubscription subscription;
    synchronized (state) {
      subscription = new ConferenceSubscription("receive-" + ++sessions, handle);
      if (members.get(member.id) != member || closing) {
        subscription = null;
      } else {
        member.subscription = subscription;
      }
    }
    if (subscription == null) {
      detach(handle);
      return;
    }
    offered(member, subscription, answer);
  }

  /** Janus answered a {@code join}/{@code update}: its offer goes to the browser. */
  private void offered(
      ConferenceMember member, ConferenceSubscription subscription, JsonObject event)
      throws JanusException {
    String kind = VideoRoomRequests.kind(event);
    if (!(event.get("jsep") instanceof JsonObject)) {
      synchronized (state) {
        // no SDP change: keep Janus' word on the sections anyway, so no update is asked twice
        subscription.described(VideoCallHandles.pluginData(event).getJsonArray("streams"));
        if ("updating".equals(kind)) {
          subscription.offerWaits = true; // Janus offers on its own once it can
        }
      }
      return;
    }
    String sdp = VideoRoomRequests.sdp(event, "offer", kind);
    List<StreamSource> sources = new ArrayList<>();
    synchronized (state) {
      subscription.described(VideoCallHandles.pluginData(event).getJsonArray("streams"));
      subscription.offerWaits = true;
      for (ConferenceSubscription.Section section : subscription.active()) {
        String publisher = participantOfFeed(section.feed());
        if (publisher != null) {
          sources.add(new StreamSource(section.mid(), publisher, section.type()));
        }
      }
      if (members.get(member.id) != member) {
        return;
      }
    }
    emit(
        new ConferenceEvent.ReceiveOffer(
            conferenceId(), member.id, subscription.sessionId, sdp, sources));
  }

  private String participantOfFeed(long feed) {
    for (ConferenceMember member : members.values()) {
      if (member.feed == feed) {
        return member.id;
      }
    }
    return null;
  }

  private void closeSubscription(
      ConferenceMember member, ConferenceSubscription subscription, boolean tell) {
    synchronized (state) {
      if (member.subscription == subscription) {
        member.subscription = null;
      }
    }
    detach(subscription.handle);
    if (tell) {
      emit(new ConferenceEvent.SessionClosed(conferenceId(), member.id, subscription.sessionId));
    }
  }

  // --- candidates ------------------------------------------------------------------------------

  @Override
  public void addCandidate(String participantId, String sessionId, IceCandidate candidate)
      throws MediaServerException {
    Objects.requireNonNull(participantId, "participantId");
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(candidate, "candidate");
    trickle.lock();
    try {
      long handle;
      synchronized (state) {
        if (closing) {
          return;
        }
        ConferenceMember member = members.get(participantId);
        if (PUBLISH.equals(sessionId)) {
          if (member == null) {
            if (PARTICIPANT.matcher(participantId).matches()) {
              hold(early.computeIfAbsent(participantId, k -> new ArrayList<>()), candidate);
            }
            return;
          }
          handle = member.publisher;
        } else {
          ConferenceSubscription subscription = member == null ? null : member.subscription;
          if (subscription == null || !subscription.sessionId.equals(sessionId)) {
            LOG.log(Level.FINE, "conference {0}: a candidate for a session gone", conferenceId());
            return;
          }
          if (!subscription.answered) {
            hold(subscription.early, candidate);
            return;
          }
          handle = subscription.handle;
        }
      }
      janus.trickle(handle, candidate);
    } finally {
      trickle.unlock();
    }
  }

  private void hold(List<IceCandidate> queue, IceCandidate candidate) {
    if (queue.size() >= MAX_PENDING_CANDIDATES) {
      LOG.log(Level.WARNING, "conference {0}: too many early candidates; dropped", conferenceId());
    } else {
      queue.add(candidate);
    }
  }

  private void flushEarlyPublishCandidates(ConferenceMember member) throws JanusException {
    trickle.lock();
    try {
      List<IceCandidate> held;
      synchronized (state) {
        held = early.remove(member.id);
      }
      if (held != null) {
        for (IceCandidate candidate : held) {
          janus.trickle(member.publisher, candidate);
        }
      }
    } finally {
      trickle.unlock();
    }
  }

  private void flushEarlyReceiveCandidates(ConferenceSubscription subscription)
      throws JanusException {
    trickle.lock();
    try {
      List<IceCandidate> held;
      synchronized (state) {
        if (subscription.answered) {
          return;
        }
        subscription.answered = true;
        held = new ArrayList<>(subscription.early);
        subscription.early.clear();
      }
      for (IceCandidate candidate : held) {
        janus.trickle(subscription.handle, candidate);
      }
    } finally {
      trickle.unlock();
    }
  }

  // --- leaving ---------------------------------------------------------------------------------

  @Override
  public void leave(String participantId) {
    ConferenceMember member = remove(participantId);
    if (member != null) {
      afterLeaving(member);
    }
  }

  /** Takes a participant out of the room's state (null when it was not in). */
  private ConferenceMember remove(String participantId) {
    synchronized (state) {
      early.remove(participantId);
      if (closing) {
        return null;
      }
      ConferenceMember member = members.remove(participantId);
      if (member == null) {
        return null;
      }
      feeds.remove(member.feed);
      if (recording.running()) {
        recording.left(participantId, server.clock().instant());
      }
      return member;
    }
  }

  /**
   * Releases a departed participant's handles and updates the others: here when the exchange is
   * free within the time-out, else on the worker (leave never fails).
   */
  private void afterLeaving(ConferenceMember member) {
    long deadline = deadline();
    if (tryLockExchange(deadline)) {
      releaseDeparted(member, deadline);
    } else {
      work.execute(
          () -> {
            long later = deadline();
            if (tryLockExchange(later)) {
              releaseDeparted(member, later);
            } else {
              LOG.log(Level.WARNING, "conference {0}: leave not sent to Janus", conferenceId());
            }
          });
    }
  }

  /** Under the exchange lock, which it releases. */
  private void releaseDeparted(ConferenceMember member, long deadline) {
    try {
      if (closing) {
        return;
      }
      ConferenceSubscription subscription = member.subscription;
      if (subscription != null) {
        closeSubscription(member, subscription, false);
      }
      detach(member.publisher); // Janus: leaving, unpublished, the others' streams inactive
      reconcile(deadline);
    } finally {
      exchange.unlock();
    }
  }

  @Override
  public Set<String> participants() {
    synchronized (state) {
      return closing ? Set.of() : Set.copyOf(members.keySet());
    }
  }

  // --- recording -------------------------------------------------------------------------------

  @Override
  public void startRecording() throws MediaServerException {
    long deadline = deadline();
    lockExchange(deadline);
    try {
      Map<ConferenceMember, String> bases = new LinkedHashMap<>();
      synchronized (state) {
        requireOpen();
        if (recording.running()) {
          return;
        }
        recording.start(recordingsDir(), server.clock().instant());
        for (ConferenceMember member : members.values()) {
          bases.put(member, recording.enter(member.id, member.joinedAt));
        }
      }
      List<ConferenceMember> asked = new ArrayList<>();
      try {
        for (Map.Entry<ConferenceMember, String> entry : bases.entrySet()) {
          recorder.record(entry.getKey().publisher, entry.getValue(), deadline);
          asked.add(entry.getKey());
        }
      } catch (JanusException e) {
        for (ConferenceMember member : asked) {
          recorder.stop(member.publisher, member.id, deadline);
        }
        synchronized (state) {
          recording.stop(server.clock().instant()); // discarded: nothing reported
        }
        throw e;
      }
      LOG.log(Level.INFO, "conference {0}: recording", conferenceId());
    } finally {
      exchange.unlock();
    }
  }

  /** Starts the recording at creation ({@code recorded}): a failure is reported, not thrown. */
  private void recordFromTheStart() {
    try {
      synchronized (state) {
        recording.start(recordingsDir(), server.clock().instant());
      }
    } catch (MediaServerException e) {
      emit(new ConferenceEvent.RecordingFailed(conferenceId(), e.getMessage()));
    }
  }

  private java.nio.file.Path recordingsDir() throws MediaServerException {
    return server
        .settings()
        .recordingsDir()
        .orElseThrow(
            () -> new MediaServerException("recording needs vclick.media.janus.recordings-dir"));
  }

  @Override
  public void stopRecording() throws MediaServerException {
    long deadline = deadline();
    lockExchange(deadline);
    try {
      ConferenceTake take;
      List<ConferenceMember> recorded;
      synchronized (state) {
        if (closing) {
          return; // close() stopped it
        }
        take = recording.stop(server.clock().instant());
        recorded = new ArrayList<>(members.values());
      }
      if (take == null) {
        return;
      }
      for (ConferenceMember member : recorded) {
        recorder.stop(member.publisher, member.id, deadline);
      }
      recorder.compose(take, null);
    } finally {
      exchange.unlock();
    }
  }

  // --- close -----------------------------------------------------------------------------------

  @Override
  public void close() {
    end(ReleaseReason.CLOSED);
  }

  /** Ends the conference with Janus (presumably) there: {@code close()} or the shutdown. */
  void end(ReleaseReason reason) {
    List<ConferenceMember> gone;
    ConferenceTake take;
    synchronized (state) {
      if (closing) {
        return;
      }
      closing = true;
      gone = new ArrayList<>(members.values());
      members.clear();
      early.clear();
      take = recording.stop(server.clock().instant());
    }
    boolean locked = false;
    try {
      long deadline = deadline();
      locked = tryLockExchange(deadline);
      if (take != null) {
        for (ConferenceMember member : gone) {
          recorder.stop(member.publisher, member.id, deadline);
        }
      }
      for (ConferenceMember member : gone) {
        if (member.subscription != null) {
          detach(member.subscription.handle);
        }
        detach(member.publisher);
      }
      destroyRoom();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "conference " + conferenceId() + ": releasing on Janus failed", e);
    } finally {
      if (locked) {
        exchange.unlock();
      }
      released(take, reason);
    }
  }

  private void destroyRoom() {
    if (!janus.session().isUsable()) {
      return;
    }
    try {
      janus.sync(
          admin,
          "destroy",
          janus.object().add("request", "destroy").add("room", room).add("secret", secret).build());
    } catch (JanusException e) {
      LOG.log(
          Level.WARNING,
          "conference {0}: destroying room failed: {1}",
          new Object[] {conferenceId(), e.getMessage()});
    }
    detach(admin);
  }

  /** Janus forgot the session: everyone failed, release what is left. */
  void sessionLost() {
    List<ConferenceMember> gone;
    ConferenceTake take;
    synchronized (state) {
      if (closing) {
        return;
      }
      closing = true;
      gone = new ArrayList<>(members.values());
      members.clear();
      take = recording.stop(server.clock().instant());
    }
    for (ConferenceMember member : gone) {
      emit(new ConferenceEvent.ParticipantFailed(conferenceId(), member.id, "Janus session lost"));
    }
    released(take, ReleaseReason.MEDIA_SERVER_LOST); // composed from what Janus wrote
  }

  private void released(ConferenceTake take, ReleaseReason reason) {
    server.forget(this);
    Runnable release = () -> emit(new ConferenceEvent.ConferenceReleased(conferenceId(), reason));
    if (take == null) {
      server.convert(release);
    } else {
      recorder.compose(take, release);
    }
  }

  // --- Janus events (poll thread: handed to the worker) ----------------------------------------

  private void onJanusEvent(String participantId, JsonObject event) {
    if (closing) {
      return;
    }
    long sender = JanusSession.sender(event);
    work.execute(() -> react(participantId, sender, event));
  }

  private void react(String participantId, long sender, JsonObject event) {
    long deadline = deadline();
    if (!tryLockExchange(deadline)) {
      LOG.log(Level.WARNING, "conference {0}: a Janus event waited too long", conferenceId());
      return;
    }
    try {
      ConferenceMember member;
      synchronized (state) {
        if (closing) {
          return;
        }
        member = members.get(participantId);
        if (member == null) {
          return; // left meanwhile
        }
      }
      boolean publisher = sender == member.publisher;
      ConferenceSubscription subscription = member.subscription;
      String sessionId =
          publisher
              ? PUBLISH
              : subscription != null && subscription.handle == sender
                  ? subscription.sessionId
                  : null;
      if (sessionId == null) {
        return; // an old receive session's handle
      }
      switch (event.getString("janus", "")) {
        case "webrtcup" -> {
          if (publisher) {
            synchronized (state) {
              feeds.put(member.feed, member.streams);
            }
          }
          flowing(member, subscription, publisher);
        }
        case "media" -> {
          if (event.getBoolean("receiving", false)) {
            flowing(member, subscription, publisher);
          }
        }
        case "hangup" -> failed(member, "Janus hung up: " + event.getString("reason", "?"));
        case "detached" -> failed(member, "Janus detached a handle");
        case "trickle" -> localCandidate(member, sessionId, event.getJsonObject("candidate"));
        case "event" -> pluginEvent(member, subscription, publisher, event);
        default -> {
          // ack, success, slowlink: nothing to do
        }
      }
      reconcile(deadline);
    } catch (JanusException e) {
      LOG.log(
          Level.WARNING,
          "conference {0}: reacting to Janus failed: {1}",
          new Object[] {conferenceId(), e.getMessage()});
    } finally {
      exchange.unlock();
    }
  }

  private void pluginEvent(
      ConferenceMember member,
      ConferenceSubscription subscription,
      boolean publisher,
      JsonObject event)
      throws JanusException {
    if (event.containsKey("transaction")) {
      return; // an answer to a request, read by the request
    }
    JsonObject data = VideoCallHandles.pluginData(event);
    if (data == null) {
      return;
    }
    if (publisher) {
      synchronized (state) {
        feeds.putAll(data.getJsonArray("publishers"));
        for (String gone : List.of("unpublished", "leaving")) {
          if (data.get(gone) instanceof jakarta.json.JsonNumber feed) {
            feeds.remove(feed.longValue());
          }
        }
      }
      if ("destroyed".equals(VideoRoomRequests.kind(event))) {
        LOG.log(Level.WARNING, "conference {0}: Janus destroyed the room", conferenceId());
      }
    } else if (subscription != null && "updated".equals(VideoRoomRequests.kind(event))) {
      offered(member, subscription, event); // Janus' postponed offer
    }
  }

  private void flowing(
      ConferenceMember member, ConferenceSubscription subscription, boolean publisher) {
    String sessionId;
    synchronized (state) {
      if (publisher) {
        if (member.publishFlowing) {
          return;
        }
        member.publishFlowing = true;
        sessionId = PUBLISH;
      } else {
        if (subscription.flowing) {
          return;
        }
        subscription.flowing = true;
        sessionId = subscription.sessionId;
      }
    }
    emit(new ConferenceEvent.MediaFlowing(conferenceId(), member.id, sessionId));
  }

  private void failed(ConferenceMember member, String reason) {
    ConferenceMember removed = remove(member.id);
    if (removed != member) {
      return;
    }
    emit(new ConferenceEvent.ParticipantFailed(conferenceId(), member.id, reason));
    if (member.subscription != null) {
      closeSubscription(member, member.subscription, false);
    }
    detach(member.publisher);
  }

  private void localCandidate(ConferenceMember member, String sessionId, JsonObject candidate) {
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
      ice =
          new IceCandidate(
              candidate.getString("candidate", ""), mid, index == null && mid == null ? 0 : index);
    }
    emit(new ConferenceEvent.LocalCandidate(conferenceId(), member.id, sessionId, ice));
  }

  // --- helpers ---------------------------------------------------------------------------------

  private void emit(ConferenceEvent event) {
    events.execute(() -> listener.onEvent(event));
  }

  private void detach(long handle) {
    if (handle == 0) {
      return;
    }
    try {
      janus.detach(handle);
    } catch (JanusException e) {
      LOG.log(
          Level.FINE, "conference {0}: detach: {1}", new Object[] {conferenceId(), e.getMessage()});
    }
  }

  private ConferenceMember requireMember(String participantId) {
    ConferenceMember member = members.get(participantId);
    if (member == null) {
      throw new IllegalStateException(participantId + " is not in the room");
    }
    return member;
  }

  private void requireOpen() {
    if (closing) {
      throw new IllegalStateException("the conference is closed");
    }
  }

  private long deadline() {
    return System.nanoTime() + server.settings().timeout().toNanos();
  }

  private void lockExchange(long deadline) throws MediaServerException {
    if (!tryLockExchange(deadline)) {
      throw new MediaServerException("another request of this conference still waits for Janus");
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
