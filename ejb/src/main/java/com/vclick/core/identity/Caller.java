package com.vclick.core.identity;

import java.util.Objects;
import java.util.Set;

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

  public boolean hasRole(String role) {
    return roles.contains(role);
  }
}
