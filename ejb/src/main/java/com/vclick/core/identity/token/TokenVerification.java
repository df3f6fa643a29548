package com.vclick.core.identity.token;

import com.vclick.core.config.KeycloakConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Makes the one {@link AccessTokenVerifier} of the application, with the realm's JWKS. */
@ApplicationScoped
public class TokenVerification {

  @Produces
  @Singleton
  AccessTokenVerifier verifier(TokenRules rules, KeycloakConfig keycloak, Clock clock) {
    return new AccessTokenVerifier(
        rules, new HttpJwksSource(keycloak.jwksEndpoint(), clock), clock);
  }
}
