package com.vclick.media.janus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.Leg;
import com.vclick.media.api.MediaEvent;
import com.vclick.media.api.MediaServerException;
import com.vclick.media.api.ProxiedCall;
import com.vclick.media.api.ProxiedCallRequest;
import jakarta.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The VideoCall mapping, against {@link FakeJanus}. */
class JanusProxiedCallTest {

  private static final String SECRET = "test-secret-0123456789";
  private static final Instant NOW = Instant.parse("2025-03-04T05:06:07.089Z");

  static final String OFFER = sdp("chromium-offer.sdp");
  static final String ANSWER = sdp("chromium-answer.sdp");
  static final String RESTART_OFFER = sdp("chromium-restart-offer.sdp");
  static final String RESTART_ANSWER = sdp("chromium-restart-answer.sdp");
  static final String DATA_OFFER = sdp("chromium-data-offer.sdp");
  static final String DATA_ANSWER = sdp("chromium-data-answer.sdp");

  @TempDir Path recordings;

  private FakeJanus janus;
  private final List<List<RecordingSegment>> converted = new CopyOnWriteArrayList<>();
  private volatile IOException conversionFailure;
  private JanusMediaServer server;

  @BeforeEach
  void start() throws IOException {
    janus = new FakeJanus(SECRET);
    server = server(Map.of());
  }

  @AfterEach
  void stop() {
    server.close();
    janus.close();
  }

  private JanusMediaServer server(Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>();
    settings.put("url", janus.url());
    settings.put("api-secret", SECRET);
    // generous: the in-process fake answers in ms, yet on a loaded machine (load average 30 on 2
    // cores) a session's create once waited more than 3 s
    settings.put("timeout-ms", "10000");
    settings.put("recordings-dir", recordings.toString());
    settings.putAll(extra);
    RecordingConverter converter =
        segments -> {
          if (conversionFailure != null) {
            throw conversionFailure;
          }
          converted.add(segments);
          RecordingSegment segment = segments.get(0);
          Files.writeString(segment.output(), "mkv");
          return new RecordingConverter.Converted(
              segment.output(), List.of(segment.mjr(Leg.ENTERPRISE, "audio")));
        };
    return new JanusMediaServer(
        JanusSettings.from(settings), Clock.fixed(NOW, ZoneOffset.UTC), converter);
  }

