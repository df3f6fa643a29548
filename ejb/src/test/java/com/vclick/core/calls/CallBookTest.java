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

  // ---- several people called at once (issue 16) ----

  static final Party DAVE = new Party("d", "Dave");

  InviteOutcome inviteMany(Party from, String conn, CallBook.Invitee... to) {
    return book.invite(from, conn, List.of(to), "many", CallMedia.VIDEO, T0);
  }

  static CallBook.Invitee reachable(Party party) {
    return new CallBook.Invitee(party, true);
  }

  static List<String> states(Call call) {
    return call.parties().stream()
        .map(p -> p.userId() + ":" + p.state() + (p.reason() == null ? "" : ":" + p.reason()))
        .toList();
  }

  @Test
  void severalPeopleRingAtOnceAndBusyOrOfflineOnesAreToldApart() {
    ringing(DAVE, "d1", new Party("f", "Frank")); // dave is in a call: busy
    Call call =
        assertInstanceOf(
                InviteOutcome.Ringing.class,
                inviteMany(
                    ALICE,
                    "a1",
                    reachable(BOB),
                    new CallBook.Invitee(CAROL, false),
                    reachable(DAVE)))
            .call();
    assertEquals(List.of("a:JOINED", "b:RINGING", "c:LEFT:OFFLINE", "d:LEFT:BUSY"), states(call));
    assertTrue(call.grown(), "a call of several speaks the messages of more than two");
    assertEquals(CallState.RINGING, call.state());
    assertEquals("many", call.parties().get(1).ref());
  }

  @Test
  void whenNobodyCanBeRungTheCallEndsAtOnceWithTheFirstReason() {
    ringing(DAVE, "d1", new Party("f", "Frank"));
    InviteOutcome outcome =
        inviteMany(ALICE, "a1", new CallBook.Invitee(BOB, false), reachable(DAVE));
    Call ended = assertInstanceOf(InviteOutcome.EndedAtOnce.class, outcome).call();
    assertEquals(EndReason.OFFLINE, ended.endReason());
    assertTrue(book.callOf("a").isEmpty(), "nothing kept");
  }

  @Test
  void theLimitCountsTheCallerAndEveryoneCalledAndNothingRingsBeyondIt() {
    CallBook small = new CallBook(() -> "x", RING, GRACE, 3);
    refused(
        CallRefusedException.CALL_FULL,
        () ->
            small.invite(
                ALICE,
                "a1",
                List.of(reachable(BOB), reachable(CAROL), reachable(DAVE)),
                "r",
                CallMedia.VIDEO,
                T0));
    assertEquals(0, small.size());
    small.invite(ALICE, "a1", List.of(reachable(BOB), reachable(CAROL)), "r", CallMedia.VIDEO, T0);
    assertEquals(1, small.size());
  }

  @Test
  void nobodyTwiceNobodyAtAllAndNotOneself() {
    refused(
        CallRefusedException.INVALID,
        () -> inviteMany(ALICE, "a1", reachable(BOB), reachable(BOB)));
    refused(
        CallRefusedException.INVALID,
        () -> inviteMany(ALICE, "a1", reachable(BOB), reachable(ALICE)));
    refused(CallRefusedException.INVALID, () -> inviteMany(ALICE, "a1"));
    assertEquals(0, book.size());
  }

  @Test
  void aDeclineEndsOnlyThatInviteUntilTheLastOneDeclines() {
    Call call = inviteMany(ALICE, "a1", reachable(BOB), reachable(CAROL)).call();
    CallChange first = book.declineChange(call.id(), "b", T0.plusSeconds(1));
    assertInstanceOf(CallChange.InviteEnded.class, first);
    assertEquals(CallState.RINGING, first.call().state());
    CallChange last = book.declineChange(call.id(), "c", T0.plusSeconds(2));
    assertEquals(
        EndReason.DECLINED, assertInstanceOf(CallChange.Ended.class, last).call().endReason());
    assertTrue(book.find(call.id()).isEmpty());
  }

  @Test
  void theFirstAnswerMakesTheTwoPartyCallTheSecondAThirdParty() {
    Call call = inviteMany(ALICE, "a1", reachable(BOB), reachable(CAROL)).call();
    Call first = book.answer(call.id(), "c", "c1", T0.plusSeconds(3));
    assertEquals(CallState.ACTIVE, first.state());
    assertEquals("c", first.firstAnswerer(), "the first who answered is the direct peer");
    assertEquals(Optional.of("c1"), book.relayTarget(call.id(), "a", "a1"));
    refused(CallRefusedException.NOT_IN_CALL, () -> book.relayTarget(call.id(), "b", "b1"));
    Call second = book.answer(call.id(), "b", "b1", T0.plusSeconds(4));
    assertEquals(3, second.joined().size());
    assertEquals(T0.plusSeconds(3), second.answeredAt(), "answered when the first answered");
    assertEquals(T0.plusSeconds(4), second.partyOf("b").orElseThrow().joinedAt());
  }

  @Test
  void whoLetsItRingIsNoAnswerWhileTheOthersGoOn() {
    Call call = inviteMany(ALICE, "a1", reachable(BOB), reachable(CAROL)).call();
    book.answer(call.id(), "b", "b1", T0.plusSeconds(3));
    List<CallChange> changes = book.sweepChanges(T0.plus(RING));
    CallChange.InviteEnded carol = assertInstanceOf(CallChange.InviteEnded.class, changes.get(0));
    assertEquals(EndReason.NO_ANSWER, carol.invitee().reason());
    assertEquals(1, changes.size());
    assertEquals(CallState.ACTIVE, book.find(call.id()).orElseThrow().state());
  }

  @Test
  void nobodyAnsweringEndsTheCallOnceEveryInviteRangOut() {
    Call call = inviteMany(ALICE, "a1", reachable(BOB), reachable(CAROL)).call();
    List<CallChange> changes = book.sweepChanges(T0.plus(RING));
    assertEquals(2, changes.size());
    assertInstanceOf(CallChange.InviteEnded.class, changes.get(0));
    Call ended = assertInstanceOf(CallChange.Ended.class, changes.get(1)).call();
    assertEquals(EndReason.NO_ANSWER, ended.endReason());
    assertTrue(book.find(call.id()).isEmpty());
  }

  @Test
  void theCallerCancellingEndsEveryInvite() {
    Call call = inviteMany(ALICE, "a1", reachable(BOB), reachable(CAROL)).call();
    Call cancelled = book.cancel(call.id(), "a", T0.plusSeconds(1));
    assertEquals(EndReason.CANCELLED, cancelled.endReason());
    assertTrue(book.callOf("b").isEmpty() && book.callOf("c").isEmpty(), "nobody rings on");
  }

  @Test
  void theCallerLeavingTheOneWhoAnsweredEndsTheCallForWhoStillRings() {
    Call call = inviteMany(ALICE, "a1", reachable(BOB), reachable(CAROL)).call();
    book.answer(call.id(), "b", "b1", T0.plusSeconds(3));
    CallChange change = book.leave(call.id(), "a", EndReason.HANGUP, T0.plusSeconds(5));
    Call ended = assertInstanceOf(CallChange.Ended.class, change).call();
    assertEquals(
        List.of("a", "b", "c"),
        ended.current().stream().map(CallParty::userId).toList(),
        "everyone still in hears the end, carol ringing too");
    assertTrue(book.callOf("c").isEmpty(), "carol's invite ends with it");
  }
}
