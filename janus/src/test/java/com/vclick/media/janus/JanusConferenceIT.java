package com.vclick.media.janus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.vclick.media.api.ConferenceEvent;
import com.vclick.media.api.ConferenceRequest;
import com.vclick.media.api.ReleaseReason;
import com.vclick.media.api.contract.ConferenceEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JanusConference} against the real Janus of the test profile ({@code
 * VCLICK_MEDIA_JANUS_URL}, {@code VCLICK_MEDIA_JANUS_API_SECRET}; it fails without them, it never
 * skips), with canned Chromium offers: rooms created and destroyed, three participants publishing
 * (Janus answers each), republishing, leaving, recording requests, and twenty conferences leaving
 * no room and no handle behind. No PeerConnection comes up with canned SDPs, so Janus announces no
 * feed and refuses subscriptions to them: the receive sessions (subscriber {@code join}/{@code
 * update}) are checked by the contract on {@link FakeVideoRoom} and need real browsers here (see
 * janus/README.md).
 */
class JanusConferenceIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static String url;
  private static String secret;

  @TempDir Path recordings;

  private JanusMediaServer server;
  private VideoRoomProbe probe;

  @BeforeAll
  static void environment() {
    url = System.getenv("VCLICK_MEDIA_JANUS_URL");
    secret = System.getenv("VCLICK_MEDIA_JANUS_API_SECRET");
    if (url == null || url.isBlank() || secret == null || secret.isBlank()) {
      fail(
          "VCLICK_MEDIA_JANUS_URL and VCLICK_MEDIA_JANUS_API_SECRET must name the test profile's"
              + " running Janus (./vclick test exports them); this test does not skip");
    }
  }

  @BeforeEach
  void start() throws Exception {
    server =
        (JanusMediaServer)
            new JanusMediaServerProvider()
                .create(
                    Map.of(
                        "url", url, "api-secret", secret, "recordings-dir", recordings.toString()));
    assertTrue(server.probe().reachable(), "Janus answers " + url + "/info");
    probe = new VideoRoomProbe(url, secret);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    probe.close();
  }

  private static String id() {
    return "it-" + UUID.randomUUID().toString().substring(0, 13);
  }

  @Test
  void threeParticipantsPublishRepublishLeaveAndTheRoomIsDestroyed() throws Exception {
    var events = new ConferenceEvents();
    var conference =
        (JanusConference) server.createConference(new ConferenceRequest(id(), false, 6), events);
    long room = conference.room();
    assertTrue(probe.exists(room), "Janus created room " + room);

    List<String> answers = new ArrayList<>();
    for (String participant : List.of("alice", "bob", "carol")) {
      answers.add(conference.join(participant, JanusProxiedCallTest.OFFER));
    }
    for (String answer : answers) {
      assertTrue(
          answer.startsWith("v=0") && answer.contains("m=audio") && answer.contains("m=video"));
      assertTrue(answer.contains("a=recvonly"), "Janus receives what the participant sends");
      assertFalse(
          answer.contains(
              JanusProxiedCallTest.OFFER
                  .lines()
                  .filter(l -> l.startsWith("a=fingerprint"))
                  .findFirst()
                  .orElseThrow()),
          "Janus' own DTLS fingerprint");
    }
    assertEquals(Set.of("alice", "bob", "carol"), conference.participants());
    assertEquals(Set.of("alice", "bob", "carol"), Set.copyOf(probe.participants(room)));

    String again = conference.republish("alice", JanusProxiedCallTest.RESTART_OFFER);
    assertNotEquals(
        ufrag(answers.get(0)), ufrag(again), "the ICE restart answered with new credentials");

    conference.leave("bob");
    assertEquals(Set.of("alice", "carol"), Set.copyOf(probe.participants(room)));

    conference.close();
    var released = events.await(ConferenceEvent.ConferenceReleased.class, e -> true, WAIT);
    assertEquals(ReleaseReason.CLOSED.wire(), released.reason());
    assertFalse(probe.exists(room), "Janus destroyed room " + room);
    assertTrue(
        events.all(ConferenceEvent.ReceiveOffer.class).isEmpty(),
        "no feed is active without a PeerConnection: nothing offered " + events.all());
    assertEquals(0, server.handles(), "every handle detached");
  }

  @Test
  void aRecordedRoomWithoutMediaReportsNothingRecordedOnceBeforeItsRelease() throws Exception {
    var events = new ConferenceEvents();
    var conference = server.createConference(new ConferenceRequest(id(), true, 6), events);
    conference.join("alice", JanusProxiedCallTest.OFFER); // joinandconfigure with record/filename
    conference.join("bob", JanusProxiedCallTest.OFFER);
    conference.close();
    var released = events.await(ConferenceEvent.ConferenceReleased.class, e -> true, WAIT);
    List<ConferenceEvent> all = events.all();
    var failed = events.all(ConferenceEvent.RecordingFailed.class);
    assertEquals(1, failed.size(), "exactly one outcome: " + all);
    assertTrue(failed.get(0).reason().contains("no media was recorded"), failed.get(0).reason());
    assertTrue(all.indexOf(failed.get(0)) < all.indexOf(released));
  }

  @Test
  void twentyConferencesLeaveNoRoomAndNoHandleBehind() throws Exception {
    List<Long> rooms = new ArrayList<>();
    List<ConferenceEvents> listeners = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      var events = new ConferenceEvents();
      var conference =
          (JanusConference) server.createConference(new ConferenceRequest(id(), false, 3), events);
      rooms.add(conference.room());
      listeners.add(events);
      for (String participant : List.of("alice", "bob", "carol")) {
        conference.join(participant, JanusProxiedCallTest.OFFER);
      }
      if (i % 2 == 0) {
        conference.leave("bob");
      }
      conference.close();
    }
    for (ConferenceEvents events : listeners) {
      events.await(ConferenceEvent.ConferenceReleased.class, e -> true, WAIT);
    }
    assertEquals(0, server.openConferences());
    assertEquals(0, server.handles(), "every handle detached");
    for (long room : rooms) {
      assertFalse(probe.exists(room), "room " + room + " destroyed");
    }
  }

  /**
   * The subscriber requests {@link JanusConference} sends, as it sends them ({@link
   * VideoRoomRequests}), against the real VideoRoom: a room with Janus' dummy publisher (a feed
   * Janus counts as active without a PeerConnection) stands in for a participant whose media is up.
   */
  @Test
  void subscriberJoinStartAndUpdateAreAcceptedAsTheAdapterSendsThem() throws Exception {
    JanusSettings settings = JanusSettings.from(Map.of("url", url, "api-secret", secret));
    var scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    JanusSession session =
        JanusSession.create(
            new JanusApi(
                settings,
                java.net.http.HttpClient.newHttpClient(),
                jakarta.json.spi.JsonProvider.provider()),
            settings,
            scheduler,
            lost -> {});
    try {
      var janus = new VideoRoomRequests(session);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      long admin = janus.attach(e -> {});
      long room =
          VideoRoomRequests.number(
              janus.sync(
                  admin,
                  "create",
                  janus
                      .object()
                      .add("request", "create")
                      .add("is_private", true)
                      .add("dummy_publisher", true)
                      .build()),
              "room");
      long publisher = janus.attach(e -> {});
      var joined =
          VideoCallHandles.pluginData(
              janus.request(
                  publisher,
                  "join",
                  janus
                      .object()
                      .add("request", "join")
                      .add("room", room)
                      .add("ptype", "publisher")
                      .add("display", "watcher")
                      .build(),
                  null,
                  deadline));
      long dummy =
          joined.getJsonArray("publishers").getJsonObject(0).getJsonNumber("id").longValue();
      List<RoomFeeds.FeedStream> streams =
          RoomFeeds.streams(
              dummy, joined.getJsonArray("publishers").getJsonObject(0).getJsonArray("streams"));
      RoomFeeds.FeedStream audio =
          streams.stream().filter(f -> f.type().equals("audio")).findFirst().orElseThrow();
      RoomFeeds.FeedStream video =
          streams.stream().filter(f -> f.type().equals("video")).findFirst().orElseThrow();

      long handle = janus.attach(e -> {});
      var attached =
          janus.request(
              handle,
              "join (subscriber)",
              janus
                  .object()
                  .add("request", "join")
                  .add("room", room)
                  .add("ptype", "subscriber")
                  .add("autoupdate", false)
                  .add(
                      "streams",
                      janus.array().add(janus.object().add("feed", dummy).add("mid", audio.mid())))
                  .build(),
              null,
              deadline);
      var subscription = new ConferenceSubscription("receive-1", handle);
      subscription.described(VideoCallHandles.pluginData(attached).getJsonArray("streams"));
      assertEquals(1, subscription.active().size());
      assertTrue(subscription.carries(audio));
      String offer = VideoRoomRequests.sdp(attached, "offer", "attached");
      janus.request(
          handle,
          "start",
          janus.object().add("request", "start").build(),
          janus.jsep("answer", ReceiveAnswers.answer(offer)),
          deadline);

      String audioMid = subscription.active().get(0).mid();
      var updated =
          janus.request(
              handle,
              "update",
              janus
                  .object()
                  .add("request", "update")
                  .add(
                      "subscribe",
                      janus.array().add(janus.object().add("feed", dummy).add("mid", video.mid())))
                  .add("unsubscribe", janus.array().add(janus.object().add("sub_mid", audioMid)))
                  .build(),
              null,
              deadline);
      assertEquals("updated", VideoRoomRequests.kind(updated));
      String next = VideoRoomRequests.sdp(updated, "offer", "updated");
      subscription.described(VideoCallHandles.pluginData(updated).getJsonArray("streams"));
      assertEquals(1, subscription.active().size(), "audio out, video in");
      assertTrue(subscription.carries(video));
      assertFalse(subscription.carries(audio));
      assertTrue(next.contains("a=mid:" + audioMid), "the audio section stays, inactive");
      janus.request(
          handle,
          "start",
          janus.object().add("request", "start").build(),
          janus.jsep("answer", ReceiveAnswers.answer(next)),
          deadline);

      janus.sync(
          admin, "destroy", janus.object().add("request", "destroy").add("room", room).build());
      assertFalse(probe.exists(room));
    } finally {
      session.destroy();
      scheduler.shutdownNow();
    }
  }

  private static String ufrag(String sdp) {
    return sdp.lines().filter(l -> l.startsWith("a=ice-ufrag:")).findFirst().orElseThrow();
  }
}
