package com.vclick.media.kurento;

import static com.vclick.media.kurento.FakeKurento.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.media.api.Conference;
import com.vclick.media.api.ConferenceEvent;
import com.vclick.media.api.ConferenceEvent.ReceiveOffer;
import com.vclick.media.api.ConferenceEvent.StreamSource;
import com.vclick.media.api.ConferenceRequest;
import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.MediaServerException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link KurentoConference} against {@link FakeKurento}. */
class KurentoConferenceTest {

  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

  private final FakeKurento kurento = new FakeKurento();
  private final List<ConferenceEvent> events = new CopyOnWriteArrayList<>();
  private KurentoMediaServer server = server(Map.of());

  @AfterEach
  void closeServer() {
    server.close();
    assertEquals(0, server.openConferences());
    assertEquals(0, kurento.livePipelines(), "every pipeline released");
  }

  private KurentoMediaServer server(Map<String, String> extra) {
    var settings = new HashMap<>(Map.of("recording-stop-timeout-ms", "2000"));
    settings.putAll(extra);
    // Runnable::run: listeners are called on the thread that emits, so tests need no waiting
    return new KurentoMediaServer(
        KurentoSettings.from(settings), kurento, Clock.fixed(NOW, ZoneOffset.UTC), Runnable::run);
  }

  private Conference conference(String id, boolean recorded, int max) throws Exception {
    return server.createConference(new ConferenceRequest(id, recorded, max), events::add);
  }

