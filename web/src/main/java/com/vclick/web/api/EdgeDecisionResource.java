package com.vclick.web.api;

import com.vclick.core.edge.EdgeDecision;
import com.vclick.core.edge.decision.EdgeDecisionLog;
import com.vclick.core.edge.decision.EdgeDecisionQuery;
import com.vclick.core.edge.decision.EdgeDecisionRecord;
import com.vclick.core.edge.decision.EdgeDecisions;
import com.vclick.core.edge.decision.IssuedDecision;
import com.vclick.core.edge.json.EdgePolicyJson;
import com.vclick.core.identity.Caller;
import com.vclick.core.identity.Roles;
import com.vclick.core.turn.TurnCredentials;
import com.vclick.web.http.JsonBodies;
import com.vclick.web.http.QueryParameters;
import com.vclick.web.problem.BadRequestProblem;
import com.vclick.web.security.CurrentCaller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Set;

/**
 * Secure Edge decisions (web/EDGE-API.md): {@code POST /api/edge/decision} decides for the caller
 * on a page origin, with relay credentials when relayed and, for {@code edge-admin}, the
 * explanation; {@code GET /api/edge/decisions} lists recorded decisions for {@code edge-admin},
 * newest first, paged with {@code before} (the {@code decidedAt} of the last one seen).
 */
@Path("edge")
public class EdgeDecisionResource {

  /** Longer than any origin a browser reports; what the decision log stores. */
  static final int MAX_ORIGIN_LENGTH = 2048;

  static final Set<String> FIELDS = Set.of("origin");

  @Inject CurrentCaller caller;
  @Inject EdgeDecisions decisions;
  @Inject EdgeDecisionLog log;

  @POST
  @Path("decision")
  @RolesAllowed(Roles.CALLER)
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response decide(String body) {
    JsonValue origin = JsonBodies.optionalObject(body, FIELDS).get("origin");
    if (!(origin instanceof JsonString text)) {
      throw new BadRequestProblem(
          "origin must be a string: the page's origin, e.g. https://meet.example.com.");
    }
    if (text.getString().length() > MAX_ORIGIN_LENGTH) {
      throw new BadRequestProblem("origin must be at most " + MAX_ORIGIN_LENGTH + " characters.");
    }
    Caller me = caller.get();
    IssuedDecision issued = decisions.decide(me, text.getString());
    CacheControl noStore = new CacheControl();
    noStore.setNoStore(true);
    return Response.ok(json(issued, me.hasRole(Roles.EDGE_ADMIN))).cacheControl(noStore).build();
  }

  @GET
  @Path("decisions")
  @RolesAllowed(Roles.EDGE_ADMIN)
  @Produces(MediaType.APPLICATION_JSON)
  public JsonArray recent(
      @QueryParam("user") String user,
      @QueryParam("limit") @DefaultValue("50") String limit,
      @QueryParam("before") String before) {
    var query =
        new EdgeDecisionQuery(
            QueryParameters.userId(user),
            QueryParameters.before(before),
            QueryParameters.limit(limit, EdgeDecisionQuery.MAX_LIMIT));
    JsonArrayBuilder list = Json.createArrayBuilder();
    for (EdgeDecisionRecord record : log.find(query)) {
      JsonObjectBuilder json =
          Json.createObjectBuilder()
              .add("decisionId", record.decisionId())
              .add("userId", record.userId())
              .add("origin", record.origin())
              .add("decision", record.kind().wireName());
      if (record.ruleId().isPresent()) {
        json.add("rule", rule(record.ruleId().get(), record.ruleName()));
      } else {
        json.addNull("rule");
      }
      json.add("policyVersion", record.policyVersion());
      record
          .turnUsername()
          .ifPresentOrElse(
              name -> json.add("turnUsername", name), () -> json.addNull("turnUsername"));
      list.add(json.add("decidedAt", record.decidedAt().toString()));
    }
    return list.build();
  }

  private static JsonObject json(IssuedDecision issued, boolean explain) {
    EdgeDecision decision = issued.decision();
    JsonObjectBuilder json = Json.createObjectBuilder().add("decisionId", issued.decisionId());
    if (decision.origin() != null) {
      json.add("origin", decision.origin());
    } else {
      json.addNull("origin");
    }
    json.add("decision", decision.kind().wireName());
    if (decision.ruleId() != null) {
      json.add("rule", rule(decision.ruleId(), decision.ruleName()));
    } else {
      json.addNull("rule");
    }
    json.add("settings", EdgePolicyJson.settings(decision.settings()));
    issued.turn().ifPresent(turn -> json.add("turn", turn(turn)));
    if (explain) {
      json.add("explanation", Json.createArrayBuilder(issued.explanation()));
    }
    return json.add("decidedAt", issued.decidedAt().toString()).build();
  }

  private static JsonObject rule(String id, String name) {
    return Json.createObjectBuilder().add("id", id).add("name", name).build();
  }

  private static JsonObject turn(TurnCredentials credentials) {
    return Json.createObjectBuilder()
        .add("username", credentials.username())
        .add("credential", credentials.credential())
        .add("ttl", credentials.ttlSeconds())
        .add("uris", Json.createArrayBuilder(credentials.uris()))
        .build();
  }
}
