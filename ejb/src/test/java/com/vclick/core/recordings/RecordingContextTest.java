package com.vclick.core.recordings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class RecordingContextTest {

  private static final Instant T = Instant.parse("2026-11-24T10:15:30Z");
  private static final String ORIGIN = "https://meet.example.com";
  private static final List<RecordingParticipant> PEOPLE =
      List.of(Recordings.ALICE, Recordings.BOB);

  private static void refused(String field, Executable build) {
    var e = assertThrows(IllegalArgumentException.class, build);
    assertTrue(e.getMessage().startsWith(field + ":"), field + " named: " + e.getMessage());
  }

  @Test
  void aValidContextIsNormalised() {
    String upper = "3B241101-E2BB-4255-8CAF-4136C566A962";
    var context =
        new RecordingContext(
            "call-1",
            List.of(upper, upper.toLowerCase()),
            PEOPLE,
            "HTTPS://Meet.Example.com:443",
            T,
            T);
    assertEquals(List.of(upper.toLowerCase()), context.connectionIds(), "lower case, once");
    assertEquals(ORIGIN, context.origin(), "as the connection log normalises it");
    assertEquals(
        "null", new RecordingContext("c", null, PEOPLE, "null", T, T).origin(), "kept as given");
    assertEquals(List.of(), new RecordingContext("c", null, PEOPLE, ORIGIN, T, T).connectionIds());
  }

  @Test
  void everyFieldIsChecked() {
    List<String> tooMany = Collections.nCopies(51, UUID.randomUUID().toString());
    List<RecordingParticipant> crowd = new ArrayList<>();
    for (int i = 0; i < 21; i++) {
      crowd.add(new RecordingParticipant("u" + i, "user" + i, "User " + i));
    }
    refused("callId", () -> new RecordingContext(null, null, PEOPLE, ORIGIN, T, T));
    refused("callId", () -> new RecordingContext("call 1", null, PEOPLE, ORIGIN, T, T));
    refused("callId", () -> new RecordingContext("c".repeat(65), null, PEOPLE, ORIGIN, T, T));
    refused("connectionIds", () -> new RecordingContext("c", tooMany, PEOPLE, ORIGIN, T, T));
    refused(
        "connectionIds[0]", () -> new RecordingContext("c", List.of("42"), PEOPLE, ORIGIN, T, T));
    refused("participants", () -> new RecordingContext("c", null, List.of(), ORIGIN, T, T));
    refused("participants", () -> new RecordingContext("c", null, null, ORIGIN, T, T));
    refused("participants", () -> new RecordingContext("c", null, crowd, ORIGIN, T, T));
    refused(
        "participants[1].userId",
        () ->
            new RecordingContext(
                "c", null, List.of(Recordings.ALICE, Recordings.ALICE), ORIGIN, T, T));
    refused("origin", () -> new RecordingContext("c", null, PEOPLE, " ", T, T));
    refused("origin", () -> new RecordingContext("c", null, PEOPLE, "x".repeat(2049), T, T));
    refused("startedAt", () -> new RecordingContext("c", null, PEOPLE, ORIGIN, null, T));
    refused("endedAt", () -> new RecordingContext("c", null, PEOPLE, ORIGIN, T, null));
    refused("endedAt", () -> new RecordingContext("c", null, PEOPLE, ORIGIN, T, T.minusMillis(1)));
    refused("userId", () -> new RecordingParticipant("", "alice", "Alice"));
    refused("userId", () -> new RecordingParticipant("u".repeat(65), "alice", "Alice"));
    refused("username", () -> new RecordingParticipant("u", null, "Alice"));
    refused("displayName", () -> new RecordingParticipant("u", "alice", "A".repeat(201)));
  }

  @Test
  void attendanceNamesParticipantsWithOrderedTimes() {
    var alice = new RecordingAttendance(Recordings.ALICE.userId(), T, T.plusSeconds(60));
    var bobTwice =
        List.of(
            new RecordingAttendance(Recordings.BOB.userId(), T, T.plusSeconds(10)),
            new RecordingAttendance(Recordings.BOB.userId(), T.plusSeconds(30), T.plusSeconds(60)));
    List<RecordingAttendance> stretches = new ArrayList<>(List.of(alice));
    stretches.addAll(bobTwice);
    var context =
        new RecordingContext("c", null, PEOPLE, ORIGIN, T, T, RecordingLegs.UNKNOWN, stretches);
    assertEquals(stretches, context.attendance(), "every stretch, in order");
    assertEquals(List.of(), new RecordingContext("c", null, PEOPLE, ORIGIN, T, T).attendance());

    var stranger = new RecordingAttendance("someone-else", T, T);
    refused(
        "attendance[0].userId",
        () ->
            new RecordingContext(
                "c", null, PEOPLE, ORIGIN, T, T, RecordingLegs.UNKNOWN, List.of(stranger)));
    refused(
        "attendance",
        () ->
            new RecordingContext(
                "c",
                null,
                PEOPLE,
                ORIGIN,
                T,
                T,
                RecordingLegs.UNKNOWN,
                Collections.nCopies(201, alice)));
    refused("leftAt", () -> new RecordingAttendance("u", T, T.minusMillis(1)));
    refused("joinedAt", () -> new RecordingAttendance("u", null, T));
    refused("userId", () -> new RecordingAttendance(" ", T, T));
  }
}
