package com.vclick.core.identity.token;

import java.time.Duration;
import java.util.Objects;

/**
 * What a token must state to be accepted; kept equal to the MP-JWT settings of the REST API so both
 * entry points accept the same tokens.
 *
 * @param issuer the exact {@code iss}, the realm URL as Keycloak publishes it
 * @param audience a value that {@code aud} must contain
 * @param clockSkew tolerance for {@code exp}, {@code nbf} and {@code iat} between Keycloak's clock
 *     and ours
 */
public record TokenRules(String issuer, String audience, Duration clockSkew) {

  public TokenRules {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(clockSkew, "clockSkew");
    if (issuer.isBlank() || audience.isBlank()) {
      throw new IllegalArgumentException("issuer and audience must not be blank");
    }
    if (clockSkew.isNegative()) {
      throw new IllegalArgumentException("clockSkew must not be negative");
    }
  }
}
