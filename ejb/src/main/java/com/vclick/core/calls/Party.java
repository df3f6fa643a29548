package com.vclick.core.calls;

import java.util.Objects;

/**
 * One side of a call.
 *
 * @param userId the Keycloak user id
 * @param name the display name shown to the other side
 */
public record Party(String userId, String name) {

  public Party {
    Objects.requireNonNull(userId, "userId");
    name = name == null || name.isBlank() ? userId : name;
  }
}
