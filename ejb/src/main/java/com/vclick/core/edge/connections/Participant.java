package com.vclick.core.edge.connections;

/**
 * A user with connections in a call, as their token named them when they reported.
 *
 * @param userId the Keycloak user id
 */
public record Participant(String userId, String username, String displayName) {

  static Participant of(EdgeConnectionRow connection) {
    return new Participant(connection.userId(), connection.username(), connection.displayName());
  }
}
