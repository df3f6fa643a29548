package com.vclick.web.api;

import com.vclick.core.identity.Roles;
import com.vclick.core.turn.TurnCredentials;
import com.vclick.core.turn.TurnService;
import com.vclick.web.http.JsonBodies;
import com.vclick.web.security.CurrentCaller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Set;

/** Short-lived credentials for the enterprise TURN relay, bound to the caller. */
@Path("turn/credentials")
@RolesAllowed(Roles.CALLER)
public class TurnResource {

  /** The body is optional; these are the fields it may carry (none yet). */
  static final Set<String> FIELDS = Set.of();

  @Inject CurrentCaller caller;
  @Inject TurnService turn;

  @POST
  @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
  @Produces(MediaType.APPLICATION_JSON)
  public Response issue(String body) {
    JsonBodies.optionalObject(body, FIELDS);
    TurnCredentials credentials = turn.issueTo(caller.get());
    CacheControl noStore = new CacheControl();
    noStore.setNoStore(true);
    return Response.ok(credentials).cacheControl(noStore).build();
  }
}
