package com.vclick.core.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class CallBookTest {

  static final Party ALICE = new Party("a", "Alice");
  static final Party BOB = new Party("b", "Bob");
  static final Party CAROL = new Party("c", "Carol");
  static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  static final Duration RING = Duration.ofSeconds(45);
  static final Duration GRACE = Duration.ofSeconds(30);

  final AtomicInteger seq = new AtomicInteger();
  final CallBook book = new CallBook(() -> "call-" + seq.incrementAndGet(), RING, GRACE);

  Call ringing(Party from, String conn, Party to) {
    InviteOutcome outcome = book.invite(from, conn, to, CallMedia.VIDEO, true, T0);
    return assertInstanceOf(InviteOutcome.Ringing.class, outcome).call();
  }

  Call active() {
    Call call = ringing(ALICE, "a1", BOB);
    return book.answer(call.id(), "b", "b2", T0.plusSeconds(5));
  }

  static void refused(String code, Executable action) {
    assertEquals(code, assertThrows(CallRefusedException.class, action).code());
  }

  @Test
  void anInviteRingsAndAnAnswerBindsTheAnsweringConnection() {
    Call call = ringing(ALICE, "a1", BOB);
    assertEquals(CallState.RINGING, call.state());
    assertEquals("a1", call.callerConnection());
    assertNull(call.calleeConnection());

    Call answered = book.answer(call.id(), "b", "b2", T0.plusSeconds(5));
    assertEquals(CallState.ACTIVE, answered.state());
    assertEquals(T0.plusSeconds(5), answered.answeredAt());
    assertEquals(Optional.of("b2"), book.relayTarget(call.id(), "a", "a1"));
    assertEquals(Optional.of("a1"), book.relayTarget(call.id(), "b", "b2"));
  }

  @Test
  void offlineAndBusyCalleesEndTheCallAtOnceWithoutStoringIt() {
    var offline = book.invite(ALICE, "a1", CAROL, CallMedia.AUDIO, false, T0);
    assertEquals(
        EndReason.OFFLINE,
        assertInstanceOf(InviteOutcome.EndedAtOnce.class, offline).call().endReason());
    assertEquals(0, book.size());

    active(); // alice ↔ bob
    var busy = book.invite(CAROL, "c1", BOB, CallMedia.VIDEO, true, T0);
    Call ended = assertInstanceOf(InviteOutcome.EndedAtOnce.class, busy).call();
    assertEquals(EndReason.BUSY, ended.endReason());
    assertEquals(CallState.ENDED, ended.state());
    assertEquals(1, book.size());
  }

  @Test
  void aRingingCalleeIsBusyForOthers() {
    ringing(ALICE, "a1", BOB);
    var outcome = book.invite(CAROL, "c1", BOB, CallMedia.VIDEO, true, T0);
    assertEquals(EndReason.BUSY, outcome.call().endReason());
  }

  @Test
  void callingYourselfOrWhileInACallIsRefused() {
    refused(
        CallRefusedException.INVALID,
        () -> book.invite(ALICE, "a1", ALICE, CallMedia.VIDEO, true, T0));
    active();
    refused(
        CallRefusedException.IN_CALL,
        () -> book.invite(ALICE, "a1", CAROL, CallMedia.VIDEO, true, T0));
  }

  @Test
  void crossingInvitesMergeIntoTheFirstCall() {
    Call first = ringing(BOB, "b1", ALICE);
    var outcome = book.invite(ALICE, "a7", BOB, CallMedia.VIDEO, true, T0.plusSeconds(1));
    Call merged = assertInstanceOf(InviteOutcome.Merged.class, outcome).call();
    assertEquals(first.id(), merged.id());
    assertEquals(CallState.ACTIVE, merged.state());
    assertEquals("a7", merged.calleeConnection());
    assertEquals(1, book.size());
  }

  @Test
  void onlyTheCalleeAnswersOrDeclinesAndOnlyTheCallerCancels() {
    Call call = ringing(ALICE, "a1", BOB);
    refused(CallRefusedException.WRONG_STATE, () -> book.answer(call.id(), "a", "a1", T0));
    refused(CallRefusedException.WRONG_STATE, () -> book.decline(call.id(), "a", T0));
    refused(CallRefusedException.WRONG_STATE, () -> book.cancel(call.id(), "b", T0));
    refused(CallRefusedException.NOT_IN_CALL, () -> book.answer(call.id(), "c", "c1", T0));
    assertEquals(EndReason.DECLINED, book.decline(call.id(), "b", T0).endReason());
    assertEquals(0, book.size());
  }

  @Test
  void cancelEndsARingingCall() {
    Call call = ringing(ALICE, "a1", BOB);
    Call ended = book.cancel(call.id(), "a", T0.plusSeconds(2));
    assertEquals(EndReason.CANCELLED, ended.endReason());
    assertEquals(T0.plusSeconds(2), ended.endedAt());
    refused(CallRefusedException.NOT_IN_CALL, () -> book.answer(call.id(), "b", "b1", T0));
  }

  @Test
  void answeringTwiceIsRefused() {
    Call call = active();
    refused(CallRefusedException.WRONG_STATE, () -> book.answer(call.id(), "b", "b3", T0));
    assertEquals(Optional.of("b2"), book.relayTarget(call.id(), "a", "a1"));
  }

  @Test
  void hangupWhileRingingIsCancelOrDecline() {
    Call call = ringing(ALICE, "a1", BOB);
    assertEquals(EndReason.DECLINED, book.hangup(call.id(), "b", T0).endReason());
    Call again = ringing(ALICE, "a1", BOB);
    assertEquals(EndReason.CANCELLED, book.hangup(again.id(), "a", T0).endReason());
    Call third = active();
    assertEquals(EndReason.HANGUP, book.hangup(third.id(), "b", T0).endReason());
  }

  @Test
  void relayingNeedsAnActiveCallAndTheBoundConnectionOfAParty() {
    Call call = ringing(ALICE, "a1", BOB);
    refused(CallRefusedException.NOT_IN_CALL, () -> book.relayTarget(call.id(), "a", "a1"));
    book.answer(call.id(), "b", "b2", T0);
    refused(CallRefusedException.NOT_IN_CALL, () -> book.relayTarget(call.id(), "c", "c1"));
    refused(CallRefusedException.NOT_IN_CALL, () -> book.relayTarget(call.id(), "b", "b1"));
    refused(CallRefusedException.NOT_IN_CALL, () -> book.relayTarget("nope", "a", "a1"));
    refused(
        CallRefusedException.NOT_IN_CALL,
        () -> book.mediaPath(call.id(), "c", "c1", MediaPath.DIRECT));
    assertNull(book.find(call.id()).orElseThrow().mediaPath());
    assertEquals(
        MediaPath.RELAY, book.mediaPath(call.id(), "a", "a1", MediaPath.RELAY).mediaPath());
  }

  @Test
  void theCallersConnectionClosingWhileRingingEndsTheCall() {
    Call call = ringing(ALICE, "a1", BOB);
    List<Call> ended = book.connectionClosed("a1", T0.plusSeconds(3));
    assertEquals(1, ended.size());
    assertEquals(call.id(), ended.get(0).id());
    assertEquals(EndReason.CONNECTION_LOST, ended.get(0).endReason());
    assertTrue(book.connectionClosed("b1", T0).isEmpty());
  }

  @Test
  void anActiveCallSurvivesAReconnectWithinTheGrace() {
    Call call = active();
    assertTrue(book.connectionClosed("b2", T0.plusSeconds(10)).isEmpty());
    assertEquals(Optional.empty(), book.relayTarget(call.id(), "a", "a1"));
    assertTrue(book.sweep(T0.plusSeconds(39)).isEmpty());

    Call resumed = book.resume(call.id(), "b", "b9", T0.plusSeconds(20));
    assertNull(resumed.detachedSince());
    assertEquals(Optional.of("b9"), book.relayTarget(call.id(), "a", "a1"));
    assertTrue(book.sweep(T0.plusSeconds(120)).isEmpty());
  }

  @Test
  void anActiveCallEndsWhenAPartyDoesNotComeBack() {
    Call call = active();
    book.connectionClosed("a1", T0.plusSeconds(10));
    List<Call> ended = book.sweep(T0.plusSeconds(40));
    assertEquals(List.of(call.id()), ended.stream().map(Call::id).toList());
    assertEquals(EndReason.CONNECTION_LOST, ended.get(0).endReason());
    assertEquals(0, book.size());
  }

  @Test
  void anUnansweredCallEndsAfterTheRingTimeout() {
    ringing(ALICE, "a1", BOB);
    assertTrue(book.sweep(T0.plus(RING).minusMillis(1)).isEmpty());
    List<Call> ended = book.sweep(T0.plus(RING));
    assertEquals(EndReason.NO_ANSWER, ended.get(0).endReason());
    assertTrue(ended.get(0).endReason().missedByCallee());
  }

  @Test
  void aRingingCalleeResumingChangesNothing() {
    Call call = ringing(ALICE, "a1", BOB);
    assertEquals(call, book.resume(call.id(), "b", "b5", T0));
    refused(CallRefusedException.NOT_IN_CALL, () -> book.resume(call.id(), "c", "c1", T0));
  }
}
