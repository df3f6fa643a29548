package com.vclick.web.api;

import com.vclick.core.config.HealthConfig;
import com.vclick.core.health.HealthReport;
import com.vclick.core.health.HealthService;
import com.vclick.core.identity.Roles;
import com.vclick.web.security.Public;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * 200 {@code {"status":"UP"}} when every dependency answered at the last background probe, else 503
 * {@code {"status":"DOWN"}}. Which checks failed, and when, and what is degraded (still up: e.g.
 * {@code recordings-ingest}, recordings waiting for the store after a failed attempt), only for an
 * edge-admin's token or a monitor holding {@code VCLICK_HEALTH_KEY}: an anonymous caller learns
 * nothing about the dependencies and cannot make the server probe them.
 */
@Path("health")
@Public
public class HealthResource {

  static final String KEY_HEADER = "X-Vclick-Health-Key";

  @Inject HealthService health;
  @Inject HealthConfig config;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Response health(@HeaderParam(KEY_HEADER) String key, @Context SecurityContext security) {
    HealthReport report = health.check();
    String status = report.up() ? "UP" : "DOWN";
    Object body =
        security.isUserInRole(Roles.EDGE_ADMIN) || holdsKey(key)
            ? Map.of(
                "status",
                status,
                "up",
                report.up(),
                "checks",
                report.checks(),
                "checkedAt",
                report.checkedAt().toString(),
                "degraded",
                report.degraded())
            : Map.of("status", status);
    CacheControl noStore = new CacheControl();
    noStore.setNoStore(true);
    return Response.status(report.up() ? 200 : 503).entity(body).cacheControl(noStore).build();
  }

  private boolean holdsKey(String key) {
    return key != null
        && !config.detailsKey().isEmpty()
        && MessageDigest.isEqual(
            key.getBytes(StandardCharsets.UTF_8),
            config.detailsKey().getBytes(StandardCharsets.UTF_8));
  }
}
