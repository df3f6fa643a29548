package com.vclick.web.it;

import com.vclick.core.edge.connections.ConnectionLossSweep;
import com.vclick.core.identity.Roles;
import com.vclick.core.persistence.Database;
import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * TEST ONLY — packaged into {@link EdgeConnectionsIT}'s Arquillian deployment, never into the real
 * WAR (it lives in the test sources). Runs the lost-connection sweep as of a later instant (the
 * server's clock cannot be moved from outside, and the configured limits are minutes) and reads the
 * audit entries of one target. Only {@code edge-admin} may call it.
 */
@Path("it/edge-connections")
@RequestScoped
@RolesAllowed(Roles.EDGE_ADMIN)
public class EdgeConnectionsTestResource {

  @Inject ConnectionLossSweep sweep;
  @Inject Clock clock;

  @Resource(lookup = Database.JNDI_NAME)
  DataSource dataSource;

  /** One sweep as of {@code seconds} from now; answers how many connections it ended. */
  @POST
  @Path("sweep")
  @Produces(MediaType.APPLICATION_JSON)
  public JsonObject sweep(@QueryParam("seconds") long seconds) {
    return Json.createObjectBuilder()
        .add("ended", sweep.sweep(clock.instant().plusSeconds(seconds)))
        .build();
  }

  /** The audit entries of one target, in order. */
  @GET
  @Path("audit")
  @Produces(MediaType.APPLICATION_JSON)
  public JsonArray audit(@QueryParam("target") String target) throws SQLException {
    return AuditRows.where(dataSource, AuditRows.By.TARGET, target);
  }
}