  private static String sdp(String name) {
    try (InputStream in = JanusProxiedCallTest.class.getResourceAsStream("/sdp/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII).replaceAll("\r?\n", "\r\n");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String fingerprint(String sdp) {
    return sdp.lines().filter(l -> l.startsWith("a=fingerprint:")).findFirst().orElseThrow();
  }

  @Test
  void enterpriseOffersFarEndAnswers() throws Exception {
    var events = new RecordedEvents();
    try (ProxiedCall call = server.createProxiedCall(new ProxiedCallRequest("c1", false), events)) {
      assertEquals(List.of("c1-e", "c1-f"), janus.usernames().stream().sorted().toList());

      String toFarEnd = call.offer(Leg.ENTERPRISE, OFFER);
      assertEquals(FakeJanus.FINGERPRINT, fingerprint(toFarEnd));
      assertNotEquals(fingerprint(OFFER), fingerprint(toFarEnd));

      String toEnterprise = call.answer(Leg.FAR_END, ANSWER);
      assertEquals(FakeJanus.FINGERPRINT, fingerprint(toEnterprise));
      assertTrue(toEnterprise.contains("a=setup:active"), "Janus' answer is B's answer re-signed");

      var jc = (JanusProxiedCall) call;
      assertEquals(1, janus.count("message:call"));
      assertEquals(1, janus.count("message:accept"));
      assertEquals("c1-f", janus.handle(jc.handle(Leg.ENTERPRISE)).peer.username);
    }
    assertEquals("closed", events.next(MediaEvent.CallReleased.class).reason());
    assertEquals(0, janus.handleCount());
    assertEquals(0, server.openCalls());
  }

  @Test
  void farEndOffersEnterpriseAnswers() throws Exception {
    var events = new RecordedEvents();
    try (var call =
        (JanusProxiedCall) server.createProxiedCall(new ProxiedCallRequest("c2", false), events)) {
      String toEnterprise = call.offer(Leg.FAR_END, OFFER);
      assertEquals(FakeJanus.FINGERPRINT, fingerprint(toEnterprise));
      String toFarEnd = call.answer(Leg.ENTERPRISE, ANSWER);
      assertEquals(FakeJanus.FINGERPRINT, fingerprint(toFarEnd));
      // The far end's handle called the enterprise's username.
      assertEquals("c2-e", janus.handle(call.handle(Leg.FAR_END)).peer.username);
    }
  }

  @Test
  void exchangesMustAlternate() throws Exception {
    try (ProxiedCall call =
        server.createProxiedCall(new ProxiedCallRequest("c3", false), new RecordedEvents())) {
      assertThrows(IllegalStateException.class, () -> call.answer(Leg.FAR_END, ANSWER));
      call.offer(Leg.ENTERPRISE, OFFER);
      assertThrows(IllegalStateException.class, () -> call.offer(Leg.FAR_END, OFFER));
      assertThrows(IllegalStateException.class, () -> call.answer(Leg.ENTERPRISE, ANSWER));
      call.answer(Leg.FAR_END, ANSWER);
      call.close();
      assertThrows(IllegalStateException.class, () -> call.offer(Leg.ENTERPRISE, OFFER));
    }
  }

  @Test
  void renegotiationFromEitherLegUsesSetAndUpdate() throws Exception {
    try (ProxiedCall call =
        server.createProxiedCall(new ProxiedCallRequest("c4", false), new RecordedEvents())) {
      call.offer(Leg.ENTERPRISE, OFFER);
      call.answer(Leg.FAR_END, ANSWER);

      String again = call.offer(Leg.FAR_END, RESTART_OFFER);
      assertTrue(again.contains("a=ice-options:trickle"));
      assertEquals(FakeJanus.FINGERPRINT, fingerprint(again));
      call.answer(Leg.ENTERPRISE, RESTART_ANSWER);

      call.offer(Leg.ENTERPRISE, RESTART_OFFER);
      call.answer(Leg.FAR_END, RESTART_ANSWER);
      assertEquals(1, janus.count("message:call"), "only the first exchange calls");
      assertEquals(4, janus.count("message:set"));
    }
  }

  @Test
  void pluginErrorsBecomeMediaServerExceptionsWithoutSdp() throws Exception {
    try (ProxiedCall call =
        server.createProxiedCall(new ProxiedCallRequest("c5", false), new RecordedEvents())) {
      janus.failNext("call", 483);
      var e = assertThrows(MediaServerException.class, () -> call.offer(Leg.ENTERPRISE, OFFER));
      assertTrue(e.getMessage().contains("483"), e.getMessage());
      assertFalse(e.getMessage().contains("v=0"));
      assertFalse(e.unreachable());
      // Nothing was half-done: the exchange can start again.
      call.offer(Leg.ENTERPRISE, OFFER);
      call.answer(Leg.FAR_END, ANSWER);
    }
  }

  @Test
  void candidatesWaitForTheirLegsDescription() throws Exception {
    var candidate =
        new IceCandidate("candidate:1 1 udp 2122260223 10.0.0.1 50000 typ host", "0", 0);
    var second = new IceCandidate("candidate:2 1 udp 2122260222 10.0.0.1 50001 typ host", "0", 0);
    var end = new IceCandidate("", "0", 0);
    try (var call =
        (JanusProxiedCall)
            server.createProxiedCall(new ProxiedCallRequest("c6", false), new RecordedEvents())) {
      var enterprise = janus.handle(call.handle(Leg.ENTERPRISE));
      var farEnd = janus.handle(call.handle(Leg.FAR_END));

      call.addCandidate(Leg.FAR_END, candidate);
      call.addCandidate(Leg.ENTERPRISE, candidate);
      assertEquals(0, janus.count("trickle"), "no description yet: buffered");

      call.offer(Leg.ENTERPRISE, OFFER);
      assertEquals(1, enterprise.trickles.size(), "the offer went in: flushed");
      assertEquals(0, farEnd.trickles.size(), "the far end has not answered yet");
      call.addCandidate(Leg.FAR_END, second);
      assertEquals(0, farEnd.trickles.size());

      call.answer(Leg.FAR_END, ANSWER);
      assertEquals(2, farEnd.trickles.size());
      assertEquals(
          "candidate:1 1 udp 2122260223 10.0.0.1 50000 typ host",
          farEnd.trickles.get(0).getString("candidate"));
      assertEquals("0", farEnd.trickles.get(0).getString("sdpMid"));
      assertEquals(0, farEnd.trickles.get(0).getInt("sdpMLineIndex"));
      assertEquals(
          "candidate:2 1 udp 2122260222 10.0.0.1 50001 typ host",
          farEnd.trickles.get(1).getString("candidate"),
          "in their order");

      call.addCandidate(Leg.FAR_END, end);
      assertTrue(farEnd.trickles.get(2).getBoolean("completed"));
    }
  }

  @Test
  void janusEventsBecomeMediaEvents() throws Exception {
    var events = new RecordedEvents();
    try (var call =
        (JanusProxiedCall) server.createProxiedCall(new ProxiedCallRequest("c7", false), events)) {
      call.offer(Leg.ENTERPRISE, OFFER);
      call.answer(Leg.FAR_END, ANSWER);
      long e = call.handle(Leg.ENTERPRISE);
      long f = call.handle(Leg.FAR_END);

      janus.push(e, Json.createObjectBuilder().add("janus", "webrtcup"));
      assertEquals(Leg.ENTERPRISE, events.next(MediaEvent.MediaFlowing.class).leg());
      janus.push(
          f,
          Json.createObjectBuilder()
              .add("janus", "media")
              .add("type", "video")
              .add("receiving", true));
      assertEquals(Leg.FAR_END, events.next(MediaEvent.MediaFlowing.class).leg());
      janus.push(
          f,
          Json.createObjectBuilder()
              .add("janus", "trickle")
              .add(
                  "candidate",
                  Json.createObjectBuilder()
                      .add("candidate", "candidate:9 1 udp 1 192.0.2.2 4000 typ host")
                      .add("sdpMid", "0")
                      .add("sdpMLineIndex", 0)));
      var local = events.next(MediaEvent.LocalCandidate.class);
      assertEquals(Leg.FAR_END, local.leg());
      assertEquals("0", local.candidate().sdpMid());
      janus.push(e, Json.createObjectBuilder().add("janus", "slowlink").add("uplink", true));
      janus.push(f, Json.createObjectBuilder().add("janus", "hangup").add("reason", "ICE failed"));
      var failed = events.next(MediaEvent.LegFailed.class);
      assertEquals(Leg.FAR_END, failed.leg());
      assertTrue(failed.reason().contains("ICE failed"));
      assertEquals(2, events.all(MediaEvent.MediaFlowing.class).size());
    }
  }

  @Test
  void janusEndingTheCallFailsTheLegAndAllowsAFreshExchange() throws Exception {
    var events = new RecordedEvents();
    try (var call =
        (JanusProxiedCall) server.createProxiedCall(new ProxiedCallRequest("c8", false), events)) {
      call.offer(Leg.ENTERPRISE, OFFER);
      call.answer(Leg.FAR_END, ANSWER);
      // VideoCall tells the other handle "hangup" (no transaction) when one PeerConnection dies.
      janus.pushHangup(call.handle(Leg.ENTERPRISE), "Remote WebRTC hangup");
      assertEquals(Leg.ENTERPRISE, events.next(MediaEvent.LegFailed.class).leg());
      call.offer(Leg.ENTERPRISE, OFFER);
      assertEquals(2, janus.count("message:call"), "a fresh call, not a set");
    }
  }

  @Test
  void closeIsIdempotentAndReleasesBothHandles() throws Exception {
    var events = new RecordedEvents();
    ProxiedCall call = server.createProxiedCall(new ProxiedCallRequest("c9", false), events);
    call.offer(Leg.ENTERPRISE, OFFER);
    call.answer(Leg.FAR_END, ANSWER);
    assertEquals(2, janus.handleCount());
    call.close();
    call.close();
    assertEquals(0, janus.handleCount());
    assertEquals(List.of(), janus.usernames());
    assertEquals(2, janus.count("detach"));
    assertEquals(1, janus.count("message:hangup"));
    events.next(MediaEvent.CallReleased.class);
    server.close();
    server.close();
    assertEquals(1, events.all(MediaEvent.CallReleased.class).size());
    assertEquals(0, janus.sessionCount());
    call.addCandidate(Leg.ENTERPRISE, new IceCandidate("", "0", 0)); // ignored, no throw
  }

  @Test
  void noHandleOrSessionLeaksAfterManyCalls() throws Exception {
    var events = new RecordedEvents();
    for (int i = 0; i < 25; i++) {
      try (ProxiedCall call =
          server.createProxiedCall(new ProxiedCallRequest("leak-" + i, false), events)) {
        call.offer(i % 2 == 0 ? Leg.ENTERPRISE : Leg.FAR_END, OFFER);
        if (i % 3 != 0) {
          call.answer(i % 2 == 0 ? Leg.FAR_END : Leg.ENTERPRISE, ANSWER);
        }
      }
    }
    assertEquals(0, server.openCalls());
    assertEquals(0, janus.handleCount());
    assertEquals(List.of(), janus.usernames());
    assertEquals(1, janus.sessionCount(), "one session for every call");
    assertEquals(1, janus.count("create"));
    server.close();
    assertEquals(0, janus.sessionCount());
  }

  @Test
  void aFailedCreationReleasesWhatItAttached() throws Exception {
    server.createProxiedCall(new ProxiedCallRequest("dup", false), new RecordedEvents());
    var other = server(Map.of());
    try {
      // Another adapter instance (same Janus) registering the same usernames is refused.
      var e =
          assertThrows(
              MediaServerException.class,
              () ->
                  other.createProxiedCall(
                      new ProxiedCallRequest("dup", false), new RecordedEvents()));
      assertTrue(e.getMessage().contains("476"), e.getMessage());
      assertEquals(0, other.openCalls());
      assertEquals(2, janus.handleCount(), "only the first adapter's two handles remain");
    } finally {
      other.close();
    }
    assertThrows(
        MediaServerException.class,
        () -> server.createProxiedCall(new ProxiedCallRequest("dup", false), new RecordedEvents()));
  }

  @Test
  void keepalivesKeepTheSessionWhileIdle() throws Exception {
    server.close();
    server = server(Map.of("keepalive-ms", "50"));
    server.createProxiedCall(new ProxiedCallRequest("k1", false), new RecordedEvents());
    await(() -> janus.keepalives.get() >= 3, "three keepalives");
  }

  /**
   * Janus restarted and the call is closed before the session loss is noticed: the close finds the
   * call gone and releases it as lost, not as closed.
   */
  @Test
  void aCloseThatFindsJanusRestartedReleasesTheCallAsLost() throws Exception {
    server.close();
    server = server(Map.of("keepalive-ms", "60000"));
    janus.pollHoldMillis = 60_000; // the long poll notices nothing meanwhile
    var events = new RecordedEvents();
    ProxiedCall call = server.createProxiedCall(new ProxiedCallRequest("rs1", false), events);
    call.offer(Leg.ENTERPRISE, OFFER);
    call.answer(Leg.FAR_END, ANSWER);

    janus.restart();
    call.close();

    assertEquals("media-server-lost", events.next(MediaEvent.CallReleased.class).reason());
    assertEquals(0, server.openCalls());
  }

  @Test
  void aCloseWithJanusThereReleasesTheCallAsClosed() throws Exception {
    var events = new RecordedEvents();
    ProxiedCall call = server.createProxiedCall(new ProxiedCallRequest("rs2", false), events);
    call.offer(Leg.ENTERPRISE, OFFER);
    call.answer(Leg.FAR_END, ANSWER);
    call.close();
    assertEquals("closed", events.next(MediaEvent.CallReleased.class).reason());
  }

  @Test
  void aLostSessionFailsEveryCallAndTheNextCallGetsANewSession() throws Exception {
    var events1 = new RecordedEvents();
    var events2 = new RecordedEvents();
    ProxiedCall one = server.createProxiedCall(new ProxiedCallRequest("l1", true), events1);
    ProxiedCall two = server.createProxiedCall(new ProxiedCallRequest("l2", false), events2);
    one.offer(Leg.ENTERPRISE, OFFER);
    one.answer(Leg.FAR_END, ANSWER);
    long before = server.sessionId();

    janus.restart();

    assertEquals("media-server-lost", events1.next(MediaEvent.CallReleased.class).reason());
    assertEquals("media-server-lost", events2.next(MediaEvent.CallReleased.class).reason());
    assertEquals(2, events1.all(MediaEvent.LegFailed.class).size());
    assertEquals(2, events2.all(MediaEvent.LegFailed.class).size());
    assertEquals(
        1, events1.all(MediaEvent.RecordingStopped.class).size(), "converted what Janus wrote");
    assertEquals(0, server.openCalls());
    assertThrows(IllegalStateException.class, () -> one.offer(Leg.ENTERPRISE, OFFER));
    two.close(); // harmless

    ProxiedCall three =
        server.createProxiedCall(new ProxiedCallRequest("l3", false), new RecordedEvents());
    assertNotEquals(before, server.sessionId());
    three.offer(Leg.FAR_END, OFFER);
    three.close();
  }

  @Test
  void unreachableJanusIsReportedAsSuch() throws Exception {
    int port;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    try (var down =
        new JanusMediaServerProvider()
            .create(Map.of("url", "http://127.0.0.1:" + port + "/janus", "timeout-ms", "500"))) {
      var e =
          assertThrows(
              MediaServerException.class,
              () ->
                  down.createProxiedCall(
                      new ProxiedCallRequest("u1", false), new RecordedEvents()));
      assertTrue(e.unreachable());
      assertEquals(0, down.openCalls());
    }
  }

  @Test
  void theApiSecretIsSentButNeverShownOrLogged() throws Exception {
    var logged = new CopyOnWriteArrayList<String>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            logged.add(new java.util.logging.SimpleFormatter().format(record));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger root = Logger.getLogger("com.vclick.media.janus");
    root.addHandler(handler);
    root.setLevel(java.util.logging.Level.ALL);
    try {
      var wrong = server(Map.of("api-secret", "wrong-secret-987654321"));
      var e =
          assertThrows(
              MediaServerException.class,
              () ->
                  wrong.createProxiedCall(
                      new ProxiedCallRequest("s1", false), new RecordedEvents()));
      assertTrue(e.getMessage().contains("403"), e.getMessage());
      assertFalse(e.getMessage().contains("wrong-secret"));
      wrong.close();
      try (ProxiedCall call =
          server.createProxiedCall(new ProxiedCallRequest("s2", true), new RecordedEvents())) {
        call.offer(Leg.ENTERPRISE, OFFER);
        call.answer(Leg.FAR_END, ANSWER);
      }
    } finally {
      root.removeHandler(handler);
      root.setLevel(null);
    }
    assertFalse(logged.isEmpty());
    for (String line : logged) {
      assertFalse(line.contains(SECRET), line);
      assertFalse(line.contains("wrong-secret"), line);
      assertFalse(line.contains("a=fingerprint"), line);
    }
  }

  // --- recording ---------------------------------------------------------------------------------

  @Test
  void aRecordedCallRecordsBothPartiesOnceNegotiatedAndConvertsOnStop() throws Exception {
    var events = new RecordedEvents();
    try (var call =
        (JanusProxiedCall) server.createProxiedCall(new ProxiedCallRequest("r1", true), events)) {
      call.offer(Leg.ENTERPRISE, OFFER);
      assertEquals(0, janus.count("message:set"), "VideoCall records only after accept");
      call.answer(Leg.FAR_END, ANSWER);

      String base = "r1-20250304T050607.089Z";
      assertEquals(
          List.of(recordings.resolve(base + "-enterprise").toString()),
          janus.handle(call.handle(Leg.ENTERPRISE)).recordings);
      assertEquals(
          List.of(recordings.resolve(base + "-far-end").toString()),
          janus.handle(call.handle(Leg.FAR_END)).recordings);
      call.startRecording(); // no-op: recording

      call.stopRecording();
      var stopped = events.next(MediaEvent.RecordingStopped.class);
      assertEquals(recordings.resolve(base + ".mkv"), stopped.file());
      assertEquals(NOW, stopped.startedAt());
      assertEquals(NOW, stopped.stoppedAt());
      assertEquals("stop", janus.handle(call.handle(Leg.FAR_END)).recordings.get(1));
      call.stopRecording(); // no-op
    }
    events.next(MediaEvent.CallReleased.class);
    assertEquals(1, converted.size());
  }

  @Test
  void whenJanusEndsARecordedCallTheSegmentIsConvertedAndAFreshExchangeRecordsAnew()
      throws Exception {
    server.close();
    server = tickingServer();
    var events = new RecordedEvents();
    try (var call =
        (JanusProxiedCall) server.createProxiedCall(new ProxiedCallRequest("r7", true), events)) {
      call.offer(Leg.ENTERPRISE, OFFER);
      call.answer(Leg.FAR_END, ANSWER);
      janus.pushHangup(call.handle(Leg.FAR_END), "Remote WebRTC hangup");
      var first = events.next(MediaEvent.RecordingStopped.class);
      call.offer(Leg.FAR_END, OFFER);
      call.answer(Leg.ENTERPRISE, ANSWER);
      assertEquals(2, janus.handle(call.handle(Leg.ENTERPRISE)).recordings.size());
      call.stopRecording();
      assertNotEquals(first.file(), events.next(MediaEvent.RecordingStopped.class).file());
    }
  }

  @Test
  void aRoundThatAddsVideoRecordsOnIntoANewSegmentAndTheSegmentsBecomeOneRecording()
      throws Exception {
    server.close();
    server = tickingServer();
    var events = new RecordedEvents();
    try (var call =
        (JanusProxiedCall) server.createProxiedCall(new ProxiedCallRequest("r8", true), events)) {
      call.offer(Leg.ENTERPRISE, audioOnly(OFFER));
      call.answer(Leg.FAR_END, audioOnly(ANSWER));
      List<String> enterprise = janus.handle(call.handle(Leg.ENTERPRISE)).recordings;
      List<String> farEnd = janus.handle(call.handle(Leg.FAR_END)).recordings;
      assertEquals(1, enterprise.size(), enterprise.toString());

      call.offer(Leg.ENTERPRISE, OFFER); // the camera is turned on
      call.answer(Leg.FAR_END, ANSWER);
      assertEquals(3, enterprise.size(), "stopped, then recording on: " + enterprise);
      assertEquals("stop", enterprise.get(1));
      assertNotEquals(enterprise.get(0), enterprise.get(2));
      assertEquals(List.of("stop"), farEnd.subList(1, 2));
      assertEquals(3, farEnd.size(), farEnd.toString());

      call.offer(Leg.FAR_END, audioOnly(OFFER)); // the camera off again: nothing to add
      call.answer(Leg.ENTERPRISE, audioOnly(ANSWER));
      assertEquals(3, enterprise.size(), enterprise.toString());

      call.stopRecording();
      var stopped = events.next(MediaEvent.RecordingStopped.class);
      events.assertNone(MediaEvent.RecordingFailed.class);
      assertEquals(1, converted.size(), "one recording");
      List<RecordingSegment> segments = converted.get(0);
      assertEquals(2, segments.size(), segments.toString());
      assertEquals(recordings.resolve(segments.get(0).base() + ".mkv"), stopped.file());
      assertEquals(segments.get(0).startedAt(), stopped.startedAt());
      assertEquals(
          recordings.resolve(segments.get(1).base() + "-enterprise").toString(), enterprise.get(2));
    }
    events.next(MediaEvent.CallReleased.class);
    assertEquals(1, events.all(MediaEvent.RecordingStopped.class).size(), "one recording");
  }

  /** A server whose clock ticks a second per reading: every segment gets its own name. */
  private JanusMediaServer tickingServer() {
    var ticks = new java.util.concurrent.atomic.AtomicLong();
    Clock ticking =
        new Clock() {
          @Override
          public Instant instant() {
            return NOW.plusSeconds(ticks.incrementAndGet());
          }

          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }
        };
    Map<String, String> settings =
        Map.of("url", janus.url(), "api-secret", SECRET, "recordings-dir", recordings.toString());
    return new JanusMediaServer(
        JanusSettings.from(settings),
        ticking,
        segments -> {
          converted.add(segments);
          return new RecordingConverter.Converted(segments.get(0).output(), List.of());
        });
  }

  /** The description without its video section (an audio-only call). */
  static String audioOnly(String sdp) {
    return sdp.substring(0, sdp.indexOf("m=video")).replace("BUNDLE 0 1", "BUNDLE 0");
  }

  @Test
  void closingWhileRecordingStopsConvertsThenReleases() throws Exception {
    var events = new RecordedEvents();
    ProxiedCall call = server.createProxiedCall(new ProxiedCallRequest("r2", true), events);
    call.offer(Leg.FAR_END, OFFER);
    call.answer(Leg.ENTERPRISE, ANSWER);
    call.close();
    events.next(MediaEvent.CallReleased.class);
    List<MediaEvent> all = events.all();
    assertTrue(
        all.indexOf(events.all(MediaEvent.RecordingStopped.class).get(0))
            < all.indexOf(events.all(MediaEvent.CallReleased.class).get(0)),
        "the recording is reported before the release: " + all);
  }

  @Test
  void recordingNeverOverwritesAFile() throws Exception {
    Path existing = recordings.resolve("r3-20250304T050607.089Z-far-end-audio.mjr");
    Files.writeString(existing, "evidence");
    var events = new RecordedEvents();
    try (ProxiedCall call = server.createProxiedCall(new ProxiedCallRequest("r3", true), events)) {
      call.offer(Leg.ENTERPRISE, OFFER);
      call.answer(Leg.FAR_END, ANSWER); // the call goes on without recording
      assertTrue(
          events.next(MediaEvent.RecordingFailed.class).reason().contains("never overwritten"));
      assertThrows(MediaServerException.class, call::startRecording);
    }
    assertEquals("evidence", Files.readString(existing));
    assertEquals(0, janus.count("message:set"));
  }

  @Test
  void aFailedConversionIsReported() throws Exception {
    conversionFailure = new IOException("no media was recorded");
    var events = new RecordedEvents();
    try (ProxiedCall call = server.createProxiedCall(new ProxiedCallRequest("r4", false), events)) {
      call.offer(Leg.ENTERPRISE, OFFER);
      call.answer(Leg.FAR_END, ANSWER);
      call.startRecording();
      call.stopRecording();
      assertTrue(events.next(MediaEvent.RecordingFailed.class).reason().contains("no media"));
    }
    events.assertNone(MediaEvent.RecordingStopped.class);
  }

  @Test
  void janusThatWritesNoFileFailsTheRecording() throws Exception {
    janus.writeRecordings = false;
    var events = new RecordedEvents();
    try (ProxiedCall call = server.createProxiedCall(new ProxiedCallRequest("r5", true), events)) {
      call.offer(Leg.ENTERPRISE, OFFER);
      call.answer(Leg.FAR_END, ANSWER);
      assertTrue(
          events.next(MediaEvent.RecordingFailed.class).reason().contains("no recording file"));
      assertEquals(
          2,
          janus.handle(((JanusProxiedCall) call).handle(Leg.ENTERPRISE)).recordings.size(),
          "started, then stopped again");
    }
  }

  /**
   * The recordings folder goes away mid-call while Janus stays up (its recorders write on into
   * files nobody will find): the adapter's watch notices, stops the recording in Janus and reports
   * RecordingFailed once; nothing is left to convert; the call itself goes on (the application's
   * fail mode decides).
   */
  @Test
  void aRecordingWhoseFolderGoesAwayMidCallFailsOnceAndTheCallGoesOn() throws Exception {
    server.close();
    server = server(Map.of("recording-check-ms", "20"));
    var events = new RecordedEvents();
    try (var call =
        (JanusProxiedCall) server.createProxiedCall(new ProxiedCallRequest("r8", true), events)) {
      call.offer(Leg.ENTERPRISE, OFFER);
      call.answer(Leg.FAR_END, ANSWER);
      try (var files = Files.list(recordings)) {
        for (Path file : files.toList()) {
          Files.delete(file);
        }
      }
      String reason = events.next(MediaEvent.RecordingFailed.class).reason();
      assertTrue(reason.contains("gone from the recordings folder"), reason);
      await(
          () -> janus.handle(call.handle(Leg.FAR_END)).recordings.contains("stop"),
          "the recording stopped in Janus");
      assertEquals(1, server.openCalls(), "the call goes on");
      call.startRecording(); // the application may try again: a new segment
      assertEquals(3, janus.handle(call.handle(Leg.ENTERPRISE)).recordings.size());
    }
    events.next(MediaEvent.CallReleased.class);
    assertEquals(1, events.all(MediaEvent.RecordingFailed.class).size(), "reported once");
    assertEquals(1, converted.size(), "only the new segment had anything to convert");
  }

  @Test
  void withoutARecordingsFolderRecordingFails() throws Exception {
    server.close();
    server = server(Map.of("recordings-dir", ""));
    var events = new RecordedEvents();
    try (ProxiedCall call = server.createProxiedCall(new ProxiedCallRequest("r6", true), events)) {
      call.offer(Leg.ENTERPRISE, OFFER);
      call.answer(Leg.FAR_END, ANSWER);
      assertTrue(events.next(MediaEvent.RecordingFailed.class).reason().contains("recordings-dir"));
    }
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
  }
}
