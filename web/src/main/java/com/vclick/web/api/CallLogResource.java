package com.vclick.web.api;

import com.vclick.core.calls.CallLog;
import com.vclick.core.calls.CallLogEntry;
import com.vclick.core.calls.CallLogQuery;
import com.vclick.core.calls.CallParticipant;
import com.vclick.core.calls.EndReason;
import com.vclick.core.calls.Party;
import com.vclick.core.identity.Roles;
import com.vclick.core.recordings.RecordingRepository;
import com.vclick.web.http.QueryParameters;
import com.vclick.web.security.CurrentCaller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The call log: {@code GET /api/calls} are the caller's own calls, seen from their side; {@code GET
 * /api/calls/all} are everyone's, for {@code edge-admin}. Newest first; page with {@code before}
 * (the {@code startedAt} of the last entry seen). Each entry links the recordings stored under its
 * call id ({@code recordingIds}; a recorded conference's), which only {@code recording-reviewer}s
 * may open.
 */
@Path("calls")
public class CallLogResource {

  static final int DEFAULT_LIMIT = 50;

  @Inject CallLog log;
  @Inject CurrentCaller caller;
  @Inject RecordingRepository recordings;

  @GET
  @RolesAllowed(Roles.CALLER)
  @Produces(MediaType.APPLICATION_JSON)
  public JsonArray own(
      @QueryParam("limit") @DefaultValue("50") String limit, @QueryParam("before") String before) {
    String me = caller.get().subject();
    JsonArrayBuilder calls = Json.createArrayBuilder();
    List<CallLogEntry> entries = log.find(query(me, limit, before));
    Map<String, List<CallParticipant>> grown = participantsOf(entries);
    Map<String, List<String>> recorded = recordingsOf(entries);
    for (CallLogEntry entry : entries) {
      boolean outgoing = entry.caller().userId().equals(me);
      Party peer = outgoing ? entry.callee() : entry.caller();
      List<CallParticipant> participants = participants(entry, grown);
      boolean missed;
      if (grown.containsKey(entry.callId())) {
        // In a call of more than two, what counts is this user's own stretch(es).
        List<CallParticipant> mine =
            participants.stream().filter(p -> p.party().userId().equals(me)).toList();
        missed = !outgoing && !mine.isEmpty() && mine.stream().allMatch(CallParticipant::missed);
      } else {
        missed =
            !outgoing
                && entry.answeredAt().isEmpty()
                && entry.endReason().filter(r -> r.missedByCallee()).isPresent();
      }
      calls.add(
          common(entry, participants, recorded)
              .add("direction", outgoing ? "outgoing" : "incoming")
              .add("peer", party(peer))
              .add("missed", missed));
    }
    return calls.build();
  }

  @GET
  @Path("all")
  @RolesAllowed(Roles.EDGE_ADMIN)
  @Produces(MediaType.APPLICATION_JSON)
  public JsonArray all(
      @QueryParam("limit") @DefaultValue("50") String limit,
      @QueryParam("before") String before,
      @QueryParam("user") String user) {
    JsonArrayBuilder calls = Json.createArrayBuilder();
    List<CallLogEntry> entries = log.find(query(QueryParameters.userId(user), limit, before));
    Map<String, List<CallParticipant>> grown = participantsOf(entries);
    Map<String, List<String>> recorded = recordingsOf(entries);
    for (CallLogEntry entry : entries) {
      calls.add(
          common(entry, participants(entry, grown), recorded)
              .add("caller", party(entry.caller()))
              .add("callee", party(entry.callee())));
    }
    return calls.build();
  }

  private Map<String, List<String>> recordingsOf(List<CallLogEntry> entries) {
    return recordings.recordingsOfCalls(entries.stream().map(CallLogEntry::callId).toList());
  }

  private Map<String, List<CallParticipant>> participantsOf(List<CallLogEntry> entries) {
    return log.participants(entries.stream().map(CallLogEntry::callId).toList());
  }

  /**
   * Everyone in the call with their times: the stored rows of a call that grew beyond two, else the
   * caller (from the start) and the callee (from the answer, when answered).
   */
  private static List<CallParticipant> participants(
      CallLogEntry entry, Map<String, List<CallParticipant>> grown) {
    List<CallParticipant> rows = grown.get(entry.callId());
    if (rows != null) {
      return rows;
    }
    Instant endedAt = entry.endedAt().orElse(null);
    EndReason reason = entry.endReason().orElse(null);
    Instant answeredAt = entry.answeredAt().orElse(null);
    return List.of(
        new CallParticipant(
            entry.caller(), null, entry.startedAt(), entry.startedAt(), endedAt, reason),
        new CallParticipant(
            entry.callee(),
            entry.caller().userId(),
            entry.startedAt(),
            answeredAt,
            endedAt,
            reason));
  }

  private static JsonObjectBuilder common(
      CallLogEntry entry, List<CallParticipant> participants, Map<String, List<String>> recorded) {
    var list = Json.createArrayBuilder();
    for (CallParticipant p : participants) {
      JsonObjectBuilder json = party(p.party());
      addOptional(json, "invitedBy", Optional.ofNullable(p.invitedBy()));
      json.add("invitedAt", p.invitedAt().toString());
      addOptional(json, "joinedAt", Optional.ofNullable(p.joinedAt()).map(Instant::toString));
      addOptional(json, "leftAt", Optional.ofNullable(p.leftAt()).map(Instant::toString));
      addOptional(json, "reason", Optional.ofNullable(p.reason()).map(EndReason::wireName));
      list.add(json);
    }
    JsonObjectBuilder json =
        Json.createObjectBuilder()
            .add("callId", entry.callId())
            .add("participants", list)
            .add(
                "recordingIds",
                Json.createArrayBuilder(recorded.getOrDefault(entry.callId(), List.of())))
            .add("media", entry.media().wireName())
            .add("startedAt", entry.startedAt().toString());
    addOptional(json, "answeredAt", entry.answeredAt().map(Instant::toString));
    addOptional(json, "endedAt", entry.endedAt().map(Instant::toString));
    addOptional(json, "endReason", entry.endReason().map(r -> r.wireName()));
    addOptional(json, "mediaPath", entry.mediaPath().map(p -> p.name().toLowerCase(Locale.ROOT)));
    long seconds =
        entry
            .answeredAt()
            .flatMap(a -> entry.endedAt().map(e -> Duration.between(a, e).toSeconds()))
            .orElse(0L);
    return json.add("durationSeconds", seconds);
  }

  private static void addOptional(JsonObjectBuilder json, String name, Optional<String> value) {
    if (value.isPresent()) {
      json.add(name, value.get());
    } else {
      json.addNull(name);
    }
  }

  private static JsonObjectBuilder party(Party party) {
    return Json.createObjectBuilder().add("id", party.userId()).add("name", party.name());
  }

  private static CallLogQuery query(String user, String limit, String before) {
    return new CallLogQuery(
        user, QueryParameters.before(before), QueryParameters.limit(limit, CallLogQuery.MAX_LIMIT));
  }
}
