package com.vclick.web.api;

import com.vclick.core.calls.CallLog;
import com.vclick.core.calls.CallLogEntry;
import com.vclick.core.calls.CallLogQuery;
import com.vclick.core.calls.Party;
import com.vclick.core.identity.Roles;
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
import java.util.Locale;
import java.util.Optional;

/**
 * The call log: {@code GET /api/calls} are the caller's own calls, seen from their side; {@code GET
 * /api/calls/all} are everyone's, for {@code edge-admin}. Newest first; page with {@code before}
 * (the {@code startedAt} of the last entry seen).
 */
@Path("calls")
public class CallLogResource {

  static final int DEFAULT_LIMIT = 50;

  @Inject CallLog log;
  @Inject CurrentCaller caller;

  @GET
  @RolesAllowed(Roles.CALLER)
  @Produces(MediaType.APPLICATION_JSON)
  public JsonArray own(
      @QueryParam("limit") @DefaultValue("50") String limit, @QueryParam("before") String before) {
    String me = caller.get().subject();
    JsonArrayBuilder calls = Json.createArrayBuilder();
    for (CallLogEntry entry : log.find(query(me, limit, before))) {
      boolean outgoing = entry.caller().userId().equals(me);
      Party peer = outgoing ? entry.callee() : entry.caller();
      boolean missed =
          !outgoing
              && entry.answeredAt().isEmpty()
              && entry.endReason().filter(r -> r.missedByCallee()).isPresent();
      calls.add(
          common(entry)
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
    for (CallLogEntry entry : log.find(query(QueryParameters.userId(user), limit, before))) {
      calls.add(
          common(entry).add("caller", party(entry.caller())).add("callee", party(entry.callee())));
    }
    return calls.build();
  }

  private static JsonObjectBuilder common(CallLogEntry entry) {
    JsonObjectBuilder json =
        Json.createObjectBuilder()
            .add("callId", entry.callId())
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
