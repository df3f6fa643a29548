package com.vclick.core.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.vclick.core.calls.CallBook.Invitee;
import com.vclick.core.recordings.RecordingAttendance;
import com.vclick.core.recordings.RecordingParticipant;
import com.vclick.media.api.ConferenceEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a recorded conference's recording says of who took part when. */
class ConferenceRecordingsTest {

  static final Party ALICE = new Party("a", "Alice");
  static final Party BOB = new Party("b", "Bob");
  static final Party CAROL = new Party("c", "Carol");
  static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  final CallBook book =
      new CallBook(() -> "call-1", Duration.ofSeconds(45), Duration.ofSeconds(30));

  static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  static ConferenceEvent.RecordingStopped stopped(
      Instant stoppedAt, ConferenceEvent.Attendance... seen) {
    return new ConferenceEvent.RecordingStopped(
        "call-1", Path.of("/rec/call-1.webm"), List.of(), at(10), stoppedAt, List.of(seen));
  }

  static List<RecordingParticipant> listed(String... ids) {
    return List.of(ids).stream().map(id -> new RecordingParticipant(id, id, id)).toList();
  }

  /**
   * alice calls bob and carol at once; bob answers at 5 s, carol at 10 s; bob leaves at 20 s, is
   * invited back by carol and answers at 40 s; the call: alice, bob, carol, bob again.
   */
  Call callWhereBobLeftAndCameBack() {
    String id =
        book.invite(
                ALICE,
                "a1",
                List.of(new Invitee(BOB, true), new Invitee(CAROL, true)),
                "r",
                CallMedia.VIDEO,
                T0)
            .call()
            .id();
    book.answer(id, "b", "b1", at(5));
    book.answer(id, "c", "c1", at(10));
    book.leave(id, "b", EndReason.HANGUP, at(20));
    book.add(id, "c", "c1", new Invitee(BOB, true), "again", at(30));
    return book.answer(id, "b", "b2", at(40));
  }

  @Test
  void everyStretchOfEveryPartyWithTheCallsTimes() {
    Call call = callWhereBobLeftAndCameBack();
    Call ended = book.leave(call.id(), "a", EndReason.HANGUP, at(50)).call();
    ended = book.leave(ended.id(), "b", EndReason.HANGUP, at(60)).call(); // carol alone: the end
    assertEquals(at(60), ended.endedAt());

    List<RecordingAttendance> stretches =
        ConferenceRecordings.attendance(ended, stopped(at(61)), listed("a", "b", "c"));

    assertEquals(
        List.of(
            new RecordingAttendance("a", T0, at(50)),
            new RecordingAttendance("b", at(5), at(20)),
            new RecordingAttendance("c", at(10), at(60)),
            new RecordingAttendance("b", at(40), at(60))),
        stretches);
  }

  @Test
  void aPartyStillInTheCallCountsToTheRecordingsStopAndTheRoomNamesOnlyOthers() {
    Call call = callWhereBobLeftAndCameBack();
    var stranger = new ConferenceEvent.Attendance("x", at(12), null);
    var carolInRoom = new ConferenceEvent.Attendance("c", at(11), at(70));

    List<RecordingAttendance> stretches =
        ConferenceRecordings.attendance(
            call, stopped(at(70), stranger, carolInRoom), listed("a", "b", "c", "x"));

    assertEquals(
        List.of(
            new RecordingAttendance("a", T0, at(70)),
            new RecordingAttendance("b", at(5), at(20)),
            new RecordingAttendance("c", at(10), at(70)),
            new RecordingAttendance("b", at(40), at(70)),
            new RecordingAttendance("x", at(12), at(70))),
        stretches,
        "the call's times for its parties; the room's for someone only the room saw");
  }

  @Test
  void onlyTheListedParticipants() {
    Call call = callWhereBobLeftAndCameBack();
    List<RecordingAttendance> stretches =
        ConferenceRecordings.attendance(call, stopped(at(70)), listed("a", "c"));
    assertEquals(
        List.of(
            new RecordingAttendance("a", T0, at(70)), new RecordingAttendance("c", at(10), at(70))),
        stretches);
  }
}
