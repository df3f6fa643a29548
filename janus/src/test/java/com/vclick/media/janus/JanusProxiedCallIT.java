package com.vclick.media.janus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.Leg;
import com.vclick.media.api.MediaEvent;
import com.vclick.media.api.ProxiedCallRequest;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adapter against the real Janus of the test profile ({@code ./vclick test} starts it and
 * exports {@code VCLICK_MEDIA_JANUS_URL} and {@code VCLICK_MEDIA_JANUS_API_SECRET}). Canned
 * Chromium SDPs (src/test/resources/sdp): signalling, handles and recording files only; media flow
 * is proven by the browser end-to-end tests.
 */
class JanusProxiedCallIT {

  private static String url;
  private static String secret;

  @TempDir Path recordings;

  private JanusMediaServer server;
  private final HttpClient http = HttpClient.newHttpClient();

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
  void start() {
    Map<String, String> settings = new HashMap<>();
    settings.put("url", url);
    settings.put("api-secret", secret);
    settings.put("recordings-dir", recordings.toString());
    server = (JanusMediaServer) new JanusMediaServerProvider().create(settings);
    assertTrue(server.probe().reachable(), "Janus answers " + url + "/info");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static String id() {
    return "it-" + UUID.randomUUID();
  }

  private static String line(String sdp, String prefix) {
    return sdp.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("(no " + prefix + ")");
  }

  private static void assertRelayable(String sdp) {
    assertTrue(sdp.contains("a=rtpmap:111 opus/48000/2"), "Opus");
    assertTrue(sdp.contains("VP8/90000"), "VP8");
    assertTrue(sdp.contains("a=group:BUNDLE 0 1"), "BUNDLE");
    assertTrue(sdp.contains("a=rtcp-mux"), "rtcp-mux");
    assertTrue(sdp.contains("a=ice-ufrag:"), "ICE credentials");
  }

  @Test
  void enterpriseOffersAndJanusAnswersForItself() throws Exception {
    var events = new RecordedEvents();
    try (var call =
        (JanusProxiedCall) server.createProxiedCall(new ProxiedCallRequest(id(), false), events)) {
      String toFarEnd = call.offer(Leg.ENTERPRISE, JanusProxiedCallTest.OFFER);
      assertRelayable(toFarEnd);
      String janusFingerprint = line(toFarEnd, "a=fingerprint:");
      assertNotEquals(line(JanusProxiedCallTest.OFFER, "a=fingerprint:"), janusFingerprint);
      assertTrue(toFarEnd.contains("a=setup:actpass"), "Janus offers toward the far end");

      String toEnterprise = call.answer(Leg.FAR_END, JanusProxiedCallTest.ANSWER);
      assertRelayable(toEnterprise);
      assertNotEquals(
          line(JanusProxiedCallTest.ANSWER, "a=fingerprint:"),
          line(toEnterprise, "a=fingerprint:"));
      assertEquals(janusFingerprint, line(toEnterprise, "a=fingerprint:"), "one Janus certificate");
      assertNotEquals(
          line(toFarEnd, "a=ice-ufrag:"),
          line(toEnterprise, "a=ice-ufrag:"),
          "two separate ICE sessions: one per leg");
    }
    events.next(MediaEvent.CallReleased.class);
  }

  @Test
  void farEndOffersAndTheEnterpriseAnswers() throws Exception {
    try (var call =
        server.createProxiedCall(new ProxiedCallRequest(id(), false), new RecordedEvents())) {
      String toEnterprise = call.offer(Leg.FAR_END, JanusProxiedCallTest.OFFER);
      assertRelayable(toEnterprise);
      assertNotEquals(
          line(JanusProxiedCallTest.OFFER, "a=fingerprint:"), line(toEnterprise, "a=fingerprint:"));
      String toFarEnd = call.answer(Leg.ENTERPRISE, JanusProxiedCallTest.ANSWER);
      assertRelayable(toFarEnd);
      assertNotEquals(
          line(JanusProxiedCallTest.ANSWER, "a=fingerprint:"), line(toFarEnd, "a=fingerprint:"));
    }
  }

  @Test
  void renegotiationWithIceRestartRestartsOnlyTheOfferingLeg() throws Exception {
    try (var call =
        server.createProxiedCall(new ProxiedCallRequest(id(), false), new RecordedEvents())) {
      call.addCandidate(
          Leg.ENTERPRISE,
          new IceCandidate("candidate:1 1 udp 2122260223 127.0.0.1 9 typ host", "0", 0));
      call.addCandidate(Leg.ENTERPRISE, new IceCandidate("", "0", 0));
      String firstOffer = call.offer(Leg.ENTERPRISE, JanusProxiedCallTest.OFFER);
      String firstAnswer = call.answer(Leg.FAR_END, JanusProxiedCallTest.ANSWER);

      // The enterprise browser restarts ICE (new ufrag/pwd in its offer): a second round.
      String secondOffer = call.offer(Leg.ENTERPRISE, JanusProxiedCallTest.RESTART_OFFER);
      assertRelayable(secondOffer);
      assertEquals(
          line(firstOffer, "a=ice-ufrag:"),
          line(secondOffer, "a=ice-ufrag:"),
          "toward the far end Janus keeps its ICE credentials (no restart there)");
      String secondAnswer = call.answer(Leg.FAR_END, JanusProxiedCallTest.RESTART_ANSWER);
      assertRelayable(secondAnswer);
      assertNotEquals(
          line(firstAnswer, "a=ice-ufrag:"),
          line(secondAnswer, "a=ice-ufrag:"),
          "toward the enterprise Janus restarted ICE");

      // And the far end may renegotiate too.
      String third = call.offer(Leg.FAR_END, JanusProxiedCallTest.RESTART_OFFER);
      assertRelayable(third);
      assertRelayable(call.answer(Leg.ENTERPRISE, JanusProxiedCallTest.RESTART_ANSWER));
    }
  }

  /**
   * An in-band data channel is negotiated through VideoCall, whichever leg offers it: Janus offers
   * the other leg an {@code m=application} section of its own and accepts the offerer's. (Whether
   * messages pass depends on both browsers, see README "Data channels"; that needs real browsers.)
   */
  @Test
  void aDataChannelIsNegotiatedOnBothLegs() throws Exception {
    for (Leg offering : Leg.values()) {
      try (var call =
          server.createProxiedCall(new ProxiedCallRequest(id(), false), new RecordedEvents())) {
        String forOther = call.offer(offering, JanusProxiedCallTest.DATA_OFFER);
        assertDataSection(forOther, "Janus' offer for " + offering.other());
        String forOfferer = call.answer(offering.other(), JanusProxiedCallTest.DATA_ANSWER);
        assertDataSection(forOfferer, "Janus' answer for " + offering);
      }
    }
  }

  private static void assertDataSection(String sdp, String what) {
    String section = line(sdp, "m=application ");
    assertTrue(section.endsWith(" UDP/DTLS/SCTP webrtc-datachannel"), what + ": " + section);
    assertFalse(section.startsWith("m=application 0 "), what + " accepts the data channel");
    assertTrue(sdp.contains("a=sctp-port:"), what + " names its SCTP port");
  }

  @Test
  void closeReleasesBothHandlesAndUsernames() throws Exception {
    var events = new RecordedEvents();
    var call =
        (JanusProxiedCall) server.createProxiedCall(new ProxiedCallRequest(id(), false), events);
    call.offer(Leg.ENTERPRISE, JanusProxiedCallTest.OFFER);
    call.answer(Leg.FAR_END, JanusProxiedCallTest.ANSWER);
    long session = server.sessionId();
    List<String> names = List.of(call.username(Leg.ENTERPRISE), call.username(Leg.FAR_END));
    assertTrue(registered().containsAll(names));

    call.close();
    call.close();

    assertEquals("closed", events.next(MediaEvent.CallReleased.class).reason());
    assertEquals(0, server.openCalls());
    assertTrue(registered().stream().noneMatch(names::contains), "usernames released");
    assertEquals(
        JanusException.HANDLE_NOT_FOUND,
        errorOf("/" + session + "/" + call.handle(Leg.ENTERPRISE), "detach"));
    assertEquals(
        JanusException.HANDLE_NOT_FOUND,
        errorOf("/" + session + "/" + call.handle(Leg.FAR_END), "detach"));
  }

  @Test
  void twentyCallsLeaveNoHandleNorSession() throws Exception {
    List<String> names = new ArrayList<>();
    List<Long> handles = new ArrayList<>();
    var events = new RecordedEvents();
    for (int i = 0; i < 20; i++) {
      try (var call =
          (JanusProxiedCall)
              server.createProxiedCall(new ProxiedCallRequest(id(), false), events)) {
        Leg offering = i % 2 == 0 ? Leg.ENTERPRISE : Leg.FAR_END;
        call.offer(offering, JanusProxiedCallTest.OFFER);
        call.answer(offering.other(), JanusProxiedCallTest.ANSWER);
        names.add(call.username(Leg.ENTERPRISE));
        names.add(call.username(Leg.FAR_END));
        handles.add(call.handle(Leg.ENTERPRISE));
        handles.add(call.handle(Leg.FAR_END));
      }
    }
    assertEquals(0, server.openCalls());
    long session = server.sessionId();
    for (long handle : handles) {
      assertEquals(
          JanusException.HANDLE_NOT_FOUND, errorOf("/" + session + "/" + handle, "detach"));
    }
    assertTrue(registered().stream().noneMatch(names::contains), "every username released");
    server.close();
    assertEquals(
        JanusException.SESSION_NOT_FOUND, errorOf("/" + session, "keepalive"), "session destroyed");
    assertEquals(20, events.all(MediaEvent.CallReleased.class).size());
  }

  @Test
  void aSessionJanusForgotFailsItsCallsAndTheNextCallGetsANewOne() throws Exception {
    // A destroyed session's long poll only ends with Janus' 30 s keepalive; the adapter's own
    // keepalive notices sooner (a restarted Janus resets the poll's connection at once).
    server.close();
    server =
        (JanusMediaServer)
            new JanusMediaServerProvider()
                .create(Map.of("url", url, "api-secret", secret, "keepalive-ms", "300"));
    var events = new RecordedEvents();
    var call = server.createProxiedCall(new ProxiedCallRequest(id(), false), events);
    call.offer(Leg.FAR_END, JanusProxiedCallTest.OFFER);
    call.answer(Leg.ENTERPRISE, JanusProxiedCallTest.ANSWER);
    long lost = server.sessionId();

    // As after a Janus restart: the session is gone behind the adapter's back.
    assertEquals(0, errorOf("/" + lost, "destroy"));

    assertEquals("media-server-lost", events.next(MediaEvent.CallReleased.class).reason());
    assertEquals(2, events.all(MediaEvent.LegFailed.class).size());
    assertEquals(0, server.openCalls());
    call.close(); // harmless

    try (var next =
        server.createProxiedCall(new ProxiedCallRequest(id(), false), new RecordedEvents())) {
      assertNotEquals(lost, server.sessionId());
      assertRelayable(next.offer(Leg.ENTERPRISE, JanusProxiedCallTest.OFFER));
    }
  }

  @Test
  void recordingMakesJanusWriteEachPartysFiles() throws Exception {
    var events = new RecordedEvents();
    String callId = id();
    try (var call = server.createProxiedCall(new ProxiedCallRequest(callId, true), events)) {
      call.offer(Leg.ENTERPRISE, JanusProxiedCallTest.OFFER);
      call.answer(Leg.FAR_END, JanusProxiedCallTest.ANSWER);
      List<String> files;
      try (var list = Files.list(recordings)) {
        files = list.map(p -> p.getFileName().toString()).sorted().toList();
      }
      assertEquals(4, files.size(), "audio and video of each party: " + files);
      for (String party : List.of("enterprise", "far-end")) {
        for (String kind : List.of("audio", "video")) {
          assertTrue(
              files.stream()
                  .anyMatch(
                      f -> f.startsWith(callId) && f.endsWith("-" + party + "-" + kind + ".mjr")),
              files.toString());
        }
      }
    }
    // No browser sent media: the files hold no packet, so there is nothing to convert.
    assertTrue(
        events.next(MediaEvent.RecordingFailed.class).reason().contains("no media was recorded"));
    events.next(MediaEvent.CallReleased.class);
    try (var list = Files.list(recordings)) {
      assertEquals(4, list.filter(p -> p.toString().endsWith(".mjr")).count(), "kept as evidence");
    }
  }

  /**
   * VideoCall creates recorders only for the kinds of media the call has when recording starts: an
   * audio call that adds video records on into a new segment, where Janus writes each party's video
   * too; both segments become one recording.
   */
  @Test
  void aRoundThatAddsVideoRecordsOnIntoASegmentWithVideo() throws Exception {
    var events = new RecordedEvents();
    String callId = id();
    try (var call = server.createProxiedCall(new ProxiedCallRequest(callId, true), events)) {
      call.offer(Leg.ENTERPRISE, JanusProxiedCallTest.audioOnly(JanusProxiedCallTest.OFFER));
      call.answer(Leg.FAR_END, JanusProxiedCallTest.audioOnly(JanusProxiedCallTest.ANSWER));
      assertEquals(List.of("audio", "audio"), kindsRecorded(), "an audio call");
      call.offer(Leg.ENTERPRISE, JanusProxiedCallTest.OFFER);
      call.answer(Leg.FAR_END, JanusProxiedCallTest.ANSWER);
      assertEquals(
          List.of("audio", "audio", "audio", "audio", "video", "video"),
          kindsRecorded(),
          "recording on with video");
    }
    // No browser sent media: nothing to convert, but one recording (both segments) failed, once.
    assertTrue(
        events.next(MediaEvent.RecordingFailed.class).reason().contains("no media was recorded"));
    events.next(MediaEvent.CallReleased.class);
    assertEquals(1, events.all(MediaEvent.RecordingFailed.class).size(), events.all().toString());
  }

  /** The kind of each .mjr file in the recordings folder, sorted. */
  private List<String> kindsRecorded() throws IOException {
    try (var list = Files.list(recordings)) {
      return list.map(p -> p.getFileName().toString())
          .filter(f -> f.endsWith(".mjr"))
          .map(f -> f.replaceAll(".*-(\\w+)\\.mjr$", "$1"))
          .sorted()
          .toList();
    }
  }

  // --- a second, plain Janus client for the checks
  // ------------------------------------------------

  /** The VideoCall usernames registered now (on any session). */
  private List<String> registered() throws Exception {
    return new VideoCallUsernames(url, secret).registered();
  }

  /** The Janus error code {@code request} gets at {@code path}, or 0. */
  private int errorOf(String path, String request) throws Exception {
    JsonObject answer = post(path, Json.createObjectBuilder().add("janus", request).build());
    assertFalse(answer.isEmpty());
    return "error".equals(answer.getString("janus"))
        ? answer.getJsonObject("error").getInt("code")
        : 0;
  }

  private JsonObject post(String path, JsonObject body) throws Exception {
    JsonObject request =
        Json.createObjectBuilder(body)
            .add("transaction", "it-" + UUID.randomUUID())
            .add("apisecret", secret)
            .build();
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(request.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return Json.createReader(new StringReader(response.body())).readObject();
  }
}
