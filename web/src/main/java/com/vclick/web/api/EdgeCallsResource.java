package com.vclick.web.api;

import com.vclick.core.edge.PageOrigin;
import com.vclick.core.edge.connections.ConnectionReportJson;
import com.vclick.core.edge.connections.EdgeCall;
import com.vclick.core.edge.connections.EdgeCallQuery;
import com.vclick.core.edge.connections.EdgeConnectionRow;
import com.vclick.core.edge.connections.EdgeConnections;
import com.vclick.core.edge.connections.Participant;
import com.vclick.core.edge.decision.EdgeDecisionRecord;
import com.vclick.core.identity.Caller;
import com.vclick.core.identity.Roles;
import com.vclick.core.recordings.RecordingRepository;
import com.vclick.web.http.Csv;
import com.vclick.web.http.QueryParameters;
import com.vclick.web.problem.BadRequestProblem;
import com.vclick.web.security.CurrentCaller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Secure Edge call log (web/EDGE-API.md, {@code GET /api/edge/calls}): calls made of the peer
 * connections the extension reported, newest first, as JSON or as a CSV export. A caller sees the
 * calls they have a connection in (their own or the far end of one), whole; {@code edge-admin} sees
 * every call and may pick one user's. Decisions of other users' connections are shown to {@code
 * edge-admin} only: a rule's name can say which group someone is in.
 */
@Path("edge/calls")
public class EdgeCallsResource {

  @Inject CurrentCaller caller;
  @Inject EdgeConnections connections;
  @Inject RecordingRepository recordings;
  @Context HttpHeaders headers;

  @GET
  @RolesAllowed(Roles.CALLER)
  @Produces({MediaType.APPLICATION_JSON, Csv.MEDIA_TYPE})
  public Response calls(
      @QueryParam("user") String user,
      @QueryParam("origin") String origin,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("limit") @DefaultValue("50") String limit,
      @QueryParam("before") String before,
      @QueryParam("format") String format) {
    Caller me = caller.get();
    boolean admin = me.hasRole(Roles.EDGE_ADMIN);
    if (user != null && !admin) {
      throw new ForbiddenException();
    }
    boolean csv = csv(format);
    var query =
        new EdgeCallQuery(
            admin ? QueryParameters.userId(user) : me.subject(),
            origin(origin),
            QueryParameters.instant("from", from),
            QueryParameters.instant("to", to),
            QueryParameters.before(before),
            QueryParameters.limit(limit, EdgeCallQuery.MAX_LIMIT));
    List<EdgeCall> calls = connections.calls(query);
    Visibility visibility = new Visibility(me.subject(), admin);
    if (csv) {
      return Response.ok(EdgeCallsCsv.of(calls, visibility))
          .type(Csv.MEDIA_TYPE + "; charset=UTF-8")
          .header("Content-Disposition", "attachment; filename=\"vclick-edge-calls.csv\"")
          .build();
    }
    JsonArrayBuilder list = Json.createArrayBuilder();
    List<String> ids =
        calls.stream()
            .flatMap(call -> call.connections().stream())
            .map(c -> c.row().connectionId())
            .toList();
    Map<String, List<String>> recorded = recordings.recordingsOfConnections(ids);
    calls.forEach(call -> list.add(json(call, visibility, recorded)));
    return Response.ok(list.build(), MediaType.APPLICATION_JSON_TYPE).build();
  }

  /** CSV when {@code format=csv}, or when the Accept header prefers it to JSON. */
  private boolean csv(String format) {
    if (format != null) {
      return switch (format) {
        case "csv" -> true;
        case "json" -> false;
        default -> throw new BadRequestProblem("format must be json or csv.");
      };
    }
    for (MediaType type : headers.getAcceptableMediaTypes()) {
      if (type.isWildcardType() || type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
        return false;
      }
      if (type.isCompatible(MediaType.valueOf(Csv.MEDIA_TYPE))) {
        return true;
      }
    }
    return false;
  }

  private static String origin(String origin) {
    if (origin == null) {
      return null;
    }
    if (origin.isBlank() || origin.length() > ConnectionReportJson.MAX_ORIGIN_LENGTH) {
      throw new BadRequestProblem("origin must be a page origin such as https://meet.example.com.");
    }
    return PageOrigin.tryParse(origin).map(PageOrigin::toString).orElse(origin);
  }

