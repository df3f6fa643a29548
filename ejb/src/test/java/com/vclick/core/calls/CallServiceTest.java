package com.vclick.core.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.core.calls.CallMessage.AddEnded;
import com.vclick.core.calls.CallMessage.Answered;
import com.vclick.core.calls.CallMessage.ConferenceJoin;
import com.vclick.core.calls.CallMessage.ConferenceOffer;
import com.vclick.core.calls.CallMessage.ConferencePublished;
import com.vclick.core.calls.CallMessage.Ended;
import com.vclick.core.calls.CallMessage.Incoming;
import com.vclick.core.calls.CallMessage.Parties;
import com.vclick.core.calls.CallMessage.PartyView;
import com.vclick.core.calls.CallMessage.Ringing;
import com.vclick.core.presence.PresenceBook;
import com.vclick.media.api.ConferenceEvent;
import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.MediaServerException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The rules of calls with N parties, on a fake clock, a fake media server and a real call book. */
class CallServiceTest {

  static final Party ALICE = new Party("a", "Alice");
  static final Party BOB = new Party("b", "Bob");
  static final Party CAROL = new Party("c", "Carol");
  static final Party DAVE = new Party("d", "Dave");
  static final Party ERIN = new Party("e", "Erin");
  static final Map<String, Party> PEOPLE =
      Map.of("a", ALICE, "b", BOB, "c", CAROL, "d", DAVE, "e", ERIN);
  static final Duration RING = Duration.ofSeconds(45);
  static final Duration GRACE = Duration.ofSeconds(30);

