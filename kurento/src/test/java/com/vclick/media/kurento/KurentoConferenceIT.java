package com.vclick.media.kurento;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.vclick.media.api.Conference;
import com.vclick.media.api.ConferenceEvent;
import com.vclick.media.api.ConferenceEvent.ReceiveOffer;
import com.vclick.media.api.ConferenceRequest;
import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.MediaServerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kurento.client.ConnectionState;
import org.kurento.client.KurentoClient;
import org.kurento.client.MediaObject;
import org.kurento.client.MediaPipeline;
import org.kurento.client.PlayerEndpoint;
import org.kurento.client.WebRtcEndpoint;

/**
 * {@link KurentoConference} against the real Kurento Media Server at {@code KMS_URL}, skipped
 * loudly without it like {@link KurentoProxiedCallIT} (failed with {@code
 * VCLICK_REQUIRE_KMS=true}). KMS plays the browsers: per participant a WebRtcEndpoint of a helper
 * pipeline makes the publish offer (fed by a PlayerEndpoint of {@code KMS_MEDIA_URI} when set) and
 * one more answers each receive session the adapter offers; candidates go both ways through the
 * adapter as a browser's would.
 */
class KurentoConferenceIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration RECORD_FOR = Duration.ofSeconds(3);

  private final String kmsUrl = System.getenv("KMS_URL");
  private final String mediaUri = System.getenv("KMS_MEDIA_URI");
  private final List<ConferenceEvent> events = new CopyOnWriteArrayList<>();
  private final List<Throwable> standInErrors = new CopyOnWriteArrayList<>();
  private final Map<String, WebRtcEndpoint> standIns = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Void>> connected = new ConcurrentHashMap<>();
  private KurentoClient helper;
  private MediaPipeline helperPipeline;
  private boolean withMedia;
  private KurentoMediaServer server;

  @BeforeEach
  void requireKms() {
    KurentoProxiedCallIT.requireKmsUrl(kmsUrl);
    helper = KurentoClient.create(kmsUrl);
    helperPipeline = helper.createMediaPipeline();
    withMedia = mediaUri != null && !mediaUri.isBlank();
    server =
        new KurentoMediaServer(
            KurentoSettings.from(
                Map.of(
                    "url",
                    kmsUrl,
                    "gathering-timeout-ms",
                    "2000",
                    "recordings-dir",
                    System.getenv().getOrDefault("KMS_RECORDINGS_DIR", "/tmp"))));
  }

  @AfterEach
  void releaseEverything() {
    if (server != null) {
      server.close();
    }
    if (helperPipeline != null) {
      helperPipeline.release();
    }
    if (helper != null) {
      helper.destroy();
    }
  }

  @Test
  void threePartiesReceiveEachOtherLeavingReleasesAndTheRoomIsRecorded() throws Exception {
    String id = newId();
    Conference room = server.createConference(new ConferenceRequest(id, true, 6), this::onEvent);

    var joinMillis = new ArrayList<Long>();
    for (String who : List.of("alice", "bob", "carol")) {
      long joining = System.nanoTime();
      join(room, who);
      joinMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - joining));
      answerOffers(room);
    }
    System.err.printf(
        "KurentoConferenceIT: join() of the 1st, 2nd, 3rd participant took %s ms%n", joinMillis);

    assertEquals(Set.of("alice", "bob", "carol"), room.participants());
    List<ReceiveOffer> offers = all(ReceiveOffer.class);
    assertEquals(6, offers.size(), offers::toString);
    for (ReceiveOffer offer : offers) {
      assertMediaSections(offer.sdp());
      assertEquals(
          Set.of("audio", "video"),
          Set.copyOf(offer.sources().stream().map(ConferenceEvent.StreamSource::kind).toList()),
          offer.toString());
      String publisher = offer.sessionId().substring("from-".length());
      assertTrue(offer.sources().stream().allMatch(s -> s.publisherId().equals(publisher)));
      assertNotEquals(publisher, offer.participantId());
    }
    for (String session : connected.keySet()) {
      awaitConnected(session);
    }
    if (withMedia) {
      for (String who : List.of("alice", "bob", "carol")) {
        awaitEvent(flowing(who, Conference.PUBLISH));
        for (String other : List.of("alice", "bob", "carol")) {
          if (!other.equals(who)) {
            awaitEvent(flowing(who, "from-" + other));
          }
        }
      }
      Thread.sleep(RECORD_FOR.toMillis()); // media into the recording
    }

    room.leave("bob");
    awaitEvent(e -> e.equals(new ConferenceEvent.SessionClosed(id, "alice", "from-bob")));
    awaitEvent(e -> e.equals(new ConferenceEvent.SessionClosed(id, "carol", "from-bob")));
    Set<String> left = elementNames(id);
    assertTrue(
        left.stream().noneMatch(name -> name.contains("-bob-") || name.endsWith("-bob")),
        "bob's endpoints and the others' of bob released: " + left);
    assertTrue(left.contains(id + "-alice-from-carol"), left.toString());
    if (withMedia) {
      Thread.sleep(Duration.ofSeconds(1).toMillis()); // alice and carol go on
    }

    long stopping = System.nanoTime();
    room.stopRecording();
    ConferenceEvent outcome =
        awaitEvent(
            e ->
                e instanceof ConferenceEvent.RecordingStopped
                    || e instanceof ConferenceEvent.RecordingFailed);
    if (withMedia) {
      var stopped =
          assertInstanceOf(ConferenceEvent.RecordingStopped.class, outcome, outcome::toString);
      assertTrue(stopped.file().toString().endsWith(id + "-room.webm"), stopped.toString());
      assertEquals(
          List.of(id + "-party.alice.webm", id + "-party.bob.webm", id + "-party.carol.webm"),
          stopped.parts().stream().map(p -> p.getFileName().toString()).toList());
      assertEquals(
          List.of("alice", "bob", "carol"),
          stopped.attendance().stream().map(ConferenceEvent.Attendance::participantId).toList());
      assertTrue(stopped.attendance().get(1).leftAt() != null, "bob left");
      assertWritten(stopped);
      System.err.printf(
          "KurentoConferenceIT: recording stopped in %d ms; room file %d bytes%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping),
          stopped.file().toFile().length());
    } else {
      System.err.println(
          "KurentoConferenceIT: KMS_MEDIA_URI not set, no media was sent; recording ended with "
              + outcome);
    }
    assertTrue(
        elementNames(id).stream()
            .noneMatch(n -> n.contains("-recorder-") || n.contains("composite")),
        "recorders and composite released after Stopped");

    room.close();
    awaitEvent(e -> e instanceof ConferenceEvent.ConferenceReleased);
    assertEquals(0, server.openConferences());
    assertNoPipelineOf(id);
    assertTrue(standInErrors.isEmpty(), standInErrors::toString);
  }

  /**
   * The stand-in cannot renegotiate its endpoint either: a new one offers, as a browser's peer
   * connection would after an ICE and DTLS restart. The adapter answers from a new endpoint
   * (another fingerprint) and feeds the others' receive sessions from it: media reaches them again
   * without any new offer.
   */
  @Test
  void republishingMovesTheOthersToTheNewEndpointAndMediaFlowsAgain() throws Exception {
    String id = newId();
    Conference room = server.createConference(new ConferenceRequest(id, false, 6), this::onEvent);
    String firstAnswer = join(room, "alice");
    join(room, "bob");
    answerOffers(room);
    for (String session : connected.keySet()) {
      awaitConnected(session);
    }
    int offers = all(ReceiveOffer.class).size();
    if (withMedia) {
      // alice's first endpoint reports its media before it is replaced (after that, its events
      // are no longer the room's): the republished one's is then the second
      awaitEvent(flowing("alice", Conference.PUBLISH));
      awaitEvent(flowing("bob", "from-alice"));
    }

    WebRtcEndpoint again = standIn(room, "alice", Conference.PUBLISH);
    sendMedia(again);
    String answer = room.republish("alice", offerOf(again));
    again.processAnswer(answer);
    addHeldCandidates("alice/" + Conference.PUBLISH);
    assertMediaSections(answer);
    assertNotEquals(fingerprint(firstAnswer), fingerprint(answer), "a new DTLS certificate");
    awaitConnected("alice/" + Conference.PUBLISH);
    if (withMedia) {
      awaitEvents(flowing("alice", Conference.PUBLISH), 2);
      awaitEvent(flowing("bob", "from-alice"));
    }
    assertEquals(offers, all(ReceiveOffer.class).size(), "bob renegotiates nothing");
    assertTrue(
        elementNames(id).containsAll(Set.of(id + "-alice-publish-2", id + "-bob-from-alice")));
    assertFalse(elementNames(id).contains(id + "-alice-publish"), "the old endpoint released");
    room.close();
    assertNoPipelineOf(id);
    assertTrue(standInErrors.isEmpty(), standInErrors::toString);
  }

  @Test
  void manyRoomsLeaveNothingWhetherClosedEmptiedOrShutDown() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String id = newId();
      ids.add(id);
      Conference room = server.createConference(new ConferenceRequest(id, i % 2 == 0, 6), e -> {});
      room.join("alice", new WebRtcEndpoint.Builder(helperPipeline).build().generateOffer());
      room.join("bob", new WebRtcEndpoint.Builder(helperPipeline).build().generateOffer());
      if (i % 3 == 0) {
        room.leave("alice");
      }
      if (i < 3) {
        room.close();
      }
    }
    assertEquals(3, server.openConferences());
    server.close();
    assertEquals(0, server.openConferences());
    for (String id : ids) {
      assertNoPipelineOf(id);
    }
  }

  // --- stand-ins ---

  private String join(Conference room, String who) throws Exception {
    WebRtcEndpoint publish = standIn(room, who, Conference.PUBLISH);
    sendMedia(publish);
    String answer = room.join(who, offerOf(publish));
    assertMediaSections(answer);
    publish.processAnswer(answer);
    addHeldCandidates(who + "/" + Conference.PUBLISH);
    return answer;
  }

  /** A player of {@code KMS_MEDIA_URI} feeds the stand-in (when set). */
  private void sendMedia(WebRtcEndpoint publish) {
    if (withMedia) {
      var player = new PlayerEndpoint.Builder(helperPipeline, mediaUri).build();
      player.connect(publish);
      player.play();
    }
  }

  private static String offerOf(WebRtcEndpoint endpoint) {
    String offer = endpoint.generateOffer();
    endpoint.gatherCandidates();
    return offer;
  }

  /** Answers every receive offer not answered yet, with a stand-in each. */
  private void answerOffers(Conference room) throws MediaServerException {
    for (ReceiveOffer offer : all(ReceiveOffer.class)) {
      String key = offer.participantId() + "/" + offer.sessionId();
      if (standIns.containsKey(key)) {
        continue;
      }
      WebRtcEndpoint endpoint = standIn(room, offer.participantId(), offer.sessionId());
      String answer = endpoint.processOffer(offer.sdp());
      endpoint.gatherCandidates();
      room.answer(offer.participantId(), offer.sessionId(), answer);
      addHeldCandidates(key);
    }
  }

  /** A stand-in endpoint for one session, its candidates trickled to the adapter. */
  private WebRtcEndpoint standIn(Conference room, String who, String sessionId) {
    String key = who + "/" + sessionId;
    answeredSessions.remove(key);
    var endpoint = new WebRtcEndpoint.Builder(helperPipeline).build();
    var up = new CompletableFuture<Void>();
    connected.put(key, up);
    endpoint.addIceCandidateFoundListener(
        e -> {
          var c = e.getCandidate();
          try {
            room.addCandidate(
                who,
                sessionId,
                new IceCandidate(c.getCandidate(), c.getSdpMid(), c.getSdpMLineIndex()));
          } catch (MediaServerException | RuntimeException ex) {
            standInErrors.add(ex);
          }
        });
    endpoint.addConnectionStateChangedListener(
        e -> {
          if (e.getNewState() == ConnectionState.CONNECTED) {
            up.complete(null);
          }
        });
    standIns.put(key, endpoint);
    return endpoint;
  }

  private final Map<String, List<IceCandidate>> heldForStandIns = new ConcurrentHashMap<>();

  /** The adapter's candidates go to the session's stand-in, kept until it has the adapter's SDP. */
  private void onEvent(ConferenceEvent event) {
    events.add(event);
    if (event instanceof ConferenceEvent.LocalCandidate local) {
      String key = local.participantId() + "/" + local.sessionId();
      synchronized (heldForStandIns) {
        WebRtcEndpoint endpoint = standIns.get(key);
        if (endpoint == null || !answered(key)) {
          heldForStandIns.computeIfAbsent(key, k -> new ArrayList<>()).add(local.candidate());
        } else {
          addToStandIn(endpoint, local.candidate());
        }
      }
    }
    synchronized (events) {
      events.notifyAll();
    }
  }

  private final Set<String> answeredSessions = ConcurrentHashMap.newKeySet();

  private boolean answered(String key) {
    return answeredSessions.contains(key);
  }

  private void addHeldCandidates(String key) {
    synchronized (heldForStandIns) {
      answeredSessions.add(key);
      for (IceCandidate candidate : heldForStandIns.getOrDefault(key, List.of())) {
        addToStandIn(standIns.get(key), candidate);
      }
      heldForStandIns.remove(key);
    }
  }

  private void addToStandIn(WebRtcEndpoint endpoint, IceCandidate c) {
    try {
      endpoint.addIceCandidate(
          new org.kurento.client.IceCandidate(c.candidate(), c.sdpMid(), c.sdpMLineIndex()));
    } catch (RuntimeException e) {
      standInErrors.add(e);
    }
  }

  private void awaitConnected(String key) throws Exception {
    try {
      connected.get(key).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      fail(key + " did not connect within " + WAIT + "; events: " + summary());
    }
  }

  // --- events ---

  private static Predicate<ConferenceEvent> flowing(String who, String sessionId) {
    return e ->
        e instanceof ConferenceEvent.MediaFlowing f
            && f.participantId().equals(who)
            && f.sessionId().equals(sessionId);
  }

  /** The events but candidates, without SDPs (for failure messages). */
  private String summary() {
    return events.stream()
        .filter(e -> !(e instanceof ConferenceEvent.LocalCandidate))
        .map(
            e ->
                e instanceof ReceiveOffer o
                    ? "ReceiveOffer " + o.participantId() + " " + o.sessionId()
                    : e.toString())
        .toList()
        .toString();
  }

  private <T extends ConferenceEvent> List<T> all(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private ConferenceEvent awaitEvent(Predicate<ConferenceEvent> wanted)
      throws InterruptedException {
    awaitEvents(wanted, 1);
    return events.stream().filter(wanted).findFirst().orElseThrow();
  }

  private void awaitEvents(Predicate<ConferenceEvent> wanted, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    synchronized (events) {
      while (events.stream().filter(wanted).count() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          fail(count + " such event(s) expected within " + WAIT + "; events: " + summary());
        }
        TimeUnit.NANOSECONDS.timedWait(events, left);
      }
    }
  }

  // --- KMS ---

  private static String newId() {
    return "it-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The names of the elements of the room's pipeline on KMS. */
  private Set<String> elementNames(String conferenceId) {
    for (MediaPipeline pipeline : helper.getServerManager().getPipelines()) {
      if (("vclick-conf-" + conferenceId).equals(pipeline.getName())) {
        Set<String> names = ConcurrentHashMap.newKeySet();
        for (MediaObject child : pipeline.getChildren()) {
          names.add(child.getName());
        }
        return names;
      }
    }
    return fail("no pipeline of " + conferenceId + " on KMS");
  }

  private void assertNoPipelineOf(String conferenceId) {
    String name = "vclick-conf-" + conferenceId;
    for (MediaPipeline pipeline : helper.getServerManager().getPipelines()) {
      assertFalse(name.equals(pipeline.getName()), name + " was left on KMS");
    }
  }

  /** Where KMS writes on this host too (it does for ./vclick test), the files hold something. */
  private static void assertWritten(ConferenceEvent.RecordingStopped stopped) {
    var files = new ArrayList<Path>(stopped.parts());
    files.add(stopped.file());
    for (Path file : files) {
      if (Files.isDirectory(file.getParent())) {
        assertTrue(file.toFile().length() > 1000, file + " holds media");
      }
    }
  }

  private static String fingerprint(String sdp) {
    return sdp.lines().filter(l -> l.startsWith("a=fingerprint:")).findFirst().orElseThrow();
  }

  private static void assertMediaSections(String sdp) {
    assertTrue(sdp.startsWith("v=0"), "an SDP");
    assertTrue(sdp.contains("m=audio "), "with audio");
    assertTrue(sdp.contains("m=video "), "with video");
    assertTrue(sdp.contains("\r\na=candidate:"), "with Kurento's candidates");
  }
}
