package com.vclick.web.api;

import com.vclick.core.directory.Directory;
import com.vclick.core.directory.DirectoryEntry;
import com.vclick.core.identity.Roles;
import com.vclick.web.http.QueryParameters;
import com.vclick.web.problem.BadRequestProblem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;

/**
 * Searches the enterprise directory (name, username, email, phone digits). Callers get each
 * person's name, email, phone and ids ({@link DirectoryPerson}); only an {@code edge-admin}, who
 * writes policies by group, also gets their groups.
 */
@Path("directory")
@RolesAllowed(Roles.CALLER)
public class DirectoryResource {

  static final int MAX_QUERY_LENGTH = 100;
  static final int MAX_LIMIT = 100;

  @Inject Directory directory;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Response search(
      @QueryParam("q") @DefaultValue("") String query,
      @QueryParam("limit") @DefaultValue("20") String limit,
      @Context SecurityContext security) {
    if (query.length() > MAX_QUERY_LENGTH) {
      throw new BadRequestProblem("q is longer than " + MAX_QUERY_LENGTH + " characters.");
    }
    List<DirectoryEntry> found = directory.search(query, QueryParameters.limit(limit, MAX_LIMIT));
    if (security.isUserInRole(Roles.EDGE_ADMIN)) {
      return Response.ok(found).build();
    }
    return Response.ok(found.stream().map(DirectoryPerson::of).toList()).build();
  }
}
