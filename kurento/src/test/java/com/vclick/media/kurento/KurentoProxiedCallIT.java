package com.vclick.media.kurento;

import static com.vclick.media.api.Leg.ENTERPRISE;
import static com.vclick.media.api.Leg.FAR_END;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.Leg;
import com.vclick.media.api.MediaEvent;
import com.vclick.media.api.MediaServerException;
import com.vclick.media.api.ProxiedCall;
import com.vclick.media.api.ProxiedCallRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kurento.client.ConnectionState;
import org.kurento.client.IceComponentState;
import org.kurento.client.KurentoClient;
import org.kurento.client.MediaPipeline;
import org.kurento.client.PlayerEndpoint;
import org.kurento.client.WebRtcEndpoint;

/**
 * The adapter against a real Kurento Media Server, at {@code KMS_URL} (e.g. {@code
 * ws://127.0.0.1:18888/kurento}): {@code ./vclick test} starts one (scripts/kurento.sh) and sets
 * it; without it every test is skipped and says so loudly. KMS also plays the two browsers: a
 * helper pipeline holds one WebRtcEndpoint per leg, whose offers, answers and candidates go through
 * the adapter exactly as a browser's would. With {@code KMS_MEDIA_URI} (a media file KMS can play,
 * e.g. {@code file:///tmp/test.webm}; {@code ./vclick test} makes one) both stand-ins send media,
 * so that media flow and non-empty recordings are checked too. See {@code kurento/README.md}. With
 * {@code VCLICK_REQUIRE_KMS=true} a missing {@code KMS_URL} fails the build instead.
 */
class KurentoProxiedCallIT {

  private static final String NOT_RUN = "KMS_URL not set: the Kurento integration test did not run";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration RECORD_FOR = Duration.ofSeconds(2);
  private static final AtomicBoolean BANNER_SHOWN = new AtomicBoolean();

  private final String kmsUrl = System.getenv("KMS_URL");
  private final String mediaUri = System.getenv("KMS_MEDIA_URI");
  private final List<MediaEvent> events = new CopyOnWriteArrayList<>();
  private final List<Throwable> peerErrors = new CopyOnWriteArrayList<>();
  private final Map<Leg, Peer> peers = new EnumMap<>(Leg.class);
  private KurentoClient helper;
  private MediaPipeline helperPipeline;
  private KurentoMediaServer server;

  @BeforeEach
  void requireKms() {
    requireKmsUrl(kmsUrl);
    helper = KurentoClient.create(kmsUrl);
    helperPipeline = helper.createMediaPipeline();
    server =
        new KurentoMediaServer(
            KurentoSettings.from(
                Map.of(
                    "url",
                    kmsUrl,
                    "recordings-dir",
                    System.getenv().getOrDefault("KMS_RECORDINGS_DIR", "/tmp"))));
  }

