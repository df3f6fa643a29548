package com.vclick.core.recordings;

import com.vclick.core.Uuids;
import com.vclick.core.edge.PageOrigin;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the application knows of a recorded call, handed over with its finished file. Checked
 * strictly: a bad value throws {@link IllegalArgumentException} naming the field.
 *
 * @param callId the application's id of the call: the Secure Edge call id or Vclick's own (1 to 64
 *     letters, digits or {@code -}, as the media port's call ids)
 * @param connectionIds the Secure Edge connection log's connections the recording covers (UUIDs,
 *     stored in lower case, each once; at most {@link #MAX_CONNECTIONS}; empty for calls that are
 *     not in the connection log); how recordings are linked from the log
 * @param participants the enterprise users in the call, first the one whose policy required the
 *     recording (1 to {@link #MAX_PARTICIPANTS}, each user once)
 * @param origin the page's origin for a Secure Edge call, the web app's for Vclick's own (1 to
 *     2,048 characters; an http(s) origin is normalised as the connection log does, anything else
 *     kept as given)
 * @param startedAt when the recording started (the media server's report)
 * @param endedAt when it stopped; not before {@code startedAt}
 * @param legs which legs' media it holds and for how long ({@link RecordingLegs#UNKNOWN} when not
 *     reported)
 * @param attendance when each participant took part, in order (a conference's: every stretch of
 *     every party; empty when not reported, e.g. a two-party call); each one of {@code
 *     participants}, at most {@link #MAX_ATTENDANCE}
 */
public record RecordingContext(
    String callId,
    List<String> connectionIds,
    List<RecordingParticipant> participants,
    String origin,
    Instant startedAt,
    Instant endedAt,
    RecordingLegs legs,
    List<RecordingAttendance> attendance) {

  public static final int MAX_CONNECTIONS = 50;
  public static final int MAX_ATTENDANCE = 200;
  public static final int MAX_PARTICIPANTS = 20;
  public static final int MAX_ORIGIN_LENGTH = 2048;

  private static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  public RecordingContext {
    if (callId == null || !CALL_ID.matcher(callId).matches()) {
      throw new IllegalArgumentException("callId: 1 to 64 letters, digits or '-' are expected.");
    }
    connectionIds = connectionIds(connectionIds);
    participants = participants(participants);
    origin = text("origin", origin, MAX_ORIGIN_LENGTH);
    origin = PageOrigin.tryParse(origin).map(PageOrigin::toString).orElse(origin);
    if (startedAt == null || endedAt == null) {
      throw new IllegalArgumentException(
          (startedAt == null ? "startedAt" : "endedAt") + ": an instant is expected.");
    }
    if (endedAt.isBefore(startedAt)) {
      throw new IllegalArgumentException("endedAt: must not be before startedAt.");
    }
    legs = legs == null ? RecordingLegs.UNKNOWN : legs;
    attendance = attendance(attendance, participants);
  }

  /** A context without attendance (a two-party call's). */
  public RecordingContext(
      String callId,
      List<String> connectionIds,
      List<RecordingParticipant> participants,
      String origin,
      Instant startedAt,
      Instant endedAt,
      RecordingLegs legs) {
    this(callId, connectionIds, participants, origin, startedAt, endedAt, legs, List.of());
  }

  /** A context whose legs were not reported. */
  public RecordingContext(
      String callId,
      List<String> connectionIds,
      List<RecordingParticipant> participants,
      String origin,
      Instant startedAt,
      Instant endedAt) {
    this(callId, connectionIds, participants, origin, startedAt, endedAt, RecordingLegs.UNKNOWN);
  }

  private static List<String> connectionIds(List<String> ids) {
    if (ids == null) {
      return List.of();
    }
    if (ids.size() > MAX_CONNECTIONS) {
      throw new IllegalArgumentException(
          "connectionIds: at most " + MAX_CONNECTIONS + " are expected.");
    }
    Set<String> distinct = new LinkedHashSet<>();
    for (int i = 0; i < ids.size(); i++) {
      int index = i;
      distinct.add(
          Uuids.normalise(ids.get(i))
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "connectionIds[" + index + "]: a UUID is expected.")));
    }
    return List.copyOf(distinct);
  }

  private static List<RecordingAttendance> attendance(
      List<RecordingAttendance> stretches, List<RecordingParticipant> participants) {
    if (stretches == null) {
      return List.of();
    }
    if (stretches.size() > MAX_ATTENDANCE) {
      throw new IllegalArgumentException(
          "attendance: at most " + MAX_ATTENDANCE + " stretches are expected.");
    }
    Set<String> users = new LinkedHashSet<>();
    participants.forEach(p -> users.add(p.userId()));
    for (int i = 0; i < stretches.size(); i++) {
      RecordingAttendance stretch = stretches.get(i);
      if (stretch == null) {
        throw new IllegalArgumentException("attendance[" + i + "]: a stretch is expected.");
      }
      if (!users.contains(stretch.userId())) {
        throw new IllegalArgumentException(
            "attendance[" + i + "].userId: not one of the participants.");
      }
    }
    return List.copyOf(stretches);
  }

  private static List<RecordingParticipant> participants(List<RecordingParticipant> people) {
    if (people == null || people.isEmpty() || people.size() > MAX_PARTICIPANTS) {
      throw new IllegalArgumentException(
          "participants: 1 to " + MAX_PARTICIPANTS + " enterprise users are expected.");
    }
    List<RecordingParticipant> checked = new ArrayList<>(people.size());
    Set<String> users = new LinkedHashSet<>();
    for (int i = 0; i < people.size(); i++) {
      RecordingParticipant person = people.get(i);
      if (person == null) {
        throw new IllegalArgumentException("participants[" + i + "]: a user is expected.");
      }
      if (!users.add(person.userId())) {
        throw new IllegalArgumentException("participants[" + i + "].userId: named twice.");
      }
      checked.add(person);
    }
    return List.copyOf(checked);
  }

  /** A required text of 1 to {@code max} characters, not blank. */
  static String text(String field, String value, int max) {
    if (value == null || value.isBlank() || value.length() > max) {
      throw new IllegalArgumentException(
          field + ": 1 to " + max + " characters, not blank, are expected.");
    }
    return value;
  }
}
