package com.vclick.web.api;

import com.vclick.core.edge.connections.ConnectionReportJson;
import com.vclick.core.edge.connections.EdgeConnections;
import com.vclick.core.edge.connections.InvalidReportException;
import com.vclick.core.edge.connections.PeerIdentity;
import com.vclick.core.edge.connections.ReportOutcome;
import com.vclick.core.identity.Roles;
import com.vclick.web.http.JsonBodies;
import com.vclick.web.problem.BadRequestProblem;
import com.vclick.web.security.CurrentCaller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * The extension reports the life of peer connections (web/EDGE-API.md, {@code POST
 * /api/edge/connections}): a batch of events, all stored or, when any field is invalid, none (400
 * naming the field). The connections are the token's user's, whatever the body says. The answer
 * names who is at the other end of each of the batch's paired connections.
 */
@Path("edge/connections")
public class EdgeConnectionResource {

  @Inject CurrentCaller caller;
  @Inject EdgeConnections connections;

  @POST
  @RolesAllowed(Roles.CALLER)
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response report(String body) {
    JsonObject document = JsonBodies.optionalObject(body, ConnectionReportJson.BODY_FIELDS);
    ReportOutcome outcome;
    try {
      outcome = connections.report(caller.get(), document);
    } catch (InvalidReportException e) {
      throw new BadRequestProblem(e.field() + ": " + e.getMessage());
    }
    JsonObjectBuilder peers = Json.createObjectBuilder();
    for (Map.Entry<String, PeerIdentity> peer : outcome.peers().entrySet()) {
      peers.add(peer.getKey(), identity(peer.getValue()));
    }
    CacheControl noStore = new CacheControl();
    noStore.setNoStore(true);
    return Response.ok(
            Json.createObjectBuilder()
                .add("accepted", outcome.accepted())
                .add("peers", peers)
                .add("sampleEverySeconds", outcome.sampleEvery().toSeconds())
                .build())
        .cacheControl(noStore)
        .build();
  }

  private static JsonObject identity(PeerIdentity peer) {
    JsonObjectBuilder json =
        Json.createObjectBuilder()
            .add("userId", peer.userId())
            .add("username", peer.username())
            .add("displayName", peer.displayName());
    peer.email().ifPresentOrElse(email -> json.add("email", email), () -> json.addNull("email"));
    return json.build();
  }
}
