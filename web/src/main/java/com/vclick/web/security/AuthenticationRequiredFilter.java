package com.vclick.web.security;

import com.vclick.web.problem.Problem;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * Secure by default: a request without a valid token is refused (401) unless its resource is {@link
 * Public}. Role checks ({@code @RolesAllowed}) come after this filter.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AuthenticationRequiredFilter implements ContainerRequestFilter {

  @Context ResourceInfo resource;

  @Override
  public void filter(ContainerRequestContext request) {
    if (isPublic() || request.getSecurityContext().getUserPrincipal() != null) {
      return;
    }
    request.abortWith(
        Problem.of(Response.Status.UNAUTHORIZED, "A valid Keycloak access token is required.")
            .toResponseBuilder()
            .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"vclick\"")
            .build());
  }

  private boolean isPublic() {
    return resource.getResourceMethod() != null
        && (resource.getResourceMethod().isAnnotationPresent(Public.class)
            || resource.getResourceClass().isAnnotationPresent(Public.class));
  }
}
