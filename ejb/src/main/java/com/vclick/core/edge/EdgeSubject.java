package com.vclick.core.edge;

import com.vclick.core.identity.Caller;
import java.util.Objects;
import java.util.Set;

/**
 * Who a decision is for: the authenticated user, as the policy sees them. Built by the server from
 * a validated token and the directory, never from what a client states.
 *
 * @param userId the stable Keycloak user id
 * @param username the login name, for explanations; the user id when null or blank
 * @param realmRoles the realm roles (null: none)
 * @param groups the Keycloak groups, compared exactly as given (null: none)
 */
public record EdgeSubject(
    String userId, String username, Set<String> realmRoles, Set<String> groups) {

  public EdgeSubject {
    Objects.requireNonNull(userId, "userId");
    if (userId.isBlank()) {
      throw new IllegalArgumentException("userId is blank");
    }
    username = username == null || username.isBlank() ? userId : username;
    realmRoles = realmRoles == null ? Set.of() : Set.copyOf(realmRoles);
    groups = groups == null ? Set.of() : Set.copyOf(groups);
  }

  /** The subject for an authenticated caller and the groups the directory lists for them. */
  public static EdgeSubject of(Caller caller, Set<String> groups) {
    return new EdgeSubject(caller.subject(), caller.username(), caller.roles(), groups);
  }
}