  /** A clock the test moves. */
  static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-12-07T10:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }
  }

  /** Keeps what would go to the database. */
  static final class MemoryCallLog extends CallLog {
    final List<Call> written = new ArrayList<>();

    @Override
    public void record(Call call) {
      written.add(call);
    }
  }

  final TestClock clock = new TestClock();
  final MemoryCallLog log = new MemoryCallLog();
  PresenceBook presence;
  final List<CallNotice> out = new ArrayList<>();
  final List<FakeConference> rooms = new ArrayList<>();
  final AtomicInteger ids = new AtomicInteger();
  boolean mediaServerUp = true;
  final Set<String> recordedUsers = new HashSet<>();
  boolean policyDown;
  boolean storeUp = true;
  boolean storeWrites = true;
  boolean block = true;
  final List<String> stored = new ArrayList<>();
  final List<String> storedParties = new ArrayList<>();
  final List<String> audited = new ArrayList<>();
  int maxParties = 6;
  CallBook book;
  CallService service;

  @BeforeEach
  void setUp() {
    presence = new PresenceBook();
    book = new CallBook(() -> "call-" + ids.incrementAndGet(), RING, GRACE, maxParties);
    service =
        new CallService(
            book,
            log,
            to -> Optional.ofNullable(PEOPLE.get(to)),
            presence,
            (request, listener) -> {
              if (!mediaServerUp) {
                throw new MediaServerException("janus unreachable", true, null);
              }
              FakeConference room = new FakeConference(request, listener);
              rooms.add(room);
              return room;
            },
            users -> {
              if (policyDown) {
                throw new IllegalStateException("policy store down");
              }
              Set<String> recorded = new TreeSet<>(users);
              recorded.retainAll(recordedUsers);
              return recorded;
            },
            (actor, action, target, detail) -> audited.add(actor + " " + action + " " + target),
            new CallService.ConferenceRecorder() {
              @Override
              public boolean available() {
                return storeUp;
              }

              @Override
              public void store(Call call, ConferenceEvent.RecordingStopped recording) {
                if (!storeWrites) {
                  throw new IllegalStateException("disk full");
                }
                stored.add(call.id() + " " + recording.file());
                storedParties.clear();
                call.parties().stream()
                    .filter(p -> p.joinedAt() != null)
                    .forEach(p -> storedParties.add(p.userId()));
              }

              @Override
              public boolean blocksOnFailure() {
                return block;
              }
            },
            out::add,
            clock);
    for (String user : List.of("a", "b", "c", "d")) {
      presence.connected(user, user + "1"); // everyone but Erin is online
    }
  }

  void limit(int max) {
    maxParties = max;
    setUp();
  }

  // ---- helpers ----

  String twoParty() {
    service.invite(ALICE, "a1", List.of("b"), "r1", CallMedia.VIDEO);
    String callId = book.callOf("a").orElseThrow().id();
    service.answer("b", "b1", callId);
    out.clear();
    return callId;
  }

  String threeParty() {
    String callId = twoParty();
    service.add(ALICE, "a1", callId, "c", "add-1");
    service.answer("c", "c1", callId);
    out.clear();
    return callId;
  }

  <T extends CallMessage> List<T> toUser(String user, Class<T> type) {
    List<T> found = new ArrayList<>();
    for (CallNotice n : out) {
      if (n instanceof CallNotice.ToUser to
          && to.userId().equals(user)
          && type.isInstance(to.message())) {
        found.add(type.cast(to.message()));
      }
    }
    return found;
  }

  <T extends CallMessage> List<T> toConnection(String connection, Class<T> type) {
    List<T> found = new ArrayList<>();
    for (CallNotice n : out) {
      if (n instanceof CallNotice.ToConnection to
          && to.connectionId().equals(connection)
          && type.isInstance(to.message())) {
        found.add(type.cast(to.message()));
      }
    }
    return found;
  }

  List<String> states(Parties parties) {
    return parties.parties().stream().map(p -> p.userId() + ":" + p.state()).toList();
  }

  static void refused(String code, Executable action) {
    assertEquals(code, assertThrows(CallRefusedException.class, action).code());
  }

  // ---- two parties stay as they were ----

  @Test
  void aTwoPartyCallSpeaksOnlyTheTwoPartyMessages() {
    service.invite(ALICE, "a1", List.of("b"), "r1", CallMedia.VIDEO);
    String callId = book.callOf("a").orElseThrow().id();
    assertEquals(
        List.of(new Ringing(callId, "r1", "b", "Bob", "video")), toConnection("a1", Ringing.class));
    assertEquals(
        List.of(new Incoming(callId, "a", "Alice", "video", null)), toUser("b", Incoming.class));
    service.answer("b", "b1", callId);
    assertEquals(List.of(new Answered(callId)), toConnection("a1", Answered.class));
    assertTrue(out.contains(new CallNotice.Busy("a", true)));
    assertTrue(out.contains(new CallNotice.Busy("b", true)));
    assertEquals("a1", service.relayTarget("b", "b1", callId));
    assertEquals("b1", service.relayTarget("a", "a1", callId));

    service.hangup("a", callId);
    assertEquals(List.of(new Ended(callId, "hangup", null)), toUser("a", Ended.class));
    assertEquals(List.of(new Ended(callId, "hangup", null)), toUser("b", Ended.class));
    assertTrue(toUser("a", Parties.class).isEmpty(), "no call.parties in a two-party call");
    assertTrue(rooms.isEmpty(), "two parties never use the media server");
    assertTrue(book.callOf("a").isEmpty());
  }

  @Test
  void aDeclinedOrUnansweredTwoPartyCallEndsForBoth() {
    service.invite(ALICE, "a1", List.of("b"), "r1", CallMedia.AUDIO);
    String first = book.callOf("a").orElseThrow().id();
    service.decline("b", first);
    assertEquals(List.of(new Ended(first, "declined", null)), toUser("a", Ended.class));
    assertEquals(List.of(new Ended(first, "declined", null)), toUser("b", Ended.class));

    out.clear();
    service.invite(ALICE, "a1", List.of("b"), "r2", CallMedia.AUDIO);
    String second = book.callOf("a").orElseThrow().id();
    service.sweep(clock.instant().plus(RING).minusMillis(1));
    assertTrue(toUser("b", Ended.class).isEmpty());
    service.sweep(clock.instant().plus(RING));
    assertEquals(List.of(new Ended(second, "no-answer", null)), toUser("b", Ended.class));
  }

  // ---- adding people ----

  @Test
  void aJoinedPartyInvitesAColleagueWhoIsRungWithWhoIsInTheCall() {
    String callId = twoParty();
    service.add(BOB, "b1", callId, "c", "add-1");
    Incoming incoming = toUser("c", Incoming.class).get(0);
    assertEquals("b", incoming.peer());
    assertEquals(
        List.of(new PartyView("a", "Alice", "joined"), new PartyView("b", "Bob", "joined")),
        incoming.parties());
    Parties parties = toUser("a", Parties.class).get(0);
    assertEquals(List.of("a:joined", "b:joined", "c:ringing"), states(parties));
    assertEquals(parties, toUser("b", Parties.class).get(0));
    assertTrue(toUser("c", Parties.class).isEmpty(), "the invitee is not in the call yet");
  }

  @Test
  void theThirdAnswerOpensTheConferenceAndTellsEveryoneToJoinIt() {
    String callId = twoParty();
    service.add(ALICE, "a1", callId, "c", "add-1");
    out.clear();
    service.answer("c", "c1", callId);

    assertEquals(1, rooms.size());
    FakeConference room = rooms.get(0);
    assertEquals(callId, room.request.conferenceId());
    assertEquals(6, room.request.maxParticipants());
    assertFalse(room.request.recorded());
    for (String connection : List.of("a1", "b1", "c1")) {
      ConferenceJoin join = toConnection(connection, ConferenceJoin.class).get(0);
      assertEquals(List.of("a", "b", "c"), join.parties().stream().map(PartyView::userId).toList());
    }
    assertEquals(
        List.of("a:joined", "b:joined", "c:joined"), states(toUser("b", Parties.class).get(0)));
    assertTrue(out.contains(new CallNotice.Busy("c", true)));
    assertTrue(book.find(callId).orElseThrow().conference());

    // Make before break: alice and bob still relay their two-party media; carol has no such path.
    assertEquals("b1", service.relayTarget("a", "a1", callId));
    assertEquals("a1", service.relayTarget("b", "b1", callId));
    refused(CallRefusedException.NOT_IN_CALL, () -> service.relayTarget("c", "c1", callId));
  }

  @Test
  void publishAnswerAndCandidatesGoIntoTheConferenceAndItsOffersToTheRightConnection() {
    String callId = threeParty();
    FakeConference room = rooms.get(0);
    service.publish("c", "c1", callId, "offer-c");
    assertEquals(
        List.of(new ConferencePublished(callId, "answer-to-offer-c")),
        toConnection("c1", ConferencePublished.class));
    service.publish("c", "c1", callId, "offer-c2");
    assertEquals(
        new ConferencePublished(callId, "answer-again-to-offer-c2"),
        toConnection("c1", ConferencePublished.class).get(1));
    service.conferenceCandidate(
        "c",
        "c1",
        callId,
        "publish",
        new IceCandidate("candidate:1 1 udp 1 127.0.0.1 9 typ host", "0", 0));

    room.listener.onEvent(
        new ConferenceEvent.ReceiveOffer(
            callId,
            "c",
            "recv-1",
            "offer-for-c",
            List.of(new ConferenceEvent.StreamSource("0", "a", "video"))));
    ConferenceOffer offer = toConnection("c1", ConferenceOffer.class).get(0);
    assertEquals("recv-1", offer.sessionId());
    assertEquals("a", offer.sources().get(0).userId());
    assertTrue(toConnection("a1", ConferenceOffer.class).isEmpty());
    service.conferenceAnswer("c", "c1", callId, "recv-1", "answer-of-c");
    assertEquals(
        List.of("join c", "republish c", "candidate c publish", "answer c recv-1"), room.calls);
  }

  @Test
  void onlyTheBoundConnectionsOfJoinedPartiesMaySendIntoAConference() {
    String callId = threeParty();
    // Dave was never invited: the call id is no key.
    refused(CallRefusedException.NOT_IN_CALL, () -> service.publish("d", "d1", callId, "x"));
    // Alice's other tab is not the one bound to the call.
    refused(CallRefusedException.NOT_IN_CALL, () -> service.publish("a", "a2", callId, "x"));
    refused(
        CallRefusedException.NOT_IN_CALL,
        () -> service.conferenceAnswer("d", "d1", callId, "recv-1", "x"));
    refused(CallRefusedException.NOT_IN_CALL, () -> service.add(DAVE, "d1", callId, "e", "r"));
    refused(CallRefusedException.NOT_IN_CALL, () -> service.hangup("d", callId));
    assertTrue(rooms.get(0).calls.isEmpty());
    // A two-party call has no conference to publish into.
    service.hangup("c", callId);
    service.hangup("b", callId);
    String plain = twoParty();
    refused(CallRefusedException.NOT_IN_CALL, () -> service.publish("a", "a1", plain, "x"));
  }

  @Test
  void someoneLeavesAndTheRestGoOnUntilOneIsLeft() {
    String callId = threeParty();
    FakeConference room = rooms.get(0);
    service.publish("a", "a1", callId, "o");
    service.publish("b", "b1", callId, "o");
    service.publish("c", "c1", callId, "o");
    out.clear();

    service.hangup("b", callId);
    assertEquals(List.of(new Ended(callId, "hangup", null)), toUser("b", Ended.class));
    assertTrue(toUser("a", Ended.class).isEmpty());
    assertTrue(out.contains(new CallNotice.Busy("b", false)));
    assertEquals(
        List.of("a:joined", "b:left", "c:joined"), states(toUser("c", Parties.class).get(0)));
    assertEquals(java.util.Set.of("a", "c"), room.participants());
    assertEquals(0, room.closed);
    // Bob's peer-to-peer partner is gone: nothing more to relay for alice.
    refused(CallRefusedException.NOT_IN_CALL, () -> service.relayTarget("a", "a1", callId));

    out.clear();
    service.hangup("c", callId);
    assertEquals(List.of(new Ended(callId, "hangup", null)), toUser("a", Ended.class));
    assertEquals(List.of(new Ended(callId, "hangup", null)), toUser("c", Ended.class));
    assertEquals(1, room.closed);
    assertEquals(0, service.openConferences());
    assertTrue(book.callOf("a").isEmpty());
    assertTrue(book.callOf("b").isEmpty());
  }

  @Test
  void anInviteThatEndsWithoutAnAnswerEndsOnlyThatInvite() {
    String callId = twoParty();
    service.add(ALICE, "a1", callId, "c", "add-c");
    service.decline("c", callId);
    assertEquals(List.of(new Ended(callId, "declined", null)), toUser("c", Ended.class));
    assertEquals(
        List.of(new AddEnded(callId, "add-c", "c", "declined")), toUser("a", AddEnded.class));
    assertEquals(List.of(new AddEnded(callId, null, "c", "declined")), toUser("b", AddEnded.class));
    assertTrue(toUser("a", Ended.class).isEmpty());
    assertEquals(CallState.ACTIVE, book.find(callId).orElseThrow().state());

    out.clear();
    service.add(BOB, "b1", callId, "c", "again");
    service.cancelAdd("b", callId, "c");
    assertEquals(List.of(new Ended(callId, "cancelled", null)), toUser("c", Ended.class));
    assertEquals(
        List.of(new AddEnded(callId, "again", "c", "cancelled")), toUser("b", AddEnded.class));

    out.clear();
    service.add(ALICE, "a1", callId, "c", "late");
    clock.advance(RING.minusSeconds(1));
    service.sweep(clock.instant());
    assertTrue(toUser("a", AddEnded.class).isEmpty());
    clock.advance(Duration.ofSeconds(1));
    service.sweep(clock.instant());
    assertEquals(
        List.of(new AddEnded(callId, "late", "c", "no-answer")), toUser("a", AddEnded.class));
    assertEquals(List.of(new Ended(callId, "no-answer", null)), toUser("c", Ended.class));
    assertEquals(2, book.find(callId).orElseThrow().joined().size());
    assertTrue(rooms.isEmpty());
  }

  @Test
  void busyAndOfflineInviteesAreNotRungAndTheCallGoesOn() {
    service.invite(DAVE, "d1", List.of("c"), "dc", CallMedia.VIDEO); // carol is being called
    String callId = twoParty();
    service.add(ALICE, "a1", callId, "c", "busy-1");
    assertEquals(List.of(new AddEnded(callId, "busy-1", "c", "busy")), toUser("a", AddEnded.class));
    assertTrue(toUser("c", Incoming.class).isEmpty());
    service.add(ALICE, "a1", callId, "e", "off-1");
    assertEquals(new AddEnded(callId, "off-1", "e", "offline"), toUser("a", AddEnded.class).get(1));
    assertEquals(new AddEnded(callId, null, "e", "offline"), toUser("b", AddEnded.class).get(1));
    assertEquals(2, book.find(callId).orElseThrow().current().size());
  }

  @Test
  void addingNeedsAnAnsweredCallSomeoneNewAndRoomUnderTheLimit() {
    limit(3);
    service.invite(ALICE, "a1", List.of("b"), "r1", CallMedia.VIDEO);
    String callId = book.callOf("a").orElseThrow().id();
    refused(CallRefusedException.WRONG_STATE, () -> service.add(ALICE, "a1", callId, "c", "r"));
    service.answer("b", "b1", callId);
    refused(CallRefusedException.INVALID, () -> service.add(ALICE, "a1", callId, "b", "r"));
    refused(CallRefusedException.UNKNOWN_USER, () -> service.add(ALICE, "a1", callId, "zed", "r"));
    service.add(ALICE, "a1", callId, "c", "r");
    refused(CallRefusedException.CALL_FULL, () -> service.add(BOB, "b1", callId, "d", "r"));
    assertTrue(toUser("d", Incoming.class).isEmpty());
    refused(
        CallRefusedException.CALL_FULL,
        () -> service.invite(DAVE, "d1", List.of("e", "a", "b"), "r", CallMedia.VIDEO));
  }

  @Test
  void theMediaServerDownAtAnswerTimeKeepsTheTwoPartyCall() {
    String callId = twoParty();
    service.add(ALICE, "a1", callId, "c", "add-c");
    mediaServerUp = false;
    out.clear();
    service.answer("c", "c1", callId);
    assertEquals(List.of(new Ended(callId, "media-unavailable", null)), toUser("c", Ended.class));
    assertEquals(
        List.of(new AddEnded(callId, "add-c", "c", "media-unavailable")),
        toUser("a", AddEnded.class));
    assertEquals(
        List.of(new AddEnded(callId, null, "c", "media-unavailable")), toUser("b", AddEnded.class));
    assertTrue(out.contains(new CallNotice.Busy("c", false)));
    assertTrue(toConnection("a1", ConferenceJoin.class).isEmpty());
    Call call = book.find(callId).orElseThrow();
    assertFalse(call.conference());
    assertEquals(List.of("a", "b"), call.joined().stream().map(CallParty::userId).toList());
    assertEquals("b1", service.relayTarget("a", "a1", callId));
    assertTrue(book.callOf("c").isEmpty(), "carol is free for other calls");

    mediaServerUp = true;
    service.add(BOB, "b1", callId, "c", "again");
    service.answer("c", "c1", callId);
    assertEquals(1, rooms.size());
  }

  /** Asserts that carol was not taken in for {@code reason} and the two-party call went on. */
  void carolNotTakenIn(String callId, String reason) {
    assertEquals(List.of(new Ended(callId, reason, null)), toUser("c", Ended.class));
    assertEquals(List.of(new AddEnded(callId, "add-c", "c", reason)), toUser("a", AddEnded.class));
    assertEquals(List.of(new AddEnded(callId, null, "c", reason)), toUser("b", AddEnded.class));
    assertTrue(out.contains(new CallNotice.Busy("c", false)));
    assertTrue(toConnection("a1", ConferenceJoin.class).isEmpty());
    assertTrue(rooms.isEmpty(), "no room was opened");
    Call call = book.find(callId).orElseThrow();
    assertFalse(call.conference());
    assertEquals(List.of("a", "b"), call.joined().stream().map(CallParty::userId).toList());
    assertEquals("b1", service.relayTarget("a", "a1", callId));
    assertTrue(book.callOf("c").isEmpty(), "carol is free for other calls");
  }

  @Test
  void aConferenceWhoseParticipantMustBeRecordedIsRefusedWhenItCannotBeStored() {
    storeUp = false;
    recordedUsers.add("b"); // bob's decision says record; alice's and carol's do not
    String callId = twoParty();
    service.add(ALICE, "a1", callId, "c", "add-c");
    out.clear();
    service.answer("c", "c1", callId);

    carolNotTakenIn(callId, "recording-unavailable");
    assertEquals(List.of("c conference.recording.refused " + callId), audited);
    assertEquals(
        EndReason.RECORDING_UNAVAILABLE,
        log.written.get(log.written.size() - 1).parties().stream()
            .filter(p -> p.userId().equals("c"))
            .reduce((first, last) -> last)
            .orElseThrow()
            .reason(),
        "the call log says why carol is out");
  }

  @Test
  void theJoinerWhoseDecisionSaysRecordIsRefusedAsWell() {
    storeUp = false;
    recordedUsers.add("c");
    String callId = twoParty();
    service.add(ALICE, "a1", callId, "c", "add-c");
    out.clear();
    service.answer("c", "c1", callId);
    carolNotTakenIn(callId, "recording-unavailable");
    assertEquals(1, audited.size());
  }

  @Test
  void withoutAnswerFromThePolicyTheConferenceIsRefusedWhenItCannotBeStored() {
    storeUp = false;
    policyDown = true;
    String callId = twoParty();
    service.add(ALICE, "a1", callId, "c", "add-c");
    out.clear();
    service.answer("c", "c1", callId);
    carolNotTakenIn(callId, "recording-unavailable");
    assertEquals(1, audited.size());
  }

  @Test
  void someoneWhoseDecisionSaysRecordIsNotTakenIntoAnUnrecordedConference() {
    String callId = threeParty();
    FakeConference room = rooms.get(0);
    assertFalse(room.request.recorded());
    recordedUsers.add("d");
    service.add(ALICE, "a1", callId, "d", "add-d");
    out.clear();
    service.answer("d", "d1", callId);

    assertEquals(
        List.of(new Ended(callId, "recording-unavailable", null)), toUser("d", Ended.class));
    assertEquals(
        List.of(new AddEnded(callId, "add-d", "d", "recording-unavailable")),
        toUser("a", AddEnded.class));
    assertTrue(toConnection("d1", ConferenceJoin.class).isEmpty());
    assertEquals(List.of("d conference.recording.refused " + callId), audited);
    Call call = book.find(callId).orElseThrow();
    assertTrue(call.conference(), "the conference goes on");
    assertEquals(List.of("a", "b", "c"), call.joined().stream().map(CallParty::userId).toList());
    assertEquals(1, rooms.size());
    assertEquals(0, room.closed);
  }

  String recordedThreeParty() {
    recordedUsers.add("b");
    String callId = threeParty();
    assertTrue(rooms.get(0).request.recorded(), "bob's decision says record");
    return callId;
  }

  ConferenceEvent.RecordingStopped stoppedRecording(String callId) {
    Instant t = clock.instant();
    return new ConferenceEvent.RecordingStopped(
        callId,
        java.nio.file.Path.of("/rec/" + callId + ".webm"),
        List.of(),
        t,
        t.plusSeconds(60),
        List.of(
            new ConferenceEvent.Attendance("a", t, null),
            new ConferenceEvent.Attendance("b", t, null),
            new ConferenceEvent.Attendance("c", t, t.plusSeconds(30))));
  }

  @Test
  void aConferenceWhoseParticipantMustBeRecordedIsOpenedRecordedAndItsRecordingStored() {
    String callId = recordedThreeParty();
    assertTrue(audited.isEmpty());
    rooms.get(0).listener.onEvent(stoppedRecording(callId));
    assertEquals(List.of(callId + " /rec/" + callId + ".webm"), stored);
    assertTrue(audited.isEmpty(), "a stored recording is audited by the store itself");
    assertTrue(book.find(callId).orElseThrow().conference(), "the conference goes on");
  }

  @Test
  void theRecordingThatStopsAsTheCallEndsIsStoredWithEveryoneWhoTookPart() {
    String callId = recordedThreeParty();
    FakeConference room = rooms.get(0);
    room.recordingOnClose = stoppedRecording(callId);
    service.hangup("c", callId);
    service.hangup("b", callId); // alice alone: the call ends, the room closes
    assertTrue(book.find(callId).isEmpty(), "the call is over");
    assertEquals(1, room.closed);
    assertEquals(List.of(callId + " /rec/" + callId + ".webm"), stored);
    assertEquals(List.of("a", "b", "c"), storedParties);
    assertTrue(audited.isEmpty());
    room.listener.onEvent(stoppedRecording(callId));
    assertEquals(1, stored.size(), "after its release the call is forgotten");
    assertEquals(List.of("system recording.failed " + callId), audited);
  }

  @Test
  void someoneWhoseDecisionSaysRecordJoinsARecordedConference() {
    String callId = recordedThreeParty();
    recordedUsers.add("d");
    service.add(ALICE, "a1", callId, "d", "add-d");
    service.answer("d", "d1", callId);
    assertEquals(1, toConnection("d1", ConferenceJoin.class).size());
    assertTrue(toUser("d", Ended.class).isEmpty());
    assertEquals(1, rooms.size());
  }

  @Test
  void aFailedRecordingEndsTheConferenceUnderBlock() {
    String callId = recordedThreeParty();
    FakeConference room = rooms.get(0);
    room.listener.onEvent(new ConferenceEvent.RecordingFailed(callId, "disk full"));
    assertEquals(List.of("system recording.failed " + callId), audited);
    assertEquals(CallState.ENDED, book.find(callId).map(Call::state).orElse(CallState.ENDED));
    assertEquals(1, room.closed);
    for (String user : List.of("a", "b", "c")) {
      assertEquals(1, toUser(user, Ended.class).size(), user + " is told the call ended");
    }
  }

  @Test
  void aRecordingThatCannotBeStoredIsAFailure() {
    String callId = recordedThreeParty();
    storeWrites = false;
    rooms.get(0).listener.onEvent(stoppedRecording(callId));
    assertTrue(stored.isEmpty());
    assertEquals(List.of("system recording.failed " + callId), audited);
    assertEquals(1, rooms.get(0).closed, "block: the conference ended");
  }

  @Test
  void aFailedRecordingLetsTheConferenceGoOnUnderAllowUnrecorded() {
    block = false;
    String callId = recordedThreeParty();
    rooms.get(0).listener.onEvent(new ConferenceEvent.RecordingFailed(callId, "disk full"));
    assertEquals(List.of("system recording.failed " + callId), audited);
    assertTrue(book.find(callId).orElseThrow().conference());
    assertEquals(CallState.ACTIVE, book.find(callId).orElseThrow().state());
    assertEquals(0, rooms.get(0).closed);
  }

  @Test
  void aRecordedConferenceReleasedByTheMediaServerIsAuditedInterrupted() {
    String callId = recordedThreeParty();
    rooms
        .get(0)
        .listener
        .onEvent(new ConferenceEvent.ConferenceReleased(callId, "media-server-lost"));
    assertEquals(List.of("system recording.interrupted " + callId), audited);
    assertEquals(CallState.ENDED, book.find(callId).map(Call::state).orElse(CallState.ENDED));
  }

  @Test
  void aCallWithSeveralPeopleAtOnceBecomesAConferenceAtTheSecondAnswer() {
    service.invite(ALICE, "a1", List.of("b", "c", "e"), "many", CallMedia.VIDEO);
    String callId = book.callOf("a").orElseThrow().id();
    assertEquals(
        List.of(new AddEnded(callId, "many", "e", "offline")), toConnection("a1", AddEnded.class));
    assertEquals(
        List.of(new PartyView("a", "Alice", "joined")),
        toUser("b", Incoming.class).get(0).parties());
    assertEquals(1, toUser("c", Incoming.class).size());

    service.answer("b", "b1", callId);
    assertEquals(List.of(new Answered(callId)), toConnection("a1", Answered.class));
    assertTrue(rooms.isEmpty());
    service.answer("c", "c1", callId);
    assertEquals(1, rooms.size());
    assertEquals(1, toConnection("b1", ConferenceJoin.class).size());
  }

  @Test
  void aFourthJoinerIsToldAloneAndTheRoomIsNotOpenedTwice() {
    String callId = threeParty();
    service.add(CAROL, "c1", callId, "d", "r4");
    out.clear();
    service.answer("d", "d1", callId);
    assertEquals(1, rooms.size());
    assertEquals(1, toConnection("d1", ConferenceJoin.class).size());
    assertTrue(toConnection("a1", ConferenceJoin.class).isEmpty());
  }

  @Test
  void aPartyFailingOnTheMediaServerLeavesTheCall() {
    String callId = threeParty();
    FakeConference room = rooms.get(0);
    service.publish("b", "b1", callId, "o");
    room.listener.onEvent(new ConferenceEvent.ParticipantFailed(callId, "b", "ice-failed"));
    assertEquals(List.of(new Ended(callId, "connection-lost", null)), toUser("b", Ended.class));
    assertFalse(book.find(callId).orElseThrow().isParty("b"));
    assertEquals(2, book.find(callId).orElseThrow().joined().size());
  }

  @Test
  void aPartyWhoDoesNotComeBackLeavesAfterTheGrace() {
    String callId = threeParty();
    service.connectionClosed("c1");
    clock.advance(GRACE.minusSeconds(1));
    service.sweep(clock.instant());
    assertTrue(book.find(callId).orElseThrow().isJoined("c"));
    clock.advance(Duration.ofSeconds(1));
    service.sweep(clock.instant());
    assertFalse(book.find(callId).orElseThrow().isParty("c"));
    assertEquals(List.of(new Ended(callId, "connection-lost", null)), toUser("c", Ended.class));
  }

  @Test
  void theServerStoppingReleasesEveryConference() {
    threeParty();
    service.closeRooms();
    assertEquals(1, rooms.get(0).closed);
    assertEquals(0, service.openConferences());
  }

  @Test
  void theCallLogGetsEveryChangeOfTheParties() {
    String callId = threeParty();
    service.hangup("b", callId);
    Call last = log.written.get(log.written.size() - 1);
    CallParty bob = last.parties().get(1);
    assertEquals(PartyState.LEFT, bob.state());
    assertEquals(EndReason.HANGUP, bob.reason());
    assertInstanceOf(Instant.class, bob.joinedAt());
  }
}