  /** Whose decisions the viewer may see: their own, or everyone's for {@code edge-admin}. */
  record Visibility(String viewer, boolean admin) {

    Optional<EdgeDecisionRecord> decision(EdgeCall.Connection connection) {
      return admin || connection.row().userId().equals(viewer)
          ? connection.decision()
          : Optional.empty();
    }

    Optional<String> decisionId(EdgeCall.Connection connection) {
      return admin || connection.row().userId().equals(viewer)
          ? connection.row().decisionId()
          : Optional.empty();
    }
  }

  private static JsonObject json(
      EdgeCall call, Visibility visibility, Map<String, List<String>> recorded) {
    JsonObjectBuilder json =
        Json.createObjectBuilder()
            .add("callId", call.callId())
            .add("origin", call.origin())
            .add("startedAt", call.startedAt().toString());
    optional(json, "endedAt", call.endedAt().map(Instant::toString));
    json.add("durationSeconds", call.durationSeconds());
    // Someone claimed the fingerprints of one of its connections who cannot have: nobody is paired
    // through those, and the claims are in the audit trail (edge.pairing.disputed).
    json.add("disputed", call.disputed());
    JsonArrayBuilder participants = Json.createArrayBuilder();
    for (Participant participant : call.participants()) {
      participants.add(
          Json.createObjectBuilder()
              .add("userId", participant.userId())
              .add("username", participant.username())
              .add("displayName", participant.displayName()));
    }
    JsonArrayBuilder connections = Json.createArrayBuilder();
    call.connections()
        .forEach(connection -> connections.add(json(connection, visibility, recorded)));
    return json.add("participants", participants).add("connections", connections).build();
  }

  private static JsonObject json(
      EdgeCall.Connection connection, Visibility visibility, Map<String, List<String>> recorded) {
    EdgeConnectionRow row = connection.row();
    Optional<EdgeDecisionRecord> decision = visibility.decision(connection);
    JsonObjectBuilder json =
        Json.createObjectBuilder()
            .add("connectionId", row.connectionId())
            .add("userId", row.userId())
            .add("username", row.username())
            .add("origin", row.origin())
            .add("pageId", row.pageId());
    optional(json, "decisionId", visibility.decisionId(connection));
    optional(json, "decision", decision.map(d -> d.kind().wireName()));
    if (decision.flatMap(EdgeDecisionRecord::ruleId).isPresent()) {
      json.add(
          "rule",
          Json.createObjectBuilder()
              .add("id", decision.get().ruleId().get())
              .add("name", decision.get().ruleName()));
    } else {
      json.addNull("rule");
    }
    optional(json, "createdAt", row.createdAt().map(Instant::toString));
    optional(json, "connectedAt", row.connectedAt().map(Instant::toString));
    optional(json, "closedAt", row.closedAt().map(Instant::toString));
    optional(json, "localCandidateType", row.localCandidateType().map(t -> t.wireName()));
    optional(json, "remoteCandidateType", row.remoteCandidateType().map(t -> t.wireName()));
    optional(json, "protocol", row.protocol().map(p -> p.wireName()));
    if (row.bytesSent().isPresent() && row.bytesReceived().isPresent()) {
      json.add("bytesSent", row.bytesSent().get()).add("bytesReceived", row.bytesReceived().get());
    } else {
      json.addNull("bytesSent").addNull("bytesReceived");
    }
    optional(json, "endReason", row.endReason().map(r -> r.wireName()));
    optional(json, "peerConnectionId", row.peerConnectionId());
    json.add("pairingDisputed", row.pairingDisputed());
    // Recordings are listed for everyone who sees the call (that it was recorded is no secret to
    // its participants); playing them needs recording-reviewer.
    json.add(
        "recordingIds",
        Json.createArrayBuilder(recorded.getOrDefault(row.connectionId(), List.of())));
    return json.build();
  }

  private static void optional(JsonObjectBuilder json, String name, Optional<String> value) {
    if (value.isPresent()) {
      json.add(name, value.get());
    } else {
      json.addNull(name);
    }
  }
}
