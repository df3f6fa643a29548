package com.vclick.web;

import com.vclick.core.identity.Roles;
import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;

/**
 * The REST API. Every request is authenticated with a Keycloak access token (MP-JWT validates
 * signature via JWKS, issuer, audience and expiry); only resources marked {@code @Public} answer
 * without one.
 */
@ApplicationPath("/api")
@LoginConfig(authMethod = "MP-JWT")
@DeclareRoles({
  Roles.CALLER,
  Roles.RECORDING_REVIEWER,
  Roles.EDGE_ADMIN,
  Roles.REGULATED,
  Roles.CONTRACTOR
})
@ApplicationScoped
public class VclickApplication extends Application {}
