package com.vclick.web.api;

import com.vclick.core.recordings.Recording;
import com.vclick.core.recordings.RecordingAttendance;
import com.vclick.core.recordings.RecordingLegs;
import com.vclick.core.recordings.RecordingParticipant;
import com.vclick.core.recordings.RecordingRow;
import com.vclick.core.recordings.RecordingVerification;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/** The JSON of {@code /api/recordings} (web/RECORDINGS-API.md). */
final class RecordingJson {

  private RecordingJson() {}

  /**
   * A recording's metadata; never its file's path.
   *
   * @param retentionEndsAt when retention deletes it unless it is on hold
   */
  static JsonObject of(Recording recording, Instant retentionEndsAt) {
    RecordingRow row = recording.row();
    JsonArrayBuilder connections = Json.createArrayBuilder();
    recording.connectionIds().forEach(connections::add);
    JsonArrayBuilder participants = Json.createArrayBuilder();
    for (RecordingParticipant participant : recording.participants()) {
      participants.add(
          Json.createObjectBuilder()
              .add("userId", participant.userId())
              .add("username", participant.username())
              .add("displayName", participant.displayName()));
    }
    JsonArrayBuilder attendance = Json.createArrayBuilder();
    for (RecordingAttendance stretch : recording.attendance()) {
      attendance.add(
          Json.createObjectBuilder()
              .add("userId", stretch.userId())
              .add("joinedAt", stretch.joinedAt().toString())
              .add("leftAt", stretch.leftAt().toString()));
    }
    JsonObjectBuilder json =
        Json.createObjectBuilder()
            .add("recordingId", row.recordingId())
            .add("callId", row.callId())
            .add("connectionIds", connections)
            .add("participants", participants)
            .add("attendance", attendance)
            .add("origin", row.origin())
            .add("startedAt", row.startedAt().toString())
            .add("endedAt", row.endedAt().toString());
    row.durationMillis()
        .ifPresentOrElse(
            ms -> json.add("durationSeconds", BigDecimal.valueOf(ms, 3)),
            () -> json.addNull("durationSeconds"));
    json.add("sizeBytes", row.sizeBytes())
        .add("sha256", row.sha256())
        .add("container", row.container().wireName())
        .add("mediaType", row.container().mediaType())
        .add("codecs", row.codecs().map(RecordingJson::object).orElse(JsonValue.NULL));
    text(json, "probeError", row.probeError());
    json.add("legalHold", row.legalHold());
    text(json, "legalHoldReason", row.legalHoldReason());
    text(json, "legalHoldChangedAt", row.legalHoldChangedAt().map(Instant::toString));
    text(json, "legalHoldChangedBy", row.legalHoldChangedBy());
    json.add("createdAt", row.createdAt().toString())
        .add("retentionEndsAt", retentionEndsAt.toString());
    text(json, "deletedAt", row.deletedAt().map(Instant::toString));
    json.add("legs", legs(row.legs()));
    text(json, "incomplete", row.incomplete());
    return json.build();
  }

  /**
   * Which legs' media it holds: seconds per leg (null: that leg is missing, or not known when
   * {@code known} is false); null for recordings stored without it.
   */
  private static JsonValue legs(RecordingLegs legs) {
    if (!legs.known() && !legs.partial()) {
      return JsonValue.NULL;
    }
    JsonObjectBuilder json = Json.createObjectBuilder().add("known", legs.known());
    seconds(json, "enterpriseSeconds", legs.enterpriseMillis());
    seconds(json, "farEndSeconds", legs.farEndMillis());
    return json.add("partial", legs.partial()).build();
  }

  private static void seconds(JsonObjectBuilder json, String name, Long millis) {
    if (millis == null) {
      json.addNull(name);
    } else {
      json.add(name, BigDecimal.valueOf(millis, 3));
    }
  }

  static JsonObject of(RecordingVerification verification) {
    JsonObjectBuilder json =
        Json.createObjectBuilder()
            .add("recordingId", verification.recordingId())
            .add("intact", verification.intact())
            .add("sha256", verification.sha256());
    text(json, "computedSha256", verification.computedSha256());
    json.add("sizeBytes", verification.sizeBytes());
    verification
        .computedSizeBytes()
        .ifPresentOrElse(
            size -> json.add("computedSizeBytes", size), () -> json.addNull("computedSizeBytes"));
    return json.add("verifiedAt", verification.verifiedAt().toString()).build();
  }

  /** The stored codec summary; it was written by the server, so a bad one is left out. */
  private static JsonValue object(String text) {
    try (var reader = Json.createReader(new StringReader(text))) {
      return reader.readObject();
    } catch (JsonException | IllegalStateException e) {
      return JsonValue.NULL;
    }
  }

  private static void text(JsonObjectBuilder json, String name, Optional<String> value) {
    if (value.isPresent()) {
      json.add(name, value.get());
    } else {
      json.addNull(name);
    }
  }
}
