package com.vclick.web.api;

import com.vclick.core.health.HealthReport;
import com.vclick.core.health.HealthService;
import com.vclick.web.security.Public;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** UP (200) when every dependency answers, else 503; names checks, reveals no detail. */
@Path("health")
@Public
public class HealthResource {

  @Inject HealthService health;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Response health() {
    HealthReport report = health.check();
    return Response.status(report.up() ? 200 : 503).entity(report).build();
  }
}
