package com.vclick.media.janus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.media.api.Conference;
import com.vclick.media.api.ConferenceEvent;
import com.vclick.media.api.ConferenceEvent.ReceiveOffer;
import com.vclick.media.api.ConferenceEvent.StreamSource;
import com.vclick.media.api.ConferenceRequest;
import com.vclick.media.api.MediaServerException;
import com.vclick.media.api.ReleaseReason;
import com.vclick.media.api.contract.ConferenceEvents;
import jakarta.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a {@link JanusConference} drives the VideoRoom plugin ({@link FakeVideoRoom}). */
class JanusConferenceTest {

  private static final String SECRET = "conference-secret-0123456789";
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** The canned Chromium offer without its video section: a participant with its camera off. */
  private static final String AUDIO_ONLY =
      JanusProxiedCallTest.OFFER
          .substring(0, JanusProxiedCallTest.OFFER.indexOf("m=video"))
          .replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0");

  @TempDir Path recordings;

  private FakeJanus janus;
  private JanusMediaServer server;
  private final List<ConferenceTake> composed = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    janus = new FakeJanus(SECRET);
    server = server(Map.of("recordings-dir", recordings.toString()));
  }

  private JanusMediaServer server(Map<String, String> more) {
    Map<String, String> settings = new HashMap<>(more);
    settings.put("url", janus.url());
    settings.put("api-secret", SECRET);
    // generous: the in-process fake answers in ms, yet on a loaded machine (load average 30 on 2
    // cores) a session's create once waited more than 3 s
    settings.put("timeout-ms", "10000");
    ConferenceComposer composer =
        take -> {
          composed.add(take);
          Files.writeString(take.output(), "mkv");
          return new ConferenceComposer.Composed(take.output(), List.of());
        };
    return new JanusMediaServer(JanusSettings.from(settings), Clock.systemUTC(), null, composer);
  }

  @AfterEach
  void stop() {
    server.close();
    janus.close();
  }

  private record Open(JanusConference conference, ConferenceEvents events) {}

  private Open open(boolean recorded) throws MediaServerException {
    var events = new ConferenceEvents();
    var conference =
        (JanusConference)
            server.createConference(new ConferenceRequest("conf-1", recorded, 6), events);
    return new Open(conference, events);
  }

  /** Waits for the next offer to {@code participant} after event {@code from} and answers it. */
  private ReceiveOffer answerNext(Open open, String participant, int from) throws Exception {
    ReceiveOffer offer =
        open.events.await(
            ReceiveOffer.class, o -> o.participantId().equals(participant), WAIT, from);
    open.conference.answer(participant, offer.sessionId(), ReceiveAnswers.answer(offer.sdp()));
    return offer;
  }

  private static Map<String, String> sources(ReceiveOffer offer) {
    return offer.sources().stream()
        .collect(
            Collectors.groupingBy(
                StreamSource::publisherId,
                java.util.TreeMap::new,
                Collectors.mapping(StreamSource::kind, Collectors.joining(","))))
        .entrySet()
        .stream()
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  @Test
  void aRoomIsCreatedWithASecretAndDestroyedOnClose() throws Exception {
    Open open = open(false);
    long room = open.conference.room();
    FakeVideoRoom.Room created = janus.videoRoom.rooms.get(room);
    assertNotNull(created, "the room exists in Janus");
    assertNotNull(created.secret, "the room has a secret");
    assertEquals(1, server.openConferences());
    open.conference.join("alice", JanusProxiedCallTest.OFFER);
    open.conference.close();
    assertEquals(List.of(room), janus.videoRoom.destroyed);
    assertEquals(0, janus.handleCount());
    assertEquals(0, server.openConferences());
    assertEquals(
        ReleaseReason.CLOSED.wire(),
        open.events.await(ConferenceEvent.ConferenceReleased.class, e -> true, WAIT).reason());
  }

  @Test
  void joinsAndLeavesUpdateTheSameReceiveSessionWithItsSources() throws Exception {
    Open open = open(false);
    open.conference.join("alice", JanusProxiedCallTest.OFFER);
    open.conference.join("bob", JanusProxiedCallTest.OFFER);
    ReceiveOffer first = answerNext(open, "alice", 0);
    assertEquals(Map.of("bob", "audio,video"), sources(first));
    answerNext(open, "bob", 0);

    int mark = open.events.size();
    open.conference.join("carol", JanusProxiedCallTest.OFFER);
    ReceiveOffer second = answerNext(open, "alice", mark);
    assertEquals(first.sessionId(), second.sessionId(), "the same receive session, offered again");
    assertEquals(Map.of("bob", "audio,video", "carol", "audio,video"), sources(second));
    assertTrue(janus.count("message:update") >= 1, "Janus asked to update: " + janus.log());

    mark = open.events.size();
    open.conference.leave("bob");
    ReceiveOffer third = answerNext(open, "alice", mark);
    assertEquals(first.sessionId(), third.sessionId());
    assertEquals(Map.of("carol", "audio,video"), sources(third));
    for (String mid : List.of(first.sources().get(0).mid(), first.sources().get(1).mid())) {
      assertTrue(third.sdp().contains("a=mid:" + mid), "bob's sections stay (inactive) in the SDP");
    }
  }

  @Test
  void aCameraTurnedOnLaterIsSubscribedToByTheOthers() throws Exception {
    Open open = open(false);
    open.conference.join("alice", AUDIO_ONLY);
    open.conference.join("bob", JanusProxiedCallTest.OFFER);
    ReceiveOffer audioOnly = answerNext(open, "bob", 0);
    assertEquals(Map.of("alice", "audio"), sources(audioOnly));

    int mark = open.events.size();
    String answer = open.conference.republish("alice", JanusProxiedCallTest.RESTART_OFFER);
    assertTrue(answer.contains("m=video"), "Janus answers the new video section");
    ReceiveOffer withVideo = answerNext(open, "bob", mark);
    assertEquals(audioOnly.sessionId(), withVideo.sessionId());
    assertEquals(Map.of("alice", "audio,video"), sources(withVideo));
  }

  @Test
  void theLastOtherLeavingClosesTheReceiveSession() throws Exception {
    Open open = open(false);
    open.conference.join("alice", JanusProxiedCallTest.OFFER);
    open.conference.join("bob", JanusProxiedCallTest.OFFER);
    ReceiveOffer offer = answerNext(open, "alice", 0);
    open.conference.leave("bob");
    var closed =
        open.events.await(
            ConferenceEvent.SessionClosed.class, e -> e.participantId().equals("alice"), WAIT);
    assertEquals(offer.sessionId(), closed.sessionId());
    assertEquals(2, janus.handleCount(), "the room's handle and alice's publisher only");
  }

  @Test
  void janusHangingUpOnAParticipantIsItsFailure() throws Exception {
    Open open = open(false);
    open.conference.join("alice", JanusProxiedCallTest.OFFER);
    open.conference.join("bob", JanusProxiedCallTest.OFFER);
    answerNext(open, "alice", 0);
    janus.push(
        open.conference.publisherHandle("bob"),
        Json.createObjectBuilder().add("janus", "hangup").add("reason", "ICE failed"));
    var failed = open.events.await(ConferenceEvent.ParticipantFailed.class, e -> true, WAIT);
    assertEquals("bob", failed.participantId());
    assertTrue(failed.reason().contains("ICE failed"), failed.reason());
    assertEquals(Set.of("alice"), open.conference.participants());
    open.events.await(
        ConferenceEvent.SessionClosed.class, e -> e.participantId().equals("alice"), WAIT);
  }

  @Test
  void mediaUpOnEachHandleIsReportedOncePerSession() throws Exception {
    Open open = open(false);
    open.conference.join("alice", JanusProxiedCallTest.OFFER);
    open.conference.join("bob", JanusProxiedCallTest.OFFER);
    ReceiveOffer offer = answerNext(open, "alice", 0);
    open.events.await(
        ConferenceEvent.MediaFlowing.class,
        e -> e.participantId().equals("alice") && e.sessionId().equals(Conference.PUBLISH),
        WAIT);
    open.events.await(
        ConferenceEvent.MediaFlowing.class,
        e -> e.participantId().equals("alice") && e.sessionId().equals(offer.sessionId()),
        WAIT);
    janus.push(
        open.conference.publisherHandle("alice"),
        Json.createObjectBuilder()
            .add("janus", "media")
            .add("type", "audio")
            .add("receiving", true));
    open.events.assertNone(e -> false, Duration.ofMillis(300));
    assertEquals(
        1,
        open.events.all(ConferenceEvent.MediaFlowing.class).stream()
            .filter(
                m -> m.participantId().equals("alice") && m.sessionId().equals(Conference.PUBLISH))
            .count(),
        "once: " + open.events.all());
  }

  @Test
  void aLostSessionFailsEveryoneAndReleasesTheConference() throws Exception {
    Open open = open(false);
    open.conference.join("alice", JanusProxiedCallTest.OFFER);
    janus.restart();
    var released =
        open.events.await(
            ConferenceEvent.ConferenceReleased.class, e -> true, Duration.ofSeconds(20));
    assertEquals(ReleaseReason.MEDIA_SERVER_LOST.wire(), released.reason());
    assertEquals(
        "alice",
        open.events
            .await(ConferenceEvent.ParticipantFailed.class, e -> true, WAIT)
            .participantId());
    assertEquals(0, server.openConferences());
  }

  @Test
  void aRecordedRoomRecordsEveryStintAndComposesThemWithTheAttendance() throws Exception {
    Open open = open(true);
    open.conference.join("alice", JanusProxiedCallTest.OFFER);
    open.conference.join("bob", JanusProxiedCallTest.OFFER);
    answerNext(open, "alice", 0);
    open.conference.leave("bob");
    open.conference.join("bob", JanusProxiedCallTest.OFFER); // back: a second stint
    open.conference.close();
    var stopped = open.events.await(ConferenceEvent.RecordingStopped.class, e -> true, WAIT);
    assertEquals(1, composed.size());
    ConferenceTake take = composed.get(0);
    assertEquals(
        List.of("alice", "bob", "bob"),
        take.stints().stream().map(ConferenceTake.Stint::participantId).toList());
    assertEquals(3, take.stints().stream().map(ConferenceTake.Stint::janusBase).distinct().count());
    for (ConferenceTake.Stint stint : take.stints()) {
      assertTrue(stint.janusBase().startsWith(recordings.toString()), stint.janusBase());
      assertTrue(
          Files.exists(Path.of(stint.janusBase() + "-audio-0.mjr")),
          "Janus was asked to record " + stint.janusBase());
    }
    assertEquals(3, stopped.attendance().size());
    assertNotNull(stopped.attendance().get(1).leftAt(), "bob's first stint ended");
    assertNull(stopped.attendance().get(2).leftAt(), "bob was back as it stopped");
    assertEquals(take.output(), stopped.file());
    List<ConferenceEvent> all = open.events.all();
    assertTrue(
        all.indexOf(stopped)
            < all.indexOf(
                open.events.await(ConferenceEvent.ConferenceReleased.class, e -> true, WAIT)));
  }

  @Test
  void recordingStartedLaterAsksEveryPublisherAndStopsThemAll() throws Exception {
    Open open = open(false);
    open.conference.join("alice", JanusProxiedCallTest.OFFER);
    open.conference.join("bob", JanusProxiedCallTest.OFFER);
    open.conference.startRecording();
    List<String> asked = new CopyOnWriteArrayList<>();
    janus.videoRoom.forEachPublisher(p -> asked.addAll(p.recordings));
    assertEquals(2, asked.size(), "record:true with a filename on both publishers: " + asked);
    open.conference.stopRecording();
    List<String> after = new CopyOnWriteArrayList<>();
    janus.videoRoom.forEachPublisher(p -> after.addAll(p.recordings));
    assertEquals(2, after.stream().filter("stop"::equals).count(), "record:false on both");
    open.events.await(ConferenceEvent.RecordingStopped.class, e -> true, WAIT);
    assertFalse(Files.list(recordings).noneMatch(f -> f.toString().endsWith(".mkv")));
  }

  @Test
  void withoutARecordingsFolderARecordedRoomReportsItsRecordingFailed() throws Exception {
    server.close();
    server = server(Map.of());
    Open open = open(true);
    var failed = open.events.await(ConferenceEvent.RecordingFailed.class, e -> true, WAIT);
    assertTrue(failed.reason().contains("recordings-dir"), failed.reason());
    assertThrows(MediaServerException.class, () -> open.conference.startRecording());
  }
}