  /**
   * Skips the calling test, loudly (once per run), when {@code url} is not set; fails it instead
   * with {@code VCLICK_REQUIRE_KMS=true}.
   */
  static void requireKmsUrl(String url) {
    if (url == null || url.isBlank()) {
      if ("true".equals(System.getenv("VCLICK_REQUIRE_KMS"))) {
        fail(NOT_RUN + " (VCLICK_REQUIRE_KMS=true)");
      }
      if (!BANNER_SHOWN.getAndSet(true)) {
        String line = "*".repeat(78);
        System.err.printf(
            "%n%s%n*** %s.%n*** ./vclick test starts KMS from ../shared/tools/kurento when it can;"
                + " else run it with KMS_URL=ws://<host>:8888/kurento (see kurento/README.md).%n%s%n%n",
            line, NOT_RUN, line);
      }
      Assumptions.abort(NOT_RUN);
    }
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
  void theEnterpriseCallsIsRecordedAndNothingIsLeftBehind() throws Exception {
    String id = newCallId();
    ProxiedCall call = server.createProxiedCall(new ProxiedCallRequest(id, true), this::onEvent);
    Peer enterprise = peer(call, ENTERPRISE);
    Peer farEnd = peer(call, FAR_END);
    boolean withMedia = sendMedia(enterprise, farEnd);

    String offerForFarEnd = call.offer(ENTERPRISE, enterprise.offer());
    assertMediaSections(offerForFarEnd);
    String answerForEnterprise = call.answer(FAR_END, farEnd.answer(offerForFarEnd));
    assertMediaSections(answerForEnterprise);
    enterprise.endpoint.processAnswer(answerForEnterprise);

    awaitEvent(e -> e instanceof MediaEvent.LocalCandidate c && c.leg() == ENTERPRISE);
    awaitEvent(e -> e instanceof MediaEvent.LocalCandidate c && c.leg() == FAR_END);
    enterprise.awaitConnected();
    farEnd.awaitConnected();
    if (withMedia) {
      awaitEvent(e -> e instanceof MediaEvent.MediaFlowing f && f.leg() == ENTERPRISE);
      awaitEvent(e -> e instanceof MediaEvent.MediaFlowing f && f.leg() == FAR_END);
      Thread.sleep(RECORD_FOR.toMillis());
    }

    long stopping = System.nanoTime();
    call.stopRecording();
    MediaEvent recorded =
        awaitEvent(
            e ->
                e instanceof MediaEvent.RecordingStopped
                    || e instanceof MediaEvent.RecordingFailed);
    if (withMedia) {
      var stopped =
          assertInstanceOf(MediaEvent.RecordingStopped.class, recorded, recorded::toString);
      assertTrue(stopped.file().toString().endsWith(id + "-both.webm"));
      assertEquals(2, stopped.parts().size(), stopped.parts()::toString);
      assertWritten(stopped);
      System.err.printf(
          "KurentoProxiedCallIT: recording stopped in %d ms%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping));
    } else {
      System.err.println(
          "KurentoProxiedCallIT: KMS_MEDIA_URI not set, no media was sent; recording ended with "
              + recorded);
    }

    call.close();
    awaitEvent(e -> e instanceof MediaEvent.CallReleased);
    assertEquals(0, server.openCalls());
    assertNoPipelineOf(id);
    assertTrue(peerErrors.isEmpty(), peerErrors::toString);
  }

  @Test
  void theFarEndCallsTheMappingIsMirrored() throws Exception {
    String id = newCallId();
    ProxiedCall call = server.createProxiedCall(new ProxiedCallRequest(id, false), this::onEvent);
    Peer enterprise = peer(call, ENTERPRISE);
    Peer farEnd = peer(call, FAR_END);

    String offerForEnterprise = call.offer(FAR_END, farEnd.offer());
    assertMediaSections(offerForEnterprise);
    String answerForFarEnd = call.answer(ENTERPRISE, enterprise.answer(offerForEnterprise));
    assertMediaSections(answerForFarEnd);
    farEnd.endpoint.processAnswer(answerForFarEnd);

    enterprise.awaitConnected();
    farEnd.awaitConnected();
    call.close();
    assertNoPipelineOf(id);
    assertTrue(peerErrors.isEmpty(), peerErrors::toString);
  }

  @Test
  void aLaterRoundRenegotiatesOnNewEndpointsAndTheRecordingGoesOn() throws Exception {
    String id = newCallId();
    ProxiedCall call = server.createProxiedCall(new ProxiedCallRequest(id, true), this::onEvent);
    Peer enterprise = peer(call, ENTERPRISE);
    Peer farEnd = peer(call, FAR_END);
    boolean withMedia = sendMedia(enterprise, farEnd);
    String offerForFarEnd = call.offer(ENTERPRISE, enterprise.offer());
    String answerForEnterprise = call.answer(FAR_END, farEnd.answer(offerForFarEnd));
    enterprise.endpoint.processAnswer(answerForEnterprise);
    enterprise.awaitConnected();
    farEnd.awaitConnected();
    if (withMedia) {
      awaitEvent(e -> e instanceof MediaEvent.MediaFlowing f && f.leg() == FAR_END);
      Thread.sleep(RECORD_FOR.toMillis());
    }

    // The stand-ins cannot renegotiate either (they are KMS endpoints): new ones take over, as a
    // browser's peer connection would after an ICE and DTLS restart. Here the far end offers.
    Peer enterprise2 = peer(call, ENTERPRISE);
    Peer farEnd2 = peer(call, FAR_END);
    sendMedia(enterprise2, farEnd2);
    String offerForEnterprise = call.offer(FAR_END, farEnd2.offer());
    assertMediaSections(offerForEnterprise);
    assertFalse(
        fingerprint(offerForEnterprise).equals(fingerprint(answerForEnterprise)),
        "a new DTLS certificate: the browser restarts DTLS, not only ICE");
    String answerForFarEnd = call.answer(ENTERPRISE, enterprise2.answer(offerForEnterprise));
    assertMediaSections(answerForFarEnd);
    farEnd2.endpoint.processAnswer(answerForFarEnd);
    enterprise2.awaitConnected();
    farEnd2.awaitConnected();
    if (withMedia) {
      for (Leg leg : Leg.values()) {
        awaitEvents(e -> e instanceof MediaEvent.MediaFlowing f && f.leg() == leg, 2);
      }
      Thread.sleep(RECORD_FOR.toMillis());
    }

    call.stopRecording();
    MediaEvent recorded =
        awaitEvent(
            e ->
                e instanceof MediaEvent.RecordingStopped
                    || e instanceof MediaEvent.RecordingFailed);
    if (withMedia) {
      var stopped =
          assertInstanceOf(MediaEvent.RecordingStopped.class, recorded, recorded::toString);
      assertEquals(
          List.of(
              id + "-enterprise.webm",
              id + "-far-end.webm",
              id + "-enterprise-2.webm",
              id + "-far-end-2.webm"),
          stopped.parts().stream().map(p -> p.getFileName().toString()).toList());
      assertWritten(stopped);
    } else {
      System.err.println(
          "KurentoProxiedCallIT: KMS_MEDIA_URI not set, no media was sent; recording ended with "
              + recorded);
    }
    call.close();
    awaitEvent(e -> e instanceof MediaEvent.CallReleased);
    assertEquals(0, server.openCalls());
    assertNoPipelineOf(id);
  }

  /**
   * {@code MediaFlowing} names the leg whose browser sends ("media from the leg's peer reaches the
   * media server"), not the leg that media is forwarded to: here only the far end's stand-in sends.
   * KMS reports what an endpoint receives from its peer as {@code MediaFlowOut} (it flows out of
   * the endpoint into the pipeline) and what it forwards to its peer as {@code MediaFlowIn}.
   */
  @Test
  void mediaFlowingNamesTheLegWhoseBrowserSends() throws Exception {
    Assumptions.assumeTrue(mediaUri != null && !mediaUri.isBlank(), "needs KMS_MEDIA_URI");
    String id = newCallId();
    ProxiedCall call = server.createProxiedCall(new ProxiedCallRequest(id, false), this::onEvent);
    Peer enterprise = peer(call, ENTERPRISE);
    Peer farEnd = peer(call, FAR_END);
    var player = new PlayerEndpoint.Builder(helperPipeline, mediaUri).build();
    player.connect(farEnd.endpoint);
    player.play();
    String offerForFarEnd = call.offer(ENTERPRISE, enterprise.offer());
    enterprise.endpoint.processAnswer(call.answer(FAR_END, farEnd.answer(offerForFarEnd)));
    enterprise.awaitConnected();
    farEnd.awaitConnected();

    awaitEvent(e -> e instanceof MediaEvent.MediaFlowing f && f.leg() == FAR_END);
    // The far end's media went through the call to the enterprise's stand-in: had the adapter
    // taken the media it forwards for the leg's own, it would have said so by now.
    awaitReceived(enterprise, 100);
    assertTrue(
        events.stream()
            .noneMatch(e -> e instanceof MediaEvent.MediaFlowing f && f.leg() == ENTERPRISE),
        () -> "the enterprise's stand-in sends nothing: " + events);
    call.close();
    awaitEvent(e -> e instanceof MediaEvent.CallReleased);
    assertNoPipelineOf(id);
  }

  /**
   * The recordings folder fails under KMS mid-call (here: the file of both parties moved away, as
   * an unmounted folder looks to KMS): KMS writes on and reports nothing; the adapter's file check
   * (run here by hand until it has seen KMS's files; the server also runs it every 2 s) reports
   * RecordingFailed once, and the failed recording is not reported as stored at the end.
   */
  @Test
  void aRecordingFileMovedAwayMidCallFailsTheRecording() throws Exception {
    Assumptions.assumeTrue(mediaUri != null && !mediaUri.isBlank(), "needs KMS_MEDIA_URI");
    String id = newCallId();
    var call =
        (KurentoProxiedCall)
            server.createProxiedCall(new ProxiedCallRequest(id, true), this::onEvent);
    Peer enterprise = peer(call, ENTERPRISE);
    Peer farEnd = peer(call, FAR_END);
    assertTrue(sendMedia(enterprise, farEnd));
    String offerForFarEnd = call.offer(ENTERPRISE, enterprise.offer());
    enterprise.endpoint.processAnswer(call.answer(FAR_END, farEnd.answer(offerForFarEnd)));
    enterprise.awaitConnected();
    farEnd.awaitConnected();
    awaitEvent(e -> e instanceof MediaEvent.MediaFlowing f && f.leg() == FAR_END);

    Path both =
        Path.of(System.getenv().getOrDefault("KMS_RECORDINGS_DIR", "/tmp"), id + "-both.webm");
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (call.checkRecordingFiles() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(
          50); // polling the check, bounded: KMS creates the files once its recorders write
    }
    assertTrue(Files.exists(both), "KMS writes " + both);
    assertTrue(call.checkRecordingFiles() > 0, "the check has seen KMS's files");
    assertTrue(
        events.stream().noneMatch(MediaEvent.RecordingFailed.class::isInstance),
        () -> "no failure while the file is there: " + events);
    Path aside = both.resolveSibling(both.getFileName() + ".aside");
    Files.move(both, aside);
    try {
      call.checkRecordingFiles();
      var failed =
          (MediaEvent.RecordingFailed)
              awaitEvent(e -> e instanceof MediaEvent.RecordingFailed f && f.callId().equals(id));
      assertTrue(failed.reason().contains(id + "-both.webm is gone"), failed::toString);
      assertEquals(1, server.openCalls(), "the call goes on");
      call.close();
      awaitEvent(e -> e instanceof MediaEvent.CallReleased);
      assertEquals(
          1, events.stream().filter(MediaEvent.RecordingFailed.class::isInstance).count(), "once");
      assertTrue(events.stream().noneMatch(MediaEvent.RecordingStopped.class::isInstance));
      assertNoPipelineOf(id);
    } finally {
      Files.deleteIfExists(aside);
    }
  }

  /** Waits until the stand-in received {@code packets} RTP packets from the adapter. */
  private static void awaitReceived(Peer peer, long packets) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    long received = 0;
    while (System.nanoTime() < deadline) {
      received =
          peer.endpoint.getStats().values().stream()
              .filter(org.kurento.client.RTCInboundRTPStreamStats.class::isInstance)
              .mapToLong(
                  s -> ((org.kurento.client.RTCInboundRTPStreamStats) s).getPacketsReceived())
              .sum();
      if (received >= packets) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(200); // polling the stand-in's stats
    }
    fail("the stand-in received " + received + " packets in " + WAIT + ", expected " + packets);
  }

  /**
   * Kurento cannot relay a data channel between the legs (see README, "Data channels"): the
   * adapter's endpoints take no data channels, so an offered {@code m=application} section is
   * answered rejected (port 0: a clean refusal, the page's channel closes) and not offered to the
   * other leg. Checked both ways, with a stand-in that offers data like a browser would.
   */
  @Test
  void aDataChannelIsRefusedCleanlyWhicheverLegOffersIt() throws Exception {
    for (Leg offering : Leg.values()) {
      String id = newCallId();
      ProxiedCall call = server.createProxiedCall(new ProxiedCallRequest(id, false), e -> {});
      WebRtcEndpoint withData =
          new WebRtcEndpoint.Builder(helperPipeline).useDataChannels().build();
      String offer = withData.generateOffer();
      assertTrue(offer.contains("m=application "), "the stand-in offers a data channel");

      String forOther = call.offer(offering, offer);
      assertFalse(forOther.contains("m=application"), "no data channel offered to the other leg");
      String answer = call.answer(offering.other(), bareAnswer(forOther));

      assertTrue(answer.contains("\r\nm=application 0 "), "the data channel is rejected");
      assertTrue(answer.contains("\r\nm=audio ") && !answer.contains("m=audio 0 "), "audio is not");
      withData.processAnswer(answer);
      call.close();
      assertNoPipelineOf(id);
    }
  }

  @Test
  void manyCallsLeaveNoPipelineWhetherClosedOneByOneOrAtShutdown() throws Exception {
    var ids = new ArrayList<String>();
    for (int i = 0; i < 10; i++) {
      String id = newCallId();
      ids.add(id);
      ProxiedCall call = server.createProxiedCall(new ProxiedCallRequest(id, i % 2 == 0), e -> {});
      if (i % 3 == 0) {
        call.offer(ENTERPRISE, bareOffer());
      }
      if (i < 5) {
        call.close();
      }
    }
    assertEquals(5, server.openCalls());

    server.close();

    assertEquals(0, server.openCalls());
    for (String id : ids) {
      assertNoPipelineOf(id);
    }
  }

  // --- helpers ---

  private static String newCallId() {
    return "it-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private void onEvent(MediaEvent event) {
    events.add(event);
    if (event instanceof MediaEvent.LocalCandidate local) {
      Peer peer = peers.get(local.leg());
      IceCandidate c = local.candidate();
      try {
        peer.endpoint.addIceCandidate(
            new org.kurento.client.IceCandidate(c.candidate(), c.sdpMid(), c.sdpMLineIndex()));
      } catch (RuntimeException e) {
        peerErrors.add(e);
      }
    }
    synchronized (events) {
      events.notifyAll();
    }
  }

  private void awaitEvents(Predicate<MediaEvent> wanted, int count) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    synchronized (events) {
      while (events.stream().filter(wanted).count() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          fail(count + " such events expected within " + WAIT + "; events: " + events);
        }
        TimeUnit.NANOSECONDS.timedWait(events, left);
      }
    }
  }

  /** Where KMS writes on this host too (it does for ./vclick test), the files hold something. */
  private static void assertWritten(MediaEvent.RecordingStopped stopped) {
    var files = new ArrayList<Path>(stopped.parts());
    files.add(stopped.file());
    for (Path file : files) {
      if (Files.isDirectory(file.getParent())) {
        assertTrue(file.toFile().length() > 1000, file + " holds media");
      }
    }
  }

  private MediaEvent awaitEvent(Predicate<MediaEvent> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    synchronized (events) {
      while (true) {
        for (MediaEvent event : events) {
          if (wanted.test(event)) {
            return event;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return fail("no such event within " + WAIT + "; events: " + events);
        }
        TimeUnit.NANOSECONDS.timedWait(events, left);
      }
    }
  }

  /** An answer from an endpoint that gathers no candidates. */
  private String bareAnswer(String offer) {
    return new WebRtcEndpoint.Builder(helperPipeline).build().processOffer(offer);
  }

  /** An offer from an endpoint that gathers no candidates (none of its own reach the calls). */
  private String bareOffer() {
    return new WebRtcEndpoint.Builder(helperPipeline).build().generateOffer();
  }

  private Peer peer(ProxiedCall call, Leg leg) {
    var peer = new Peer(call, leg);
    peers.put(leg, peer);
    return peer;
  }

  /** Feeds both stand-ins from a player when {@code KMS_MEDIA_URI} is set. */
  private boolean sendMedia(Peer enterprise, Peer farEnd) {
    if (mediaUri == null || mediaUri.isBlank()) {
      return false;
    }
    var player = new PlayerEndpoint.Builder(helperPipeline, mediaUri).build();
    player.connect(enterprise.endpoint);
    player.connect(farEnd.endpoint);
    player.play();
    return true;
  }

  private static String fingerprint(String sdp) {
    return sdp.lines().filter(l -> l.startsWith("a=fingerprint:")).findFirst().orElseThrow();
  }

  private static void assertMediaSections(String sdp) {
    assertTrue(sdp.startsWith("v=0"), "an SDP");
    assertTrue(sdp.contains("m=audio "), "with audio");
    assertTrue(sdp.contains("m=video "), "with video");
    assertTrue(sdp.contains("\r\na=candidate:"), "with Kurento's candidates (not trickled)");
  }

  private void assertNoPipelineOf(String callId) {
    String name = "vclick-call-" + callId;
    for (MediaPipeline pipeline : helper.getServerManager().getPipelines()) {
      assertFalse(name.equals(pipeline.getName()), name + " was left on KMS");
    }
  }

  /** One leg's browser, played by a WebRtcEndpoint of the helper pipeline. */
  private final class Peer {
    final WebRtcEndpoint endpoint = new WebRtcEndpoint.Builder(helperPipeline).build();
    final CompletableFuture<Void> connected = new CompletableFuture<>();

    Peer(ProxiedCall call, Leg leg) {
      endpoint.addIceCandidateFoundListener(
          e -> {
            var c = e.getCandidate();
            try {
              call.addCandidate(
                  leg, new IceCandidate(c.getCandidate(), c.getSdpMid(), c.getSdpMLineIndex()));
            } catch (MediaServerException | RuntimeException ex) {
              if (!(ex instanceof IllegalStateException)) { // the call may be closed by now
                peerErrors.add(ex);
              }
            }
          });
      endpoint.addConnectionStateChangedListener(
          e -> {
            if (e.getNewState() == ConnectionState.CONNECTED) {
              connected.complete(null);
            }
          });
      endpoint.addIceComponentStateChangedListener(
          e -> {
            if (e.getState() == IceComponentState.CONNECTED
                || e.getState() == IceComponentState.READY) {
              connected.complete(null);
            }
          });
    }

    String offer() {
      String offer = endpoint.generateOffer();
      endpoint.gatherCandidates();
      return offer;
    }

    String answer(String offer) {
      String answer = endpoint.processOffer(offer);
      endpoint.gatherCandidates();
      return answer;
    }

    void awaitConnected() throws Exception {
      connected.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
  }
}
