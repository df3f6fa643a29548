package com.vclick.media.kurento;

import static com.vclick.media.api.Leg.ENTERPRISE;
import static com.vclick.media.api.Leg.FAR_END;
import static com.vclick.media.kurento.FakeKurento.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.Leg;
import com.vclick.media.api.MediaEvent;
import com.vclick.media.api.MediaServerException;
import com.vclick.media.api.ProxiedCall;
import com.vclick.media.api.ProxiedCallRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KurentoProxiedCallTest {

  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

  private final FakeKurento kurento = new FakeKurento();
  private final List<MediaEvent> events = new CopyOnWriteArrayList<>();
  private KurentoMediaServer server = server(Map.of());

  @AfterEach
  void closeServer() {
    server.close();
  }

  private KurentoMediaServer server(Map<String, String> extra) {
    var settings = new HashMap<>(Map.of("recording-stop-timeout-ms", "5000"));
    settings.putAll(extra);
    // Runnable::run: listeners are called on the thread that emits, so tests need no waiting
    return new KurentoMediaServer(
        KurentoSettings.from(settings), kurento, Clock.fixed(NOW, ZoneOffset.UTC), Runnable::run);
  }

  private ProxiedCall call(String id, boolean recorded) throws MediaServerException {
    return server.createProxiedCall(new ProxiedCallRequest(id, recorded), events::add);
  }

  private List<MediaEvent> eventsOf(String callId) {
    return events.stream().filter(e -> e.callId().equals(callId)).toList();
  }

  private <T extends MediaEvent> List<T> eventsOf(String callId, Class<T> type) {
    return eventsOf(callId).stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static IceCandidate candidate(String text) {
    return new IceCandidate("candidate:" + text + " 1 udp 2122 192.0.2.1 5000 typ host", "0", 0);
  }

  // --- offer/answer mapping ---

  @Test
  void theEnterpriseOffersTheFarEndGetsKurentosOfferAndTheEnterpriseKurentosAnswer()
      throws Exception {
    ProxiedCall call = call("c1", false);

    String offerForFarEnd = call.offer(ENTERPRISE, sdp("browser-offer-E"));

    assertTrue(offerForFarEnd.contains("s=kms-offer-for-c1-far-end"), offerForFarEnd);
    assertTrue(
        kurento.log.containsAll(
            List.of("c1-enterprise.processOffer browser-offer-E", "c1-far-end.generateOffer")));
    assertFalse(kurento.log.contains("c1-far-end.processOffer browser-offer-E"));

    String answerForEnterprise = call.answer(FAR_END, sdp("browser-answer-F"));

    assertTrue(answerForEnterprise.contains("s=kms-answer-for-c1-enterprise"), answerForEnterprise);
    assertTrue(kurento.log.contains("c1-far-end.processAnswer browser-answer-F"));
    assertEquals(
        List.of("c1-enterprise -> c1-far-end", "c1-far-end -> c1-enterprise"),
        kurento.pipeline("c1").links,
        "the endpoints are cross-connected");
  }

  @Test
  void theFarEndOffersTheMappingIsMirrored() throws Exception {
    ProxiedCall call = call("c2", false);

    String offerForEnterprise = call.offer(FAR_END, sdp("browser-offer-F"));
    String answerForFarEnd = call.answer(ENTERPRISE, sdp("browser-answer-E"));

    assertTrue(offerForEnterprise.contains("s=kms-offer-for-c2-enterprise"));
    assertTrue(answerForFarEnd.contains("s=kms-answer-for-c2-far-end"));
    assertTrue(
        kurento.log.containsAll(
            List.of(
                "c2-far-end.processOffer browser-offer-F",
                "c2-enterprise.generateOffer",
                "c2-enterprise.processAnswer browser-answer-E")));
  }

  @Test
  void eachEndpointGathersOnceAfterItHasItsLocalDescription() throws Exception {
    ProxiedCall call = call("c3", false);
    call.offer(ENTERPRISE, sdp("o"));
    call.answer(FAR_END, sdp("a"));

    List<String> steps =
        kurento.log.stream().filter(s -> s.startsWith("c3-") && !s.contains("->")).toList();
    assertEquals(
        List.of(
            "c3-enterprise.processOffer o",
            "c3-enterprise.gatherCandidates",
            "c3-far-end.generateOffer",
            "c3-far-end.gatherCandidates",
            "c3-far-end.getLocalSessionDescriptor",
            "c3-far-end.processAnswer a",
            "c3-enterprise.getLocalSessionDescriptor"),
        steps,
        "each SDP returned is read from its endpoint after gathering, the offerer's at answer()");
  }

  @Test
  void exchangesOutOfTurnAreRefused() throws Exception {
    ProxiedCall call = call("c4", false);
    assertThrows(IllegalStateException.class, () -> call.answer(FAR_END, sdp("a")));

    call.offer(ENTERPRISE, sdp("o"));
    assertThrows(IllegalStateException.class, () -> call.offer(FAR_END, sdp("o2")));
    assertThrows(IllegalStateException.class, () -> call.answer(ENTERPRISE, sdp("a")));

    call.answer(FAR_END, sdp("a"));
    assertThrows(IllegalStateException.class, () -> call.answer(FAR_END, sdp("a")));
  }

  @Test
  void aLaterRoundNegotiatesOnNewEndpointsForBothLegsAndReleasesTheOldOnesWhenItCompletes()
      throws Exception {
    ProxiedCall call = call("c5", false);
    call.offer(ENTERPRISE, sdp("o"));
    call.answer(FAR_END, sdp("a"));
    FakeKurento.Pipeline pipeline = kurento.pipeline("c5");

    String offer = call.offer(ENTERPRISE, sdp("again"));

    assertTrue(offer.contains("s=kms-offer-for-c5-far-end-2"), offer);
    assertTrue(kurento.log.contains("c5-enterprise-2.processOffer again"), kurento.log.toString());
    assertTrue(
        pipeline.links.containsAll(
            List.of("c5-enterprise-2 -> c5-far-end-2", "c5-far-end-2 -> c5-enterprise-2")),
        pipeline.links.toString());
    assertFalse(pipeline.endpoint("c5-enterprise").released, "relays until the round completes");
    assertFalse(pipeline.endpoint("c5-enterprise").ecdsa);
    assertTrue(
        pipeline.endpoint("c5-enterprise-2").ecdsa, "another certificate, another fingerprint");
    assertTrue(pipeline.endpoint("c5-far-end-2").ecdsa);
    call.addCandidate(FAR_END, candidate("new-session"));
    assertTrue(pipeline.endpoint("c5-far-end").candidates.isEmpty(), "not for the old endpoint");

    String answer = call.answer(FAR_END, sdp("a2"));

    assertTrue(answer.contains("s=kms-answer-for-c5-enterprise-2"), answer);
    assertEquals(1, pipeline.endpoint("c5-far-end-2").candidates.size(), "added after its SDP");
    assertTrue(pipeline.endpoint("c5-enterprise").released);
    assertTrue(pipeline.endpoint("c5-far-end").released);
    assertTrue(
        eventsOf("c5", MediaEvent.LocalCandidate.class).stream()
            .anyMatch(c -> c.candidate().candidate().endsWith("c5-enterprise-2")),
        "the new endpoints' candidates go out");

    call.offer(FAR_END, sdp("third"));
    assertTrue(call.answer(ENTERPRISE, sdp("a3")).contains("s=kms-answer-for-c5-far-end-3"));
    assertFalse(pipeline.endpoint("c5-far-end-3").ecdsa, "and back for the next round");
    call.close();
    assertEquals(0, kurento.livePipelines());
  }

  @Test
  void aRefusedLaterRoundLeavesTheCallOnItsEndpoints() throws Exception {
    ProxiedCall call = negotiated("c15", false);
    FakeKurento.Pipeline pipeline = kurento.pipeline("c15");
    kurento.failOn = "c15-far-end-2.generateOffer";

    var refused =
        assertThrows(MediaServerException.class, () -> call.offer(ENTERPRISE, sdp("again")));

    assertFalse(refused.getMessage().contains("again"), "no SDP in messages");
    assertFalse(refused.unreachable());
    assertTrue(pipeline.endpoint("c15-enterprise-2").released);
    assertTrue(pipeline.endpoint("c15-far-end-2").released);
    assertFalse(pipeline.endpoint("c15-enterprise").released);
    kurento.failOn = null;
    call.addCandidate(FAR_END, candidate("late"));
    assertEquals(1, pipeline.endpoint("c15-far-end").candidates.size());
    call.offer(ENTERPRISE, sdp("retry"));
    call.answer(FAR_END, sdp("a"));
    assertTrue(pipeline.endpoint("c15-far-end").released);
    call.close();
    assertEquals(0, kurento.livePipelines());
  }

  @Test
  void aRefusedAnswerInALaterRoundLeavesTheCallOnItsEndpoints() throws Exception {
    ProxiedCall call = negotiated("c16", false);
    FakeKurento.Pipeline pipeline = kurento.pipeline("c16");
    call.offer(ENTERPRISE, sdp("again"));
    kurento.failOn = "c16-far-end-2.processAnswer bad";

    assertThrows(MediaServerException.class, () -> call.answer(FAR_END, sdp("bad")));

    assertTrue(pipeline.endpoint("c16-far-end-2").released);
    assertFalse(pipeline.endpoint("c16-far-end").released);
    kurento.failOn = null;
    call.offer(FAR_END, sdp("again")); // the round is over: a new one may start
    call.answer(ENTERPRISE, sdp("a"));
    call.close();
    assertEquals(0, kurento.livePipelines());
  }

  // --- candidates ---

  @Test
  void candidatesBeforeTheirLegsDescriptionAreBufferedThenAdded() throws Exception {
    ProxiedCall call = call("c6", false);
    var e1 = candidate("e1");
    var f1 = candidate("f1");
    call.addCandidate(ENTERPRISE, e1);
    call.addCandidate(FAR_END, f1);
    FakeKurento.Pipeline pipeline = kurento.pipeline("c6");
    var enterprise = pipeline.endpoint("c6-enterprise");
    var farEnd = pipeline.endpoint("c6-far-end");
    assertTrue(enterprise.candidates.isEmpty());

    call.offer(ENTERPRISE, sdp("o"));
    assertEquals(List.of(e1), enterprise.candidates, "flushed after processOffer");
    assertTrue(farEnd.candidates.isEmpty(), "the far end has not answered yet");

    var f2 = candidate("f2");
    call.addCandidate(FAR_END, f2);
    assertTrue(farEnd.candidates.isEmpty());

    call.answer(FAR_END, sdp("a"));
    assertEquals(List.of(f1, f2), farEnd.candidates, "flushed after processAnswer, in order");

    var e2 = candidate("e2");
    call.addCandidate(ENTERPRISE, e2);
    assertEquals(List.of(e1, e2), enterprise.candidates, "added at once");
  }

  @Test
  void aCandidateWithOnlyAMidGetsItsIndexFromTheLegsSdp() throws Exception {
    ProxiedCall call = call("c7", false);
    call.offer(ENTERPRISE, sdp("o"));
    call.addCandidate(
        ENTERPRISE, new IceCandidate("candidate:v 1 udp 1 192.0.2.1 9 typ host", "1", null));
    call.addCandidate(ENTERPRISE, new IceCandidate("", "0", 0));

    var added = kurento.pipeline("c7").endpoint("c7-enterprise").candidates;
    assertEquals(
        List.of(new IceCandidate("candidate:v 1 udp 1 192.0.2.1 9 typ host", "1", 1)),
        added,
        "end-of-candidates is not passed on");
  }

  @Test
  void kurentosCandidatesForALegWaitUntilThatLegHasKurentosSdp() throws Exception {
    ProxiedCall call = call("c8", false);

    call.offer(ENTERPRISE, sdp("o"));

    List<MediaEvent.LocalCandidate> afterOffer = eventsOf("c8", MediaEvent.LocalCandidate.class);
    assertEquals(
        List.of(FAR_END),
        afterOffer.stream().map(MediaEvent.LocalCandidate::leg).toList(),
        "the far end got Kurento's offer; the enterprise has no answer yet");

    call.answer(FAR_END, sdp("a"));

    List<MediaEvent.LocalCandidate> all = eventsOf("c8", MediaEvent.LocalCandidate.class);
    assertEquals(
        List.of(FAR_END, ENTERPRISE), all.stream().map(MediaEvent.LocalCandidate::leg).toList());
    assertTrue(all.get(1).candidate().candidate().endsWith("c8-enterprise"));

    kurento.pipeline("c8").endpoint("c8-enterprise").events.candidateFound(candidate("later"));
    assertEquals(3, eventsOf("c8", MediaEvent.LocalCandidate.class).size(), "now passed at once");
  }

  // --- Kurento's candidates in the SDPs returned (the application does not trickle them) ---

  private static List<String> candidateLines(String sdp) {
    return sdp.lines().filter(line -> line.startsWith("a=candidate:")).toList();
  }

  @Test
  void whenGatheringIsDoneAtOnceTheSdpsCarryKurentosCandidates() throws Exception {
    ProxiedCall call = call("g1", false);

    String offerForFarEnd = call.offer(ENTERPRISE, sdp("o"));

    assertTrue(offerForFarEnd.contains("s=kms-offer-for-g1-far-end"), offerForFarEnd);
    assertEquals(
        List.of("a=candidate:1 1 udp 2122 10.0.0.1 4000 typ host g1-far-end"),
        candidateLines(offerForFarEnd));
    int audio = offerForFarEnd.indexOf("m=audio");
    int candidate = offerForFarEnd.indexOf("a=candidate:");
    int video = offerForFarEnd.indexOf("m=video");
    assertTrue(audio < candidate && candidate < video, "in the section of its sdpMLineIndex");

    String answerForEnterprise = call.answer(FAR_END, sdp("a"));

    assertTrue(answerForEnterprise.contains("s=kms-answer-for-g1-enterprise"));
    assertEquals(
        List.of("a=candidate:1 1 udp 2122 10.0.0.1 4000 typ host g1-enterprise"),
        candidateLines(answerForEnterprise));
    assertEquals(
        List.of(FAR_END, ENTERPRISE),
        eventsOf("g1", MediaEvent.LocalCandidate.class).stream()
            .map(MediaEvent.LocalCandidate::leg)
            .toList(),
        "still emitted as LocalCandidate events too");
  }

  @Test
  void offerAndAnswerWaitForCandidatesFoundLaterUntilGatheringIsDone() throws Exception {
    kurento.gathering = FakeKurento.Gathering.AFTER_CANDIDATES;
    ProxiedCall call = call("g2", false);

    String offerForEnterprise = call.offer(FAR_END, sdp("o"));
    String answerForFarEnd = call.answer(ENTERPRISE, sdp("a"));

    for (var sdpAndLeg :
        List.of(
            List.of(offerForEnterprise, "g2-enterprise"), List.of(answerForFarEnd, "g2-far-end"))) {
      String returned = sdpAndLeg.get(0);
      String endpoint = sdpAndLeg.get(1);
      assertEquals(
          List.of(
              "a=candidate:1 1 udp 2122 10.0.0.1 4000 typ host " + endpoint,
              "a=candidate:2 1 udp 1686052607 198.51.100.7 40000 typ srflx " + endpoint,
              "a=candidate:3 1 udp 41885439 203.0.113.5 50000 typ relay " + endpoint),
          candidateLines(returned),
          endpoint + ": every candidate, the relay one included");
    }
    awaitCandidateEvents("g2", 6);
  }

  private void awaitCandidateEvents(String callId, int count) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (eventsOf(callId, MediaEvent.LocalCandidate.class).size() < count) {
      assertTrue(System.nanoTime() < deadline, "LocalCandidate events: " + eventsOf(callId));
      Thread.sleep(10);
    }
  }

  @Test
  void whenGatheringNeverFinishesTheSdpCarriesWhatWasFoundByTheTimeoutAndSaysSoAtInfo()
      throws Exception {
    server = server(Map.of("gathering-timeout-ms", "100"));
    kurento.gathering = FakeKurento.Gathering.NEVER;
    var logged = new CopyOnWriteArrayList<LogRecord>();
    var handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.INFO.intValue()) {
              logged.add(record);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger logger = Logger.getLogger(KurentoProxiedCall.class.getName());
    logger.addHandler(handler);
    try {
      ProxiedCall call = call("g3", false);

      long started = System.nanoTime();
      String offerForFarEnd = call.offer(ENTERPRISE, sdp("o"));
      long waitedMs = (System.nanoTime() - started) / 1_000_000;

      assertTrue(waitedMs >= 90, "waited for the gathering: " + waitedMs + " ms");
      assertEquals(
          List.of("a=candidate:1 1 udp 2122 10.0.0.1 4000 typ host g3-far-end"),
          candidateLines(offerForFarEnd),
          "the candidate found before the timeout");

      // a candidate found between offer() and answer(): the offerer's SDP is read at answer()
      var late = new IceCandidate("candidate:9 1 udp 5 203.0.113.9 9 typ relay late", "0", 0);
      kurento.pipeline("g3").endpoint("g3-enterprise").found(late);
      String answerForEnterprise = call.answer(FAR_END, sdp("a"));

      assertEquals(
          List.of(
              "a=candidate:1 1 udp 2122 10.0.0.1 4000 typ host g3-enterprise",
              "a=candidate:9 1 udp 5 203.0.113.9 9 typ relay late"),
          candidateLines(answerForEnterprise));
      assertEquals(
          List.of(FAR_END, ENTERPRISE, ENTERPRISE),
          eventsOf("g3", MediaEvent.LocalCandidate.class).stream()
              .map(MediaEvent.LocalCandidate::leg)
              .toList());
    } finally {
      logger.removeHandler(handler);
    }
    List<String> messages = logged.stream().map(LogRecord::getMessage).toList();
    assertEquals(2, messages.size(), messages.toString());
    assertTrue(
        messages.get(0).contains("toward FAR_END not done within 100 ms")
            && messages.get(0).contains("carries 1 candidate(s)"),
        messages.get(0));
    assertTrue(messages.get(1).contains("carries 2 candidate(s)"), messages.get(1));
    assertTrue(logged.stream().allMatch(r -> r.getLevel() == Level.INFO));
    assertTrue(
        messages.stream().noneMatch(m -> m.contains("a=candidate") || m.contains("v=0")),
        "no SDP content at INFO");
  }

  // --- media and leg events ---

  @Test
  void mediaFlowAndFailuresBecomeNeutralEventsOncePerChange() throws Exception {
    ProxiedCall call = call("c9", false);
    var endpoint = kurento.pipeline("c9").endpoint("c9-enterprise");

    endpoint.events.mediaFlowIn("AUDIO", true); // the far end's media on its way to the enterprise
    endpoint.events.mediaFlowOut("AUDIO", true);
    endpoint.events.mediaFlowOut("VIDEO", true);
    endpoint.events.iceComponentState("FAILED");
    endpoint.events.iceComponentState("FAILED");
    endpoint.events.iceComponentState("CONNECTED");
    endpoint.events.connectionState(false);

    assertEquals(
        List.of(
            new MediaEvent.MediaFlowing("c9", ENTERPRISE),
            new MediaEvent.LegFailed("c9", ENTERPRISE, "ice-failed"),
            new MediaEvent.LegFailed("c9", ENTERPRISE, "connection-lost")),
        eventsOf("c9"));
    call.close();
    endpoint.events.mediaFlowOut("AUDIO", true);
    assertEquals(new MediaEvent.CallReleased("c9", "closed"), eventsOf("c9").get(3));
    assertEquals(4, eventsOf("c9").size(), "nothing after CallReleased");
  }

  @Test
  void endpointsGetTheConfiguredBandwidth() throws Exception {
    server = server(Map.of("video-max-send-kbps", "1500", "video-min-send-kbps", "200"));
    call("c10", false);
    var bandwidth = kurento.pipeline("c10").endpoint("c10-far-end").bandwidth;
    assertEquals(new KurentoSettings.Bandwidth(1500, 200, 2500, 300), bandwidth);
  }

  // --- recording ---

  private ProxiedCall negotiated(String id, boolean recorded) throws MediaServerException {
    ProxiedCall call = call(id, recorded);
    call.offer(ENTERPRISE, sdp("o"));
    call.answer(FAR_END, sdp("a"));
    return call;
  }

  @Test
  void aRecordedCallWiresEachEndpointsOutputIntoTheRecordersOnceNegotiated() throws Exception {
    ProxiedCall call = call("r1", true);
    call.offer(ENTERPRISE, sdp("o"));
    assertTrue(kurento.pipeline("r1").recorders().isEmpty(), "media kinds are not known yet");

    call.answer(FAR_END, sdp("a"));

    FakeKurento.Pipeline pipeline = kurento.pipeline("r1");
    assertTrue(
        pipeline.links.containsAll(
            List.of(
                "r1-enterprise -> r1-in-enterprise",
                "r1-far-end -> r1-in-far-end",
                "r1-out -> r1-recorder-both",
                "r1-enterprise -> r1-recorder-enterprise",
                "r1-far-end -> r1-recorder-far-end")),
        pipeline.links.toString());
    assertTrue(
        pipeline.links.stream().noneMatch(link -> link.startsWith("r1-recorder")),
        "a recorder is never a source");
    var uris = pipeline.recorders().stream().map(r -> r.uri).toList();
    assertEquals(
        List.of(
            "file:///var/lib/kurento/recordings/r1-both.webm",
            "file:///var/lib/kurento/recordings/r1-enterprise.webm",
            "file:///var/lib/kurento/recordings/r1-far-end.webm"),
        uris);
    assertTrue(pipeline.recorders().stream().allMatch(r -> r.recording));
    assertTrue(
        pipeline.recorders().stream().allMatch(r -> r.profile == KurentoGateway.Profile.WEBM));
  }

  @Test
  void anAudioOnlyLegIsRecordedWithAnAudioOnlyProfile() throws Exception {
    ProxiedCall call = call("r2", true);
    call.offer(
        ENTERPRISE,
        "v=0\r\ns=o\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\nm=video 0 UDP/TLS/RTP/SAVPF 96\r\n");
    call.answer(FAR_END, sdp("a"));

    var pipeline = kurento.pipeline("r2");
    assertEquals(
        KurentoGateway.Profile.WEBM_AUDIO_ONLY,
        pipeline.recorder("r2-recorder-enterprise").profile);
    assertEquals(KurentoGateway.Profile.WEBM, pipeline.recorder("r2-recorder-far-end").profile);
    assertEquals(KurentoGateway.Profile.WEBM, pipeline.recorder("r2-recorder-both").profile);
  }

  @Test
  void withoutPartsOnlyTheCompositeIsRecorded() throws Exception {
    server = server(Map.of("recording-parts", "false"));
    negotiated("r3", true);
    assertEquals(
        List.of("r3-recorder-both"),
        kurento.pipeline("r3").recorders().stream().map(r -> r.name).toList());
  }

  @Test
  void stoppingWaitsForEveryStoppedEventBeforeReleasingTheRecorders() throws Exception {
    ProxiedCall call = negotiated("r4", true);
    var recorders = kurento.pipeline("r4").recorders();

    call.stopRecording();

    for (var recorder : recorders) {
      int stop = kurento.log.indexOf(recorder.name + ".stop");
      int stopped = kurento.log.indexOf(recorder.name + ".stopped");
      int release = kurento.log.indexOf("release " + recorder.name);
      assertTrue(
          stop >= 0 && stop < stopped && stopped < release, recorder.name + ": " + kurento.log);
    }
    var done = eventsOf("r4", MediaEvent.RecordingStopped.class);
    assertEquals(1, done.size());
    Path dir = Path.of("/var/lib/kurento/recordings");
    assertEquals(dir.resolve("r4-both.webm"), done.get(0).file());
    assertEquals(
        List.of(dir.resolve("r4-enterprise.webm"), dir.resolve("r4-far-end.webm")),
        done.get(0).parts());
    assertEquals(NOW, done.get(0).startedAt());
    assertTrue(kurento.log.contains("release r4-composite"));
    assertEquals(1, kurento.livePipelines(), "the call itself goes on");

    call.stopRecording(); // no-op
    call.startRecording();
    assertTrue(
        kurento.pipeline("r4").recorder("r4-2-recorder-both").recording,
        "a second recording gets new files");
  }

  @Test
  void aRecorderThatNeverReportsStoppedTimesOutIsReleasedAndTheRecordingFails() throws Exception {
    server = server(Map.of("recording-stop-timeout-ms", "100"));
    ProxiedCall call = negotiated("r5", true);
    kurento.stopBehaviour = FakeKurento.StopBehaviour.NEVER;

    call.stopRecording();

    var failed = eventsOf("r5", MediaEvent.RecordingFailed.class);
    assertEquals(1, failed.size());
    assertTrue(
        failed.get(0).reason().contains("did not report Stopped within 100 ms"),
        failed.get(0).reason());
    assertTrue(eventsOf("r5", MediaEvent.RecordingStopped.class).isEmpty());
    assertTrue(
        kurento.pipeline("r5").recorders().stream().allMatch(r -> r.released), "no recorder leaks");
  }

  /**
   * KMS stays up while the recordings folder goes away under it (renamed, unmounted): its recorders
   * write on into files nobody will find and KMS reports nothing. The adapter's file check (run
   * here by hand; the server runs it every recording-check-ms) sees a file it saw before gone and
   * reports RecordingFailed once; the call goes on (the application's fail mode decides) and, at
   * its end, the failed recording is not reported as stored. A file never seen (a folder this
   * server does not share with KMS) is no failure.
   */
  @Test
  void aRecordingFileThatVanishesMidCallFailsTheRecordingOnce() throws Exception {
    Path dir = Files.createTempDirectory("vclick-kurento-files");
    try {
      server = server(Map.of("recordings-dir", dir.toString(), "recording-check-ms", "0"));
      var call = (KurentoProxiedCall) negotiated("r11", true);
      assertEquals(0, call.checkRecordingFiles(), "no file yet");
      assertTrue(eventsOf("r11", MediaEvent.RecordingFailed.class).isEmpty(), "not seen yet");
      Path both = dir.resolve("r11-both.webm");
      Files.writeString(both, "webm"); // KMS creates it once its recorder writes
      assertEquals(1, call.checkRecordingFiles());
      assertTrue(eventsOf("r11", MediaEvent.RecordingFailed.class).isEmpty(), "there");

      Files.delete(both);
      call.checkRecordingFiles();
      call.checkRecordingFiles();

      var failed = eventsOf("r11", MediaEvent.RecordingFailed.class);
      assertEquals(1, failed.size(), failed.toString());
      assertTrue(failed.get(0).reason().contains("r11-both.webm is gone"), failed.toString());
      assertEquals(1, server.openCalls(), "the call goes on");
      call.close();
      assertEquals(1, eventsOf("r11", MediaEvent.RecordingFailed.class).size(), "reported once");
      assertTrue(eventsOf("r11", MediaEvent.RecordingStopped.class).isEmpty());
    } finally {
      try (var files = Files.list(dir)) {
        for (Path file : files.toList()) {
          Files.delete(file);
        }
      }
      Files.delete(dir);
    }
  }

  @Test
  void closingARecordingCallCompletesTheFilesBeforeReleasingThePipeline() throws Exception {
    ProxiedCall call = negotiated("r6", true);

    call.close();

    List<MediaEvent> tail =
        eventsOf("r6").stream().filter(e -> !(e instanceof MediaEvent.LocalCandidate)).toList();
    assertInstanceOf(MediaEvent.RecordingStopped.class, tail.get(0));
    assertEquals(new MediaEvent.CallReleased("r6", "closed"), tail.get(1));
    int lastStopped = kurento.log.lastIndexOf("r6-recorder-far-end.stopped");
    assertTrue(
        lastStopped >= 0 && lastStopped < kurento.log.indexOf("release pipeline vclick-call-r6"));
  }

  @Test
  void startingARecordingThatKurentoRefusesThrowsAndLeavesNoRecorder() throws Exception {
    ProxiedCall call = negotiated("r7", false);
    kurento.failOn = "r7-recorder-far-end";

    assertThrows(MediaServerException.class, call::startRecording);

    var pipeline = kurento.pipeline("r7");
    assertTrue(pipeline.recorders().stream().allMatch(r -> r.released));
    assertTrue(
        pipeline.elements.get("r7-composite") instanceof FakeKurento.Element c && c.released);
  }

  @Test
  void aRecordingWishedFromTheStartButNeverNegotiatedIsReportedAsNotMade() throws Exception {
    ProxiedCall call = call("r8", true);
    call.close();
    assertEquals(1, eventsOf("r8", MediaEvent.RecordingFailed.class).size());
  }

  @Test
  void aRecorderThatNeverGotMediaIsNotStoppedAndItsEmptyPartIsLeftOut() throws Exception {
    kurento.noMediaFor.add("r9-recorder-far-end");
    ProxiedCall call = negotiated("r9", true);
    long before = System.nanoTime();

    call.stopRecording();

    assertTrue(System.nanoTime() - before < 2_000_000_000L, "no wait for a Stopped never coming");
    assertFalse(kurento.log.contains("r9-recorder-far-end.stop"), kurento.log.toString());
    var done = eventsOf("r9", MediaEvent.RecordingStopped.class);
    assertEquals(1, done.size(), eventsOf("r9").toString());
    Path dir = Path.of("/var/lib/kurento/recordings");
    assertEquals(dir.resolve("r9-both.webm"), done.get(0).file());
    assertEquals(List.of(dir.resolve("r9-enterprise.webm")), done.get(0).parts());
    assertTrue(kurento.pipeline("r9").recorders().stream().allMatch(r -> r.released));
  }

  @Test
  void aRecorderWhoseMediaArrivedButWhichHasNotStartedYetIsStoppedOnceItStarts() throws Exception {
    kurento.lateMediaFor.add("r11-recorder-far-end");
    ProxiedCall call = negotiated("r11", true);
    kurento.pipeline("r11").endpoint("r11-far-end").events.mediaFlowOut("VIDEO", true);

    call.stopRecording();

    String recorder = "r11-recorder-far-end";
    int started = kurento.log.indexOf(recorder + ".recording");
    int stop = kurento.log.indexOf(recorder + ".stop");
    int stopped = kurento.log.indexOf(recorder + ".stopped");
    int release = kurento.log.indexOf("release " + recorder);
    assertTrue(
        started >= 0 && started < stop && stop < stopped && stopped < release,
        kurento.log.toString());
    var done = eventsOf("r11", MediaEvent.RecordingStopped.class);
    assertEquals(1, done.size(), eventsOf("r11").toString());
    assertEquals(2, done.get(0).parts().size());
  }

  @Test
  void whenNoRecorderGotMediaTheRecordingFailsAtOnceInsteadOfWaiting() throws Exception {
    kurento.noMediaFor.add("-recorder-both");
    kurento.noMediaFor.add("-recorder-enterprise");
    kurento.noMediaFor.add("-recorder-far-end");
    ProxiedCall call = negotiated("r10", true);

    call.close();

    var failed = eventsOf("r10", MediaEvent.RecordingFailed.class);
    assertEquals(1, failed.size(), eventsOf("r10").toString());
    assertTrue(failed.get(0).reason().contains("nothing was recorded"), failed.get(0).reason());
    assertTrue(eventsOf("r10", MediaEvent.RecordingStopped.class).isEmpty());
    assertEquals(0, kurento.livePipelines());
  }

  @Test
  void aRecordingFollowsARenegotiationIntoTheSameFileOfBothAndNewParts() throws Exception {
    ProxiedCall call = negotiated("r12", true);
    FakeKurento.Pipeline pipeline = kurento.pipeline("r12");

    call.offer(ENTERPRISE, sdp("video-added"));
    call.answer(FAR_END, sdp("a2"));

    assertTrue(
        pipeline.links.containsAll(
            List.of(
                "r12-enterprise-2 -> r12-in-enterprise",
                "r12-far-end-2 -> r12-in-far-end",
                "r12-enterprise-2 -> r12-recorder-enterprise-2",
                "r12-far-end-2 -> r12-recorder-far-end-2")),
        pipeline.links.toString());
    assertTrue(pipeline.recorder("r12-recorder-enterprise-2").recording);
    assertFalse(pipeline.recorder("r12-recorder-both").released, "the file of both goes on");

    call.stopRecording();

    var done = eventsOf("r12", MediaEvent.RecordingStopped.class);
    assertEquals(1, done.size(), eventsOf("r12").toString());
    Path dir = Path.of("/var/lib/kurento/recordings");
    assertEquals(dir.resolve("r12-both.webm"), done.get(0).file());
    assertEquals(
        List.of(
            dir.resolve("r12-enterprise.webm"),
            dir.resolve("r12-far-end.webm"),
            dir.resolve("r12-enterprise-2.webm"),
            dir.resolve("r12-far-end-2.webm")),
        done.get(0).parts());
    assertTrue(pipeline.recorders().stream().allMatch(r -> r.released));
  }

  @Test
  void aRecordingAskedForDuringALaterRoundStartsOnTheNewEndpointsWhenItCompletes()
      throws Exception {
    ProxiedCall call = negotiated("r13", false);
    call.offer(FAR_END, sdp("again"));

    call.startRecording();

    assertTrue(kurento.pipeline("r13").recorders().isEmpty(), "not while the round is open");
    call.answer(ENTERPRISE, sdp("a2"));
    assertTrue(
        kurento
            .pipeline("r13")
            .links
            .containsAll(
                List.of(
                    "r13-enterprise-2 -> r13-in-enterprise",
                    "r13-enterprise-2 -> r13-recorder-enterprise",
                    "r13-far-end-2 -> r13-recorder-far-end")),
        kurento.pipeline("r13").links.toString());
    call.close();
    assertEquals(1, eventsOf("r13", MediaEvent.RecordingStopped.class).size());
  }

  // --- close, connection loss, leaks ---

  @Test
  void closeIsIdempotentAndReleasesThePipelineOnce() throws Exception {
    ProxiedCall call = negotiated("x1", false);
    FakeKurento.Pipeline pipeline = kurento.pipeline("x1");

    call.close();
    call.close();

    assertEquals(1, pipeline.releases.get());
    assertEquals(1, eventsOf("x1", MediaEvent.CallReleased.class).size());
    assertEquals(0, server.openCalls());
    assertThrows(IllegalStateException.class, () -> call.offer(ENTERPRISE, sdp("o")));
    assertThrows(IllegalStateException.class, () -> call.addCandidate(ENTERPRISE, candidate("x")));
  }

  @Test
  void closeNeverThrowsEvenWhenKurentoRefusesTheRelease() throws Exception {
    ProxiedCall call = negotiated("x2", false);
    kurento.failOn = "vclick-call-x2";
    call.close();
    assertEquals(
        new MediaEvent.CallReleased("x2", "closed"), eventsOf("x2").get(eventsOf("x2").size() - 1));
    assertEquals(0, server.openCalls());
  }

  @Test
  void losingTheConnectionFailsBothLegsAndReleasesEveryCallThenNewCallsReconnect()
      throws Exception {
    negotiated("l1", true);
    call("l2", false);
    call("l3", false);
    FakeKurento.Connection first = kurento.last();

    first.events.disconnected();

    for (String id : List.of("l1", "l2", "l3")) {
      List<MediaEvent> tail =
          eventsOf(id).stream().filter(e -> !(e instanceof MediaEvent.LocalCandidate)).toList();
      assertTrue(
          tail.containsAll(
              List.of(
                  new MediaEvent.LegFailed(id, ENTERPRISE, "media-server-lost"),
                  new MediaEvent.LegFailed(id, FAR_END, "media-server-lost"))),
          tail.toString());
      assertEquals(new MediaEvent.CallReleased(id, "media-server-lost"), tail.get(tail.size() - 1));
    }
    assertEquals(1, eventsOf("l1", MediaEvent.RecordingFailed.class).size());
    assertEquals(0, server.openCalls());
    assertTrue(first.closed, "the dead client is dropped");
    assertFalse(
        kurento.log.contains("release pipeline vclick-call-l1"), "nothing is asked of a lost KMS");

    negotiated("l4", false);
    assertEquals(2, kurento.connections.size(), "a new connection");
    assertEquals(1, server.openCalls());

    first.events.connectionFailed(); // a late event of the old connection changes nothing
    assertEquals(1, server.openCalls());
  }

  @Test
  void aClientStuckOnItsConnectionLockIsReplacedOnItsNextUse() throws Exception {
    negotiated("w1", false);
    FakeKurento.Connection first = kurento.last();
    kurento.silent = true;
    kurento.silentType = "TimeoutRuntimeException";

    var unanswered = assertThrows(MediaServerException.class, () -> call("w2", false));
    assertTrue(unanswered.unreachable());
    kurento.silent = false;
    negotiated("w3", false);

    assertEquals(2, kurento.connections.size(), "a new client");
    assertEquals(
        new MediaEvent.CallReleased("w1", "media-server-lost"),
        eventsOf("w1").get(eventsOf("w1").size() - 1));
    assertEquals(1, server.openCalls());
    for (int i = 0; i < 50 && !first.closed; i++) {
      Thread.sleep(10); // closed on a thread of its own
    }
    assertTrue(first.closed, "the stuck client is dropped");
  }

  @Test
  void requestsUnansweredInARowPastTheReconnectWindowReplaceTheClientOneAloneDoesNot()
      throws Exception {
    server = server(Map.of("reconnect-window-ms", "50"));
    negotiated("w5", false);
    kurento.silent = true;
    assertThrows(MediaServerException.class, () -> call("w6", false));
    kurento.silent = false;
    Thread.sleep(60);
    negotiated("w7", false);
    assertEquals(1, kurento.connections.size(), "one unanswered request alone is no loss");

    kurento.silent = true;
    assertThrows(MediaServerException.class, () -> call("w8", false));
    assertThrows(MediaServerException.class, () -> call("w9", false));
    kurento.silent = false;
    Thread.sleep(60);
    negotiated("w10", false);

    assertEquals(2, kurento.connections.size(), "a new client");
    assertEquals(1, server.openCalls());
  }

  @Test
  void anAnswerEndsTheStreakOfUnansweredRequests() throws Exception {
    // a window long enough for the answer to come within it even on a loaded machine (with 50 ms
    // the answering probe itself could find the streak past the window and drop the client)
    server = server(Map.of("reconnect-window-ms", "1000"));
    kurento.silent = true;
    assertTrue(server.probe().toString().contains("unreachable"));
    assertTrue(server.probe().toString().contains("unreachable"), "two unanswered in a row");
    kurento.silent = false;
    assertTrue(server.probe().reachable(), "answered");
    Thread.sleep(1100); // past the window: only the streak (now ended) could drop the client
    negotiated("w4", false);
    assertEquals(1, kurento.connections.size(), "the same client");
  }

  @Test
  void aFailedConnectionEndsItsCallsToo() throws Exception {
    call("l5", false);
    kurento.last().events.connectionFailed();
    assertEquals(
        new MediaEvent.CallReleased("l5", "media-server-lost"),
        eventsOf("l5").get(eventsOf("l5").size() - 1));
    assertEquals(0, server.openCalls());
  }

  @Test
  void reconnectingToTheSameSessionKeepsTheCallsToANewSessionEndsThem() throws Exception {
    call("l6", false);
    kurento.last().events.reconnected(true);
    assertEquals(1, server.openCalls());

    kurento.last().events.reconnected(false);
    assertEquals(
        new MediaEvent.CallReleased("l6", "media-server-restarted"),
        eventsOf("l6").get(eventsOf("l6").size() - 1));
    assertEquals(0, server.openCalls());
    call("l7", false);
    assertEquals(1, kurento.connections.size(), "the reconnected client is used");
  }

  @Test
  void afterManyCallsNoPipelineIsLeft() throws Exception {
    for (int i = 0; i < 60; i++) {
      ProxiedCall call = call("n" + i, i % 3 == 0);
      if (i % 2 == 0) {
        call.offer(i % 4 == 0 ? ENTERPRISE : FAR_END, sdp("o"));
        call.answer(i % 4 == 0 ? FAR_END : ENTERPRISE, sdp("a"));
      }
      if (i % 5 != 0) {
        call.close();
      }
    }
    assertEquals(12, server.openCalls());
    assertEquals(12, kurento.livePipelines());

    server.close();

    assertEquals(0, server.openCalls());
    assertEquals(0, kurento.livePipelines());
    assertTrue(kurento.last().closed);
    assertEquals(
        new MediaEvent.CallReleased("n0", "shutdown"),
        eventsOf("n0").get(eventsOf("n0").size() - 1));
    assertThrows(IllegalStateException.class, () -> call("late", false));
  }

  @Test
  void aCallThatCannotBeSetUpLeavesNoPipeline() {
    kurento.failOn = "createWebRtcEndpoint s1-far-end";
    var refused = assertThrows(MediaServerException.class, () -> call("s1", false));
    assertFalse(refused.unreachable());
    assertEquals(0, kurento.livePipelines());
    assertEquals(0, server.openCalls());
  }

  @Test
  void anUnreachableKurentoIsReportedAsSuch() {
    kurento.unreachable = true;
    var refused = assertThrows(MediaServerException.class, () -> call("s2", false));
    assertTrue(refused.unreachable());
    assertFalse(server.probe().reachable());
    kurento.unreachable = false;
    assertTrue(server.probe().reachable(), "the next use connects");
  }

  @Test
  void oneCallIdIsOneCall() throws Exception {
    call("d1", false);
    assertThrows(MediaServerException.class, () -> call("d1", false));
    assertEquals(1, kurento.livePipelines());
  }

  @Test
  void onTheAdaptersOwnThreadsACallsEventsKeepTheirOrder() throws Exception {
    var ownThreads =
        new KurentoMediaServer(KurentoSettings.from(Map.of()), kurento, Clock.systemUTC(), null);
    ProxiedCall call =
        ownThreads.createProxiedCall(new ProxiedCallRequest("o1", false), events::add);
    call.offer(ENTERPRISE, sdp("o"));
    call.answer(FAR_END, sdp("a"));
    var endpoint = kurento.pipeline("o1").endpoint("o1-far-end");
    for (int i = 0; i < 200; i++) {
      endpoint.events.candidateFound(candidate("n" + i));
    }

    ownThreads.close(); // waits for the listeners

    List<String> found =
        eventsOf("o1", MediaEvent.LocalCandidate.class).stream()
            .filter(c -> c.leg() == FAR_END)
            .map(c -> c.candidate().candidate().split(" ")[0])
            .skip(1) // the one found while gathering
            .toList();
    assertEquals(200, found.size());
    for (int i = 0; i < 200; i++) {
      assertEquals("candidate:n" + i, found.get(i));
    }
    assertEquals(
        new MediaEvent.CallReleased("o1", "shutdown"),
        eventsOf("o1").get(eventsOf("o1").size() - 1));
  }

  @Test
  void theLegsHaveTheirOwnNames() {
    assertEquals("enterprise", CallLeg.party(Leg.ENTERPRISE));
    assertEquals("far-end", CallLeg.party(Leg.FAR_END));
  }
}
