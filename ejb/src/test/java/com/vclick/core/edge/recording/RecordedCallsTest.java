package com.vclick.core.edge.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.core.edge.EdgeDecisionKind;
import com.vclick.core.testing.MutableClock;
import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.Leg;
import com.vclick.media.api.MediaEvent;
import com.vclick.media.api.MediaEventListener;
import com.vclick.media.api.MediaServer;
import com.vclick.media.api.MediaServerException;
import com.vclick.media.api.MediaServerStatus;
import com.vclick.media.api.ProxiedCall;
import com.vclick.media.api.ProxiedCallRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordedCallsTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
  private final FakeServer server = new FakeServer();
  private final Map<String, RecordedCalls.DecisionFacts> decisions = new HashMap<>();
  private final List<String> audit = new ArrayList<>();
  private final List<String> auditDetails = new ArrayList<>();
  private final FakeJournal journal = new FakeJournal();
  private final List<FinishedRecording> finished = journal.finished;
  private final List<RecordedCallStopped> stops = new ArrayList<>();

  private RecordedCalls calls(RecordingFailMode mode) {
    return new RecordedCalls(
        () -> server,
        id -> Optional.ofNullable(decisions.get(id)),
        (actor, action, target, detail) -> {
          audit.add(actor + " " + action);
          auditDetails.add(actor + " " + action + " " + target + " " + detail);
        },
        new RecordedCallConfig(mode, Duration.ofMinutes(5), 2),
        clock,
        journal,
        stops::add);
  }

  private void decided(String id, String user, EdgeDecisionKind kind) {
    decisions.put(
        id, new RecordedCalls.DecisionFacts(user, "https://meet.example", kind, clock.instant()));
  }

  @Test
  void opensUnderTheUsersOwnRecentRecordDecisionOnly() throws Exception {
    var calls = calls(RecordingFailMode.BLOCK);
    decided("d1", "alice", EdgeDecisionKind.RECORD);
    decided("d2", "alice", EdgeDecisionKind.RELAY);
    assertEquals(
        400,
        assertThrows(RecordedCallRefusedException.class, () -> calls.open(owner("bob"), "d1", null))
            .status());
    assertEquals(
        400,
        assertThrows(
                RecordedCallRefusedException.class, () -> calls.open(owner("alice"), "d2", null))
            .status());
    assertEquals(
        400,
        assertThrows(
                RecordedCallRefusedException.class, () -> calls.open(owner("alice"), "nope", null))
            .status());
    RecordedCallOpened opened = calls.open(owner("alice"), "d1", null);
    assertTrue(opened.recorded());
    assertEquals(1, server.open.size());
    assertTrue(server.requests.get(0).recorded(), "recorded from the start");
    clock.advance(RecordedCalls.MAX_DECISION_AGE.plusSeconds(1));
    assertThrows(RecordedCallRefusedException.class, () -> calls.open(owner("alice"), "d1", null));
  }

  @Test
  void exchangesGoToTheOwnersCallOnly() throws Exception {
    var calls = calls(RecordingFailMode.BLOCK);
    decided("d1", "alice", EdgeDecisionKind.RECORD);
    String id = calls.open(owner("alice"), "d1", null).recordedCallId();
    assertEquals("X(A)", calls.offer("alice", id, Leg.ENTERPRISE, "A"));
    assertEquals("Y(B)", calls.answer("alice", id, Leg.FAR_END, "B"));
    calls.candidate(
        "alice",
        id,
        Leg.FAR_END,
        new IceCandidate("candidate:1 1 udp 1 10.0.0.1 9 typ host", "0", 0));
    assertEquals(1, server.calls.get(0).candidates);
    assertEquals(
        404,
        assertThrows(
                RecordedCallRefusedException.class,
                () -> calls.offer("bob", id, Leg.ENTERPRISE, "A"))
            .status());
    assertEquals(
        409,
        assertThrows(
                RecordedCallRefusedException.class,
                () -> calls.answer("alice", id, Leg.FAR_END, "again"))
            .status());
  }

  @Test
  void aUserHoldsABoundedNumberOfCalls() throws Exception {
    var calls = calls(RecordingFailMode.BLOCK);
    decided("d1", "alice", EdgeDecisionKind.RECORD);
    calls.open(owner("alice"), "d1", null);
    calls.open(owner("alice"), "d1", null);
    assertEquals(
        429,
        assertThrows(
                RecordedCallRefusedException.class, () -> calls.open(owner("alice"), "d1", null))
            .status());
  }

  @Test
  void failModeBlockRefusesAndAuditsAllowUnrecordedGoesOnAndAudits() throws Exception {
    server.down = true;
    decided("d1", "alice", EdgeDecisionKind.RECORD);
    assertThrows(
        RecordedCallUnavailableException.class,
        () -> calls(RecordingFailMode.BLOCK).open(owner("alice"), "d1", null));
    assertTrue(audit.contains("alice recording.blocked"));
    RecordedCallOpened opened =
        calls(RecordingFailMode.ALLOW_UNRECORDED).open(owner("alice"), "d1", null);
    assertFalse(opened.recorded());
    assertNull(opened.recordedCallId());
    assertTrue(audit.contains("alice recording.skipped"));
  }

  @Test
  void hangUpIdleSweepAndShutdownReleaseEveryCall() throws Exception {
    var calls = calls(RecordingFailMode.BLOCK);
    decided("d1", "alice", EdgeDecisionKind.RECORD);
    decided("d2", "bob", EdgeDecisionKind.RECORD);
    String a = calls.open(owner("alice"), "d1", null).recordedCallId();
    calls.open(owner("bob"), "d2", null);
    calls.hangUp("bob", a);
    assertEquals(2, calls.openCalls(), "another user cannot hang up alice's call");
    calls.hangUp("alice", a);
    calls.hangUp("alice", a);
    assertEquals(1, calls.openCalls());
    clock.advance(Duration.ofMinutes(6));
    String fresh = calls.open(owner("alice"), reDecide("d3"), null).recordedCallId();
    assertEquals(1, calls.sweepIdle(), "bob's idle call");
    calls.offer("alice", fresh, Leg.ENTERPRISE, "A");
    calls.close();
    assertEquals(0, calls.openCalls());
    assertEquals(0, server.open.size(), "nothing left on the media server");
    assertTrue(server.calls.stream().allMatch(c -> c.closes >= 1));
  }

  @Test
  void aFinishedRecordingIsHandedOnWithTheCallsFacts() throws Exception {
    var calls = calls(RecordingFailMode.BLOCK);
    decided("d1", "alice", EdgeDecisionKind.RECORD);
    String id = calls.open(owner("alice"), "d1", null).recordedCallId();
    var stopped =
        new MediaEvent.RecordingStopped(
            id, Path.of("/r/x.mkv"), List.of(), clock.instant(), clock.instant());
    server.calls.get(0).listener.onEvent(stopped);
    assertEquals(1, finished.size());
    assertEquals("alice", finished.get(0).userId());
    assertEquals("https://meet.example", finished.get(0).origin());
    server.calls.get(0).listener.onEvent(new MediaEvent.CallReleased(id, "lost"));
    assertEquals(0, calls.openCalls(), "a call the media server released is forgotten");
  }

  @Test
  void aRecordingThatFinishesAfterTheHangUpStillFindsItsCall() throws Exception {
    var calls = calls(RecordingFailMode.BLOCK);
    decided("d1", "alice", EdgeDecisionKind.RECORD);
    String id = calls.open(owner("alice"), "d1", null).recordedCallId();
    calls.hangUp("alice", id);
    var stopped =
        new MediaEvent.RecordingStopped(
            id, Path.of("/r/x.mkv"), List.of(), clock.instant(), clock.instant());
    server.calls.get(0).listener.onEvent(stopped);
    server.calls.get(0).listener.onEvent(new MediaEvent.CallReleased(id, "closed"));
    assertEquals(1, finished.size(), "the media server completes the recording after close()");
    assertEquals("alice", finished.get(0).userId());
  }

  @Test
  void aRecordingCarriesTheCallsConnectionAndWhichLegsItHoldsAndForHowLong() throws Exception {
    var calls = calls(RecordingFailMode.BLOCK);
    decided("d1", "alice", EdgeDecisionKind.RECORD);
    String id =
        calls.open(owner("alice"), "d1", "0b7a4c1e-2f3d-4a5b-9c6d-7e8f9a0b1c2d").recordedCallId();
    var listener = server.calls.get(0).listener;
    Instant start = clock.instant();
    clock.advance(Duration.ofSeconds(1));
    listener.onEvent(new MediaEvent.MediaFlowing(id, Leg.FAR_END));
    clock.advance(Duration.ofSeconds(10));
    listener.onEvent(new MediaEvent.LegFailed(id, Leg.FAR_END, "hangup"));
    clock.advance(Duration.ofSeconds(2));
    listener.onEvent(
        new MediaEvent.RecordingStopped(
            id, Path.of("/r/x.mkv"), List.of(), start, clock.instant()));
    listener.onEvent(new MediaEvent.CallReleased(id, "closed"));
    assertEquals(1, finished.size());
    FinishedRecording recording = finished.get(0);
    assertEquals("0b7a4c1e-2f3d-4a5b-9c6d-7e8f9a0b1c2d", recording.connectionId());
    assertNull(recording.enterpriseMedia(), "the enterprise leg's media never reached it");
    assertEquals(Duration.ofSeconds(10), recording.farEndMedia());
    assertEquals(
        List.of("opened " + id, "finished " + id, "ended " + id + " null PT10S"), journal.log);
    assertEquals(0, calls.openCalls());
  }

  @Test
  void everySessionIsJournaledWhenItOpensAndARefusedOneEndsAtOnce() throws Exception {
    decided("d1", "alice", EdgeDecisionKind.RECORD);
    String id = calls(RecordingFailMode.BLOCK).open(owner("alice"), "d1", null).recordedCallId();
    assertEquals(List.of("opened " + id), journal.log);
    server.down = true;
    assertThrows(
        RecordedCallUnavailableException.class,
        () -> calls(RecordingFailMode.BLOCK).open(owner("alice"), "d1", null));
    calls(RecordingFailMode.ALLOW_UNRECORDED).open(owner("alice"), "d1", null);
    assertEquals(3, journal.log.size());
    assertTrue(journal.log.get(1).startsWith("refused") && journal.log.get(1).endsWith("(block)"));
    assertTrue(journal.log.get(2).endsWith("went ahead unrecorded (allow-unrecorded)"));
  }

  @Test
  void aSessionTheJournalCannotRecordDoesNotStart() throws Exception {
    decided("d1", "alice", EdgeDecisionKind.RECORD);
    journal.broken = true;
    var calls = calls(RecordingFailMode.BLOCK);
    assertThrows(IllegalStateException.class, () -> calls.open(owner("alice"), "d1", null));
    assertEquals(0, calls.openCalls());
    assertEquals(1, server.calls.get(0).closes, "released on the media server");
  }

  @Test
  void liveSessionsAreRefreshedBySweepSoThatACrashIsNoticed() throws Exception {
    var calls = calls(RecordingFailMode.BLOCK);
    decided("d1", "alice", EdgeDecisionKind.RECORD);
    String id = calls.open(owner("alice"), "d1", null).recordedCallId();
    calls.sweepIdle();
    assertEquals("heartbeat [" + id + "]", journal.log.get(journal.log.size() - 1));
  }

  @Test
  void theMediaServerLostMidCallIsAnAuditedInterruption() throws Exception {
    var calls = calls(RecordingFailMode.ALLOW_UNRECORDED);
    decided("d1", "alice", EdgeDecisionKind.RECORD);
    String id = calls.open(owner("alice"), "d1", null).recordedCallId();
    server.calls.get(0).listener.onEvent(new MediaEvent.CallReleased(id, "media-server-lost"));
    assertTrue(
        auditDetails.contains(
            "alice recording.interrupted recorded-call:"
                + id
                + " origin=https://meet.example decision=d1 reason=media-server:media-server-lost"
                + " call=call-ended"),
        auditDetails.toString());
    assertTrue(
        journal.log.contains(
            "problem "
                + id
                + " recording.interrupted: media-server:media-server-lost (call-ended)"));
    assertEquals(0, calls.openCalls());
    assertEquals(
        List.of(new RecordedCallStopped("alice", id, "media-server-lost")),
        stops,
        "the page's side is told at once");
  }

  @Test
  void bothLegsFailingWhileLiveTellsThePageAtOnceAndOnce() throws Exception {
    var calls = calls(RecordingFailMode.BLOCK);
    decided("d1", "alice", EdgeDecisionKind.RECORD);
    String id = calls.open(owner("alice"), "d1", null).recordedCallId();
    var listener = server.calls.get(0).listener;
    listener.onEvent(new MediaEvent.LegFailed(id, Leg.FAR_END, "Janus session lost"));
    listener.onEvent(new MediaEvent.LegFailed(id, Leg.FAR_END, "again"));
    assertTrue(stops.isEmpty(), "one leg: the page's own connection may go on");
    listener.onEvent(new MediaEvent.LegFailed(id, Leg.ENTERPRISE, "Janus session lost"));
    assertEquals(List.of(new RecordedCallStopped("alice", id, "media-path-lost")), stops);
    listener.onEvent(new MediaEvent.CallReleased(id, "media-server-lost"));
    assertEquals(1, stops.size(), "told once, before the media server released the call");
  }

  /**
   * The page hangs up before the server noticed the media server go: the adapter finds out on
   * release and says so; what was recorded is an interruption, not a normal end.
   */
  @Test
  void aHangUpThatFindsTheMediaServerGoneIsAnAuditedInterruption() throws Exception {
    var calls = calls(RecordingFailMode.ALLOW_UNRECORDED);
    decided("d1", "alice", EdgeDecisionKind.RECORD);
    String id = calls.open(owner("alice"), "d1", null).recordedCallId();
    calls.hangUp("alice", id);
    server.calls.get(0).listener.onEvent(new MediaEvent.CallReleased(id, "media-server-lost"));
    assertTrue(
        auditDetails.contains(
            "alice recording.interrupted recorded-call:"
                + id
                + " origin=https://meet.example decision=d1 reason=media-server:media-server-lost"
                + " call=call-ended"),
        auditDetails.toString());
    assertEquals(1, auditDetails.stream().filter(d -> d.contains("interrupted")).count());
  }

  @Test
  void aHangUpWithTheMediaServerThereIsNoInterruption() throws Exception {
    var calls = calls(RecordingFailMode.ALLOW_UNRECORDED);
    decided("d1", "alice", EdgeDecisionKind.RECORD);
    String id = calls.open(owner("alice"), "d1", null).recordedCallId();
    calls.hangUp("alice", id);
    server.calls.get(0).listener.onEvent(new MediaEvent.CallReleased(id, "closed"));
    assertTrue(
        auditDetails.stream().noneMatch(d -> d.contains("interrupted")), auditDetails.toString());
  }

  @Test
  void aRecordingWithoutMediaIsAnAuditedFailureAndBlockReleasesTheLiveCall() throws Exception {
    var calls = calls(RecordingFailMode.BLOCK);
    decided("d1", "alice", EdgeDecisionKind.RECORD);
    String id = calls.open(owner("alice"), "d1", null).recordedCallId();
    server
        .calls
        .get(0)
        .listener
        .onEvent(new MediaEvent.RecordingFailed(id, "conversion failed: no media was\nrecorded"));
    assertTrue(audit.contains("alice recording.failed"), audit.toString());
    String entry =
        auditDetails.stream().filter(d -> d.contains("recording.failed")).findFirst().orElseThrow();
    assertEquals(
        "alice recording.failed recorded-call:"
            + id
            + " origin=https://meet.example decision=d1 reason=conversion failed: no media was"
            + " recorded failMode=block callLive=true call=call-ended",
        entry);
    assertEquals(0, calls.openCalls(), "block: the call cannot go on unrecorded");
    assertEquals(1, server.calls.get(0).closes, "released on the media server");
    assertTrue(auditDetails.stream().anyMatch(d -> d.endsWith("reason=recording-failed")));
    assertTrue(finished.isEmpty());
    assertEquals(List.of(new RecordedCallStopped("alice", id, "recording-failed")), stops);
  }

  @Test
  void underAllowUnrecordedAFailedRecordingIsAuditedAndTheCallGoesOn() throws Exception {
    var calls = calls(RecordingFailMode.ALLOW_UNRECORDED);
    decided("d1", "alice", EdgeDecisionKind.RECORD);
    String id = calls.open(owner("alice"), "d1", null).recordedCallId();
    server.calls.get(0).listener.onEvent(new MediaEvent.RecordingFailed(id, "recorder broke"));
    assertTrue(
        auditDetails.stream()
            .anyMatch(
                d ->
                    d.startsWith("alice recording.interrupted")
                        && d.endsWith(
                            "reason=recorder broke failMode=allow-unrecorded callLive=true"
                                + " call=call-goes-on-unrecorded")),
        auditDetails.toString());
    assertEquals(1, calls.openCalls(), "allow-unrecorded: the call goes on (audited)");
    assertEquals(0, server.calls.get(0).closes);
    assertTrue(stops.isEmpty(), "nothing stops the page's call");
  }

  @Test
  void aRecordingThatFailsAfterTheHangUpIsStillAuditedWithItsCallsFacts() throws Exception {
    var calls = calls(RecordingFailMode.BLOCK);
    decided("d1", "alice", EdgeDecisionKind.RECORD);
    String id = calls.open(owner("alice"), "d1", null).recordedCallId();
    calls.hangUp("alice", id);
    server
        .calls
        .get(0)
        .listener
        .onEvent(new MediaEvent.RecordingFailed(id, "conversion failed: no media was recorded"));
    assertTrue(
        auditDetails.stream()
            .anyMatch(
                d ->
                    d.startsWith("alice recording.failed recorded-call:" + id + " origin=")
                        && d.endsWith("failMode=block callLive=false call=call-over")),
        auditDetails.toString());
    assertEquals(1, server.calls.get(0).closes, "closed once, by the hang-up");
    assertTrue(stops.isEmpty(), "the page hung up itself");
  }

  @Test
  void aLegThatNeverCarriedMediaIsAnAuditedFailedMediaPathAHangUpAfterMediaIsNot()
      throws Exception {
    var calls = calls(RecordingFailMode.BLOCK);
    decided("d1", "alice", EdgeDecisionKind.RECORD);
    String id = calls.open(owner("alice"), "d1", null).recordedCallId();
    var listener = server.calls.get(0).listener;
    listener.onEvent(new MediaEvent.MediaFlowing(id, Leg.FAR_END));
    listener.onEvent(
        new MediaEvent.LegFailed(id, Leg.ENTERPRISE, "Janus ended the call: ICE failed"));
    listener.onEvent(new MediaEvent.LegFailed(id, Leg.FAR_END, "hangup"));
    List<String> legs =
        auditDetails.stream().filter(d -> d.contains("recording.leg.failed")).toList();
    assertEquals(
        List.of(
            "alice recording.leg.failed recorded-call:"
                + id
                + " origin=https://meet.example decision=d1 leg=enterprise mediaFlowed=false"
                + " reason=Janus ended the call: ICE failed"),
        legs,
        "only the leg that never carried media");
  }

  private static RecordedCalls.Owner owner(String user) {
    return new RecordedCalls.Owner(user, user, user.toUpperCase());
  }

  private String reDecide(String id) {
    decided(id, "alice", EdgeDecisionKind.RECORD);
    return id;
  }

  /** Journals into a log of lines; {@code broken}: the database refuses. */
  private static final class FakeJournal implements RecordedCalls.Journal {
    final List<String> log = new ArrayList<>();
    final List<FinishedRecording> finished = new ArrayList<>();
    boolean broken;

    @Override
    public void opened(SessionFacts session) {
      if (broken) {
        throw new IllegalStateException("database down");
      }
      log.add("opened " + session.recordedCallId());
    }

    @Override
    public void refused(SessionFacts session, String reason) {
      log.add("refused " + session.userId() + " " + reason);
    }

    @Override
    public void heartbeat(java.util.Collection<String> ids, Instant at) {
      log.add("heartbeat " + ids);
    }

    @Override
    public void problem(String id, String reason) {
      log.add("problem " + id + " " + reason);
    }

    @Override
    public void recordingFinished(FinishedRecording recording) {
      finished.add(recording);
      log.add("finished " + recording.recordedCallId());
    }

    @Override
    public void callEnded(String id, Instant at, Duration enterprise, Duration farEnd) {
      log.add("ended " + id + " " + enterprise + " " + farEnd);
    }
  }

  /** A media server whose calls answer "X(offer)" and "Y(answer)". */
  private static final class FakeServer implements MediaServer {
    final List<ProxiedCallRequest> requests = new ArrayList<>();
    final List<FakeCall> calls = new ArrayList<>();
    final List<FakeCall> open = new ArrayList<>();
    boolean down;

    @Override
    public String name() {
      return "fake";
    }

    @Override
    public MediaServerStatus probe() {
      return down ? MediaServerStatus.down("down") : MediaServerStatus.up("fake");
    }

    @Override
    public ProxiedCall createProxiedCall(ProxiedCallRequest request, MediaEventListener listener)
        throws MediaServerException {
      if (down) {
        throw new MediaServerException("unreachable", true, null);
      }
      requests.add(request);
      var call = new FakeCall(request.callId(), listener, this);
      calls.add(call);
      open.add(call);
      return call;
    }

    @Override
    public int openCalls() {
      return open.size();
    }

    @Override
    public void close() {}
  }

  private static final class FakeCall implements ProxiedCall {
    final String id;
    final MediaEventListener listener;
    final FakeServer server;
    boolean offered;
    int candidates;
    int closes;

    FakeCall(String id, MediaEventListener listener, FakeServer server) {
      this.id = id;
      this.listener = listener;
      this.server = server;
    }

    @Override
    public String callId() {
      return id;
    }

    @Override
    public String offer(Leg from, String sdp) {
      offered = true;
      return "X(" + sdp + ")";
    }

    @Override
    public String answer(Leg from, String sdp) {
      if (!offered) {
        throw new IllegalStateException("no offer is waiting");
      }
      offered = false;
      return "Y(" + sdp + ")";
    }

    @Override
    public void addCandidate(Leg from, IceCandidate candidate) {
      candidates++;
    }

    @Override
    public void startRecording() {}

    @Override
    public void stopRecording() {}

    @Override
    public void close() {
      closes++;
      server.open.remove(this);
    }
  }
}
