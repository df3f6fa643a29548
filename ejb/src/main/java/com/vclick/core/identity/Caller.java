package com.vclick.core.identity;

import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The authenticated person behind a request, taken from a validated Keycloak access token. Never
 * built from anything a client states about itself.
 *
 * @param subject the stable Keycloak user id ({@code sub})
 * @param username the login name ({@code preferred_username})
 * @param displayName the full name, or the username when the token has none
 * @param email the email address, empty when unknown
 * @param phoneNumber the phone number in E.164, empty when unknown
 * @param roles the realm roles
 */
public record Caller(
    String subject,
    String username,
    String displayName,
    String email,
    String phoneNumber,
    Set<String> roles) {

  public Caller {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(username, "username");
    displayName = displayName == null || displayName.isBlank() ? username : displayName;
    email = email == null ? "" : email;
    phoneNumber = phoneNumber == null ? "" : phoneNumber;
    roles = Set.copyOf(roles);
  }

  /**
   * Builds a caller from a validated access token's claims: the one place that knows the claim
   * names and their fallbacks (username → subject, name → given + family name).
   *
   * @param claim reads a string claim, "" when absent
   * @param roles the realm roles (the {@code groups} claim; absent means none)
   */
  public static Caller fromClaims(
      String subject, Function<String, String> claim, Set<String> roles) {
    String username = claim.apply("preferred_username");
    String name = claim.apply("name");
    if (name.isBlank()) {
      name = (claim.apply("given_name") + " " + claim.apply("family_name")).strip();
    }
    return new Caller(
        subject,
        username.isBlank() ? subject : username,
        name,
        claim.apply("email"),
        claim.apply("phone_number"),
        roles);
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }
}