  private <T extends ConferenceEvent> List<T> eventsOf(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private List<ConferenceEvent> addressedTo(String participantId) {
    return events.stream().filter(e -> participantId.equals(participantOf(e))).toList();
  }

  private static String participantOf(ConferenceEvent event) {
    if (event instanceof ReceiveOffer e) {
      return e.participantId();
    } else if (event instanceof ConferenceEvent.SessionClosed e) {
      return e.participantId();
    } else if (event instanceof ConferenceEvent.LocalCandidate e) {
      return e.participantId();
    } else if (event instanceof ConferenceEvent.MediaFlowing e) {
      return e.participantId();
    }
    return null;
  }

  private ReceiveOffer offerFor(String participantId, String sessionId) {
    return eventsOf(ReceiveOffer.class).stream()
        .filter(o -> o.participantId().equals(participantId) && o.sessionId().equals(sessionId))
        .reduce((first, second) -> second)
        .orElseThrow(() -> new AssertionError("no offer " + sessionId + " for " + participantId));
  }

  /** Every receive offer not answered yet gets an answer. */
  private void answerAll(Conference room) throws Exception {
    for (ReceiveOffer offer : eventsOf(ReceiveOffer.class)) {
      if (room.participants().contains(offer.participantId())) {
        try {
          room.answer(
              offer.participantId(),
              offer.sessionId(),
              sdp("answer-" + offer.participantId() + "-" + offer.sessionId()));
        } catch (IllegalStateException answeredOrClosed) {
          // answered already, or closed meanwhile
        }
      }
    }
  }

  private static IceCandidate candidate(String text) {
    return new IceCandidate("candidate:" + text + " 1 udp 2122 192.0.2.1 5000 typ host", "0", 0);
  }

  private static String audioOnly(String marker) {
    return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns="
        + marker
        + "\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n";
  }

  // --- joining ---

  @Test
  void threeParticipantsEachReceiveTheOtherTwoOnSessionsKurentoOffers() throws Exception {
    Conference room = conference("k1", false, 6);

    String answer = room.join("alice", sdp("alice-offer"));

    assertTrue(answer.contains("s=kms-answer-for-k1-alice-publish"), answer);
    assertTrue(answer.contains("a=candidate:"), "Kurento's candidates are in the SDP");
    assertTrue(kurento.log.contains("k1-alice-publish.processOffer alice-offer"));
    assertTrue(eventsOf(ReceiveOffer.class).isEmpty(), "alone: nothing to receive");

    room.join("bob", sdp("bob-offer"));
    room.join("carol", sdp("carol-offer"));

    assertEquals(Set.of("alice", "bob", "carol"), room.participants());
    assertEquals(6, eventsOf(ReceiveOffer.class).size(), eventsOf(ReceiveOffer.class).toString());
    ReceiveOffer aliceFromBob = offerFor("alice", "from-bob");
    assertTrue(aliceFromBob.sdp().contains("s=kms-offer-for-k1-alice-from-bob"));
    assertTrue(aliceFromBob.sdp().contains("a=candidate:"));
    assertEquals(
        List.of(new StreamSource("0", "bob", "audio"), new StreamSource("1", "bob", "video")),
        aliceFromBob.sources());
    FakeKurento.Pipeline pipeline = kurento.conference("k1");
    assertTrue(
        pipeline.links.containsAll(
            List.of(
                "k1-bob-publish -> k1-alice-from-bob",
                "k1-alice-publish -> k1-bob-from-alice",
                "k1-carol-publish -> k1-alice-from-carol",
                "k1-carol-publish -> k1-bob-from-carol",
                "k1-alice-publish -> k1-carol-from-alice",
                "k1-bob-publish -> k1-carol-from-bob")),
        pipeline.links.toString());

    answerAll(room);
    assertTrue(kurento.log.contains("k1-alice-from-bob.processAnswer answer-alice-from-bob"));
    assertThrows(
        IllegalStateException.class,
        () -> room.answer("alice", "from-bob", sdp("again")),
        "answered already");
    assertThrows(
        IllegalStateException.class, () -> room.answer("alice", Conference.PUBLISH, sdp("x")));
    assertThrows(IllegalStateException.class, () -> room.answer("dave", "from-bob", sdp("x")));
    room.close();
  }

  @Test
  void joiningTwiceAFullRoomAndBadIdsAreRefusedAndChangeNothing() throws Exception {
    Conference room = conference("k2", false, 2);
    room.join("alice", sdp("a"));
    room.join("bob", sdp("b"));
    int operations = kurento.log.size();

    assertThrows(IllegalStateException.class, () -> room.join("alice", sdp("a2")));
    assertThrows(IllegalStateException.class, () -> room.join("carol", sdp("c")));
    assertThrows(IllegalArgumentException.class, () -> room.join("bad id", sdp("c")));
    assertThrows(IllegalStateException.class, () -> room.republish("carol", sdp("c")));

    assertEquals(operations, kurento.log.size(), "nothing asked of Kurento");
    assertEquals(Set.of("alice", "bob"), room.participants());
    room.leave("alice");
    room.join("carol", sdp("c"));
    assertEquals(Set.of("bob", "carol"), room.participants());
    room.close();
  }

  @Test
  void aJoinThatKurentoRefusesHalfwayLeavesNothingOfTheParticipant() throws Exception {
    Conference room = conference("k3", false, 6);
    room.join("alice", sdp("a"));
    room.join("bob", sdp("b"));
    kurento.failOn = "k3-carol-from-bob.generateOffer";

    var refused = assertThrows(MediaServerException.class, () -> room.join("carol", sdp("c")));

    assertFalse(refused.getMessage().contains("s=c"), "no SDP in messages");
    FakeKurento.Pipeline pipeline = kurento.conference("k3");
    for (String name :
        List.of(
            "k3-carol-publish",
            "k3-alice-from-carol",
            "k3-carol-from-alice",
            "k3-bob-from-carol")) {
      assertTrue(pipeline.endpoint(name).released, name + " released");
    }
    assertEquals(Set.of("alice", "bob"), room.participants());
    assertTrue(addressedTo("carol").isEmpty(), "nothing told to carol");
    assertFalse(
        eventsOf(ReceiveOffer.class).stream().anyMatch(o -> o.sessionId().equals("from-carol")),
        "nobody is offered carol");

    kurento.failOn = null;
    room.join("carol", sdp("c2"));
    assertEquals(Set.of("alice", "bob", "carol"), room.participants());
    room.close();
  }

  // --- candidates ---

  @Test
  void candidatesWaitForTheirDescriptionAndKurentosComeAfterTheSdpTheyBelongTo() throws Exception {
    Conference room = conference("k4", false, 6);
    room.addCandidate("alice", Conference.PUBLISH, candidate("early"));
    room.join("alice", sdp("a"));
    room.addCandidate("alice", Conference.PUBLISH, candidate("later"));
    FakeKurento.Pipeline pipeline = kurento.conference("k4");
    assertEquals(2, pipeline.endpoint("k4-alice-publish").candidates.size());

    room.join("bob", sdp("b"));
    room.addCandidate("alice", "from-bob", candidate("before-answer"));
    assertTrue(pipeline.endpoint("k4-alice-from-bob").candidates.isEmpty(), "buffered");
    room.answer("alice", "from-bob", sdp("answer"));
    room.addCandidate("alice", "from-bob", candidate("after-answer"));
    assertEquals(2, pipeline.endpoint("k4-alice-from-bob").candidates.size());
    room.addCandidate("alice", "from-nobody", candidate("stray")); // a closed session: ignored

    int offer = events.indexOf(offerFor("alice", "from-bob"));
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i) instanceof ConferenceEvent.LocalCandidate c
          && c.sessionId().equals("from-bob")
          && c.participantId().equals("alice")) {
        assertTrue(i > offer, "Kurento's candidates of a session come after its offer");
      }
    }
    assertTrue(
        eventsOf(ConferenceEvent.LocalCandidate.class).stream()
            .anyMatch(c -> c.participantId().equals("alice") && c.sessionId().equals("publish")));

    room.close();
    room.addCandidate("alice", Conference.PUBLISH, candidate("after-close")); // no exception
  }

  // --- leaving and failing ---

  @Test
  void someoneLeavingIsReleasedTheOthersSessionsOfThemCloseAndTheyMayComeBack() throws Exception {
    Conference room = conference("k5", false, 6);
    room.join("alice", sdp("a"));
    room.join("bob", sdp("b"));
    room.join("carol", sdp("c"));
    answerAll(room);
    FakeKurento.Pipeline pipeline = kurento.conference("k5");
    int before = events.size();

    room.leave("bob");
    room.leave("bob");
    room.leave("nobody");

    assertEquals(Set.of("alice", "carol"), room.participants());
    for (String name :
        List.of(
            "k5-bob-publish",
            "k5-bob-from-alice",
            "k5-bob-from-carol",
            "k5-alice-from-bob",
            "k5-carol-from-bob")) {
      assertTrue(pipeline.endpoint(name).released, name + " released");
    }
    assertFalse(pipeline.endpoint("k5-alice-from-carol").released);
    assertEquals(
        List.of(
            new ConferenceEvent.SessionClosed("k5", "alice", "from-bob"),
            new ConferenceEvent.SessionClosed("k5", "carol", "from-bob")),
        events.subList(before, events.size()));
    pipeline.endpoint("k5-bob-publish").events.mediaFlowOut("AUDIO", true);
    assertTrue(
        addressedTo("bob").stream().noneMatch(e -> events.indexOf(e) >= before),
        "nothing about bob after he left");

    room.join("bob", sdp("b2"));
    assertEquals("from-bob.2", offerFor("alice", "from-bob.2").sessionId(), "a new session id");
    room.close();
  }

  @Test
  void aBrowserWhoseConnectionFailsIsOutOfTheRoom() throws Exception {
    Conference room = conference("k6", false, 6);
    room.join("alice", sdp("a"));
    room.join("bob", sdp("b"));
    FakeKurento.Pipeline pipeline = kurento.conference("k6");

    pipeline.endpoint("k6-bob-publish").events.iceComponentState("FAILED");
    pipeline.endpoint("k6-bob-publish").events.connectionState(false);

    assertEquals(
        List.of(new ConferenceEvent.ParticipantFailed("k6", "bob", "ice-failed")),
        eventsOf(ConferenceEvent.ParticipantFailed.class),
        "once");
    assertEquals(Set.of("alice"), room.participants());
    assertTrue(pipeline.endpoint("k6-alice-from-bob").released);
    assertTrue(events.contains(new ConferenceEvent.SessionClosed("k6", "alice", "from-bob")));

    pipeline.endpoint("k6-alice-publish").events.connectionState(false);
    assertEquals(
        new ConferenceEvent.ParticipantFailed("k6", "alice", "connection-lost"),
        eventsOf(ConferenceEvent.ParticipantFailed.class).get(1));
    assertEquals(Set.of(), room.participants());
    room.close();
  }

  @Test
  void mediaFlowingIsReportedOncePerSessionFromEachDirection() throws Exception {
    Conference room = conference("k7", false, 6);
    room.join("alice", sdp("a"));
    room.join("bob", sdp("b"));
    FakeKurento.Pipeline pipeline = kurento.conference("k7");

    pipeline.endpoint("k7-alice-publish").events.mediaFlowOut("AUDIO", true);
    pipeline.endpoint("k7-alice-publish").events.mediaFlowOut("VIDEO", true);
    pipeline.endpoint("k7-alice-publish").events.mediaFlowIn("AUDIO", true); // not its way
    pipeline.endpoint("k7-bob-from-alice").events.mediaFlowOut("AUDIO", true); // not its way
    pipeline.endpoint("k7-bob-from-alice").events.mediaFlowIn("VIDEO", true);

    assertEquals(
        List.of(
            new ConferenceEvent.MediaFlowing("k7", "alice", "publish"),
            new ConferenceEvent.MediaFlowing("k7", "bob", "from-alice")),
        eventsOf(ConferenceEvent.MediaFlowing.class));
    room.close();
  }

  /**
   * KMS's MediaFlowIn of a receive endpoint may never come while its browser receives: a receive
   * session connected to its browser while its publisher's media flows counts as flowing, once.
   */
  @Test
  void aConnectedReceiveSessionOfAFlowingPublisherIsFlowingWithoutKmsSayingSo() throws Exception {
    Conference room = conference("k7b", false, 6);
    room.join("alice", sdp("a"));
    room.join("bob", sdp("b"));
    room.join("carol", sdp("c"));
    FakeKurento.Pipeline pipeline = kurento.conference("k7b");

    // connected before alice's media flows: flowing once it does
    pipeline.endpoint("k7b-bob-from-alice").events.connectionState(true);
    assertEquals(List.of(), eventsOf(ConferenceEvent.MediaFlowing.class));
    pipeline.endpoint("k7b-alice-publish").events.mediaFlowOut("AUDIO", true);
    pipeline.endpoint("k7b-alice-publish").events.mediaFlowOut("VIDEO", true);
    // connected after: flowing at once; KMS's own event later changes nothing
    pipeline.endpoint("k7b-carol-from-alice").events.connectionState(true);
    pipeline.endpoint("k7b-carol-from-alice").events.mediaFlowIn("VIDEO", true);
    // not connected yet: not flowing
    pipeline.endpoint("k7b-carol-from-bob").events.mediaFlowOut("AUDIO", true); // not its way

    assertEquals(
        List.of(
            new ConferenceEvent.MediaFlowing("k7b", "alice", "publish"),
            new ConferenceEvent.MediaFlowing("k7b", "bob", "from-alice"),
            new ConferenceEvent.MediaFlowing("k7b", "carol", "from-alice")),
        eventsOf(ConferenceEvent.MediaFlowing.class));
    room.close();
  }

  // --- republish ---

  @Test
  void republishingTheSameKindsMovesTheOthersSessionsToANewEndpointWithoutNewOffers()
      throws Exception {
    Conference room = conference("k8", false, 6);
    room.join("alice", sdp("a"));
    room.join("bob", sdp("b"));
    room.join("carol", sdp("c"));
    answerAll(room);
    FakeKurento.Pipeline pipeline = kurento.conference("k8");
    int offers = eventsOf(ReceiveOffer.class).size();

    String answer = room.republish("alice", sdp("a-again"));

    assertTrue(answer.contains("s=kms-answer-for-k8-alice-publish-2"), answer);
    assertTrue(pipeline.endpoint("k8-alice-publish-2").ecdsa, "another fingerprint");
    assertTrue(pipeline.endpoint("k8-alice-publish").released);
    assertTrue(
        pipeline.links.containsAll(
            List.of(
                "k8-alice-publish-2 -> k8-bob-from-alice",
                "k8-alice-publish-2 -> k8-carol-from-alice")),
        pipeline.links.toString());
    assertEquals(offers, eventsOf(ReceiveOffer.class).size(), "the others renegotiate nothing");
    assertTrue(eventsOf(ConferenceEvent.SessionClosed.class).isEmpty());

    room.addCandidate("alice", Conference.PUBLISH, candidate("new"));
    assertEquals(1, pipeline.endpoint("k8-alice-publish-2").candidates.size());
    room.republish("alice", sdp("a-third"));
    assertFalse(pipeline.endpoint("k8-alice-publish-3").ecdsa, "and back");
    room.close();
  }

  @Test
  void republishingOtherKindsGivesTheOthersNewSessionsAndClosesTheOldOnes() throws Exception {
    Conference room = conference("k9", false, 6);
    room.join("alice", audioOnly("a"));
    room.join("bob", sdp("b"));
    answerAll(room);
    assertEquals(
        List.of(new StreamSource("0", "alice", "audio")), offerFor("bob", "from-alice").sources());
    FakeKurento.Pipeline pipeline = kurento.conference("k9");

    room.republish("alice", sdp("a-with-video"));

    ReceiveOffer renewed = offerFor("bob", "from-alice.2");
    assertEquals(
        List.of(new StreamSource("0", "alice", "audio"), new StreamSource("1", "alice", "video")),
        renewed.sources());
    assertTrue(events.contains(new ConferenceEvent.SessionClosed("k9", "bob", "from-alice")));
    assertTrue(pipeline.endpoint("k9-bob-from-alice").released);
    assertTrue(pipeline.links.contains("k9-alice-publish-2 -> k9-bob-from-alice.2"));
    room.answer("bob", "from-alice.2", sdp("bob-answer"));
    room.close();
  }

  @Test
  void aRefusedRepublishLeavesTheParticipantOnItsEndpoint() throws Exception {
    Conference room = conference("k10", false, 6);
    room.join("alice", sdp("a"));
    room.join("bob", sdp("b"));
    FakeKurento.Pipeline pipeline = kurento.conference("k10");
    kurento.failOn = "k10-alice-publish-2.processOffer a-again";

    assertThrows(MediaServerException.class, () -> room.republish("alice", sdp("a-again")));

    assertTrue(pipeline.endpoint("k10-alice-publish-2").released);
    assertFalse(pipeline.endpoint("k10-alice-publish").released);
    kurento.failOn = null;
    room.addCandidate("alice", Conference.PUBLISH, candidate("still"));
    assertEquals(1, pipeline.endpoint("k10-alice-publish").candidates.size(), "the old one");
    room.republish("alice", sdp("a-again"));
    assertTrue(pipeline.endpoint("k10-alice-publish").released);
    room.close();
  }

  // --- recording ---

  @Test
  void theRoomIsRecordedToOneFileWithAPartPerPublisherAndEveryonesAttendance() throws Exception {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    Conference room = conference("k11", true, 6);
    room.join("alice", sdp("a"));
    room.join("bob", sdp("b"));
    room.join("carol", sdp("c"));
    FakeKurento.Pipeline pipeline = kurento.conference("k11");
    for (String who : List.of("alice", "bob", "carol")) {
      pipeline.endpoint("k11-" + who + "-publish").events.mediaFlowOut("VIDEO", true);
    }
    assertTrue(
        pipeline.links.containsAll(
            List.of(
                "k11-out -> k11-recorder-room",
                "k11-alice-publish -> k11-in-alice",
                "k11-alice-publish -> k11-recorder-party.alice",
                "k11-carol-publish -> k11-in-carol")),
        pipeline.links.toString());

    room.leave("carol");
    assertTrue(kurento.log.contains("k11-recorder-party.carol.stop"), "her part ends as she left");
    assertTrue(
        pipeline.elements.get("k11-in-carol") instanceof FakeKurento.Element port && port.released,
        "her tile leaves the grid");

    room.stopRecording();

    var stopped = eventsOf(ConferenceEvent.RecordingStopped.class).get(0);
    assertEquals(Path.of("/var/lib/kurento/recordings/k11-room.webm"), stopped.file());
    assertEquals(
        List.of("k11-party.alice.webm", "k11-party.bob.webm", "k11-party.carol.webm"),
        stopped.parts().stream().map(p -> p.getFileName().toString()).toList());
    assertEquals(clock.instant(), stopped.startedAt());
    assertEquals(
        List.of("alice", "bob", "carol"),
        stopped.attendance().stream().map(ConferenceEvent.Attendance::participantId).toList());
    assertNull(stopped.attendance().get(0).leftAt());
    assertNotNull(stopped.attendance().get(2).leftAt(), "carol left");
    for (FakeKurento.Recorder recorder : pipeline.recorders()) {
      assertTrue(recorder.released, recorder.name + " released after Stopped");
      assertTrue(kurento.log.contains(recorder.name + ".stopped"), recorder.name);
    }
    assertTrue(((FakeKurento.Element) pipeline.elements.get("k11-composite")).released);
    room.stopRecording(); // nothing to stop
    room.close();
    assertEquals(1, eventsOf(ConferenceEvent.RecordingStopped.class).size(), "one outcome");
    assertTrue(events.get(events.size() - 1) instanceof ConferenceEvent.ConferenceReleased);
  }

  @Test
  void aSecondRecordingAndAPartPerRepublishGetNamesOfTheirOwn() throws Exception {
    Conference room = conference("k12", false, 6);
    room.join("alice", sdp("a"));
    room.startRecording();
    room.startRecording(); // no-op
    FakeKurento.Pipeline pipeline = kurento.conference("k12");
    pipeline.endpoint("k12-alice-publish").events.mediaFlowOut("AUDIO", true);
    room.republish("alice", sdp("a2"));
    pipeline.endpoint("k12-alice-publish-2").events.mediaFlowOut("AUDIO", true);
    assertTrue(pipeline.links.contains("k12-alice-publish-2 -> k12-in-alice"));
    room.stopRecording();
    room.startRecording();
    room.stopRecording();

    var outcomes = eventsOf(ConferenceEvent.RecordingStopped.class);
    assertEquals(2, outcomes.size(), events.toString());
    assertEquals(
        List.of("k12-party.alice.webm", "k12-party.alice.2.webm"),
        outcomes.get(0).parts().stream().map(p -> p.getFileName().toString()).toList());
    assertEquals("k12.r2-room.webm", outcomes.get(1).file().getFileName().toString());
    room.close();
  }

  @Test
  void aRecordingWithoutMediaOrWithARecorderThatNeverStopsFailsAndLeaksNothing() throws Exception {
    kurento.noMediaFor.add("-room");
    kurento.noMediaFor.add("party.alice");
    Conference silent = conference("k13", true, 6);
    silent.join("alice", sdp("a"));
    silent.close();
    var failed = eventsOf(ConferenceEvent.RecordingFailed.class);
    assertEquals(1, failed.size(), events.toString());
    assertTrue(failed.get(0).reason().contains("nothing was recorded"), failed.toString());

    server.close();
    events.clear();
    kurento.noMediaFor.clear();
    server = server(Map.of("recording-stop-timeout-ms", "200"));
    kurento.stopBehaviour = FakeKurento.StopBehaviour.NEVER;
    Conference stuck = conference("k14", true, 6);
    stuck.join("alice", sdp("a"));
    kurento.conference("k14").endpoint("k14-alice-publish").events.mediaFlowOut("AUDIO", true);
    FakeKurento.Pipeline pipeline = kurento.conference("k14");
    stuck.close();
    var late = eventsOf(ConferenceEvent.RecordingFailed.class);
    assertEquals(1, late.size(), events.toString());
    assertTrue(late.get(0).reason().contains("did not report Stopped"), late.toString());
    assertTrue(pipeline.recorders().stream().allMatch(r -> r.released), "released anyway");
  }

  // --- ends ---

  @Test
  void losingKurentoFailsEveryoneAndTheRecordingThenReleasesTheRoom() throws Exception {
    Conference room = conference("k15", true, 6);
    room.join("alice", sdp("a"));
    room.join("bob", sdp("b"));

    kurento.last().events.disconnected();

    assertEquals(
        Set.of("alice", "bob"),
        Set.copyOf(
            eventsOf(ConferenceEvent.ParticipantFailed.class).stream()
                .peek(f -> assertEquals("media-server-lost", f.reason()))
                .map(ConferenceEvent.ParticipantFailed::participantId)
                .toList()));
    assertEquals(1, eventsOf(ConferenceEvent.RecordingFailed.class).size());
    var released =
        assertInstanceOf(ConferenceEvent.ConferenceReleased.class, events.get(events.size() - 1));
    assertEquals("media-server-lost", released.reason());
    assertEquals(0, server.openConferences());
    assertThrows(IllegalStateException.class, () -> room.join("carol", sdp("c")));
    room.close(); // idempotent: nothing more
    assertEquals(1, eventsOf(ConferenceEvent.ConferenceReleased.class).size());
    assertTrue(
        kurento.log.stream().noneMatch(s -> s.startsWith("release")),
        "nothing asked of a lost KMS (its garbage collector releases the session's objects)");
    synchronized (kurento) {
      kurento.last().pipelines.clear(); // as KMS's garbage collector does
    }
  }

  @Test
  void everyExitReleasesEverythingOnceAndOpenConferencesGoesBackToZero() throws Exception {
    // closed by the application, emptied first, shut down, refused at creation, one id twice
    Conference closed = conference("k16", true, 6);
    closed.join("alice", sdp("a"));
    closed.join("bob", sdp("b"));
    answerAll(closed);
    Conference emptied = conference("k17", false, 6);
    emptied.join("alice", sdp("a"));
    emptied.leave("alice");
    Conference atShutdown = conference("k18", false, 6);
    atShutdown.join("alice", sdp("a"));
    kurento.failOn = "createComposite k19-composite";
    assertThrows(MediaServerException.class, () -> conference("k19", true, 6));
    kurento.failOn = null;
    assertThrows(MediaServerException.class, () -> conference("k17", false, 6));
    assertEquals(3, server.openConferences());

    closed.close();
    closed.close();
    emptied.close();
    server.close();
    server.close();

    assertEquals(0, server.openConferences());
    assertEquals(0, kurento.livePipelines());
    for (String id : List.of("k16", "k17", "k18")) {
      assertEquals(
          1,
          eventsOf(ConferenceEvent.ConferenceReleased.class).stream()
              .filter(r -> r.conferenceId().equals(id))
              .count(),
          id + " released once");
    }
    assertTrue(
        kurento.log.stream().filter(s -> s.startsWith("release pipeline")).count() >= 4,
        kurento.log.toString());
    assertEquals(
        "shutdown",
        eventsOf(ConferenceEvent.ConferenceReleased.class).stream()
            .filter(r -> r.conferenceId().equals("k18"))
            .findFirst()
            .orElseThrow()
            .reason());
    assertThrows(IllegalStateException.class, () -> atShutdown.join("bob", sdp("b")));
  }
}
