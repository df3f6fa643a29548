package com.vclick.web.signaling;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every open signaling connection of this server, by id and by authenticated user. */
@ApplicationScoped
public class Connections {

  private final Map<String, Connection> byId = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> byUser = new ConcurrentHashMap<>();

  void opened(Connection connection) {
    byId.put(connection.id(), connection);
  }

  /**
   * Indexes an authenticated connection under its user unless that user already holds {@code max}
   * connections; atomic per user, so concurrent hellos cannot overshoot.
   *
   * @return whether the connection was admitted
   */
  boolean authenticated(Connection connection, int max) {
    boolean[] admitted = {false};
    byUser.compute(
        connection.userId(),
        (user, ids) -> {
          Set<String> held = ids == null ? ConcurrentHashMap.newKeySet() : ids;
          if (held.size() < max) {
            admitted[0] = held.add(connection.id());
          }
          return held.isEmpty() ? null : held;
        });
    return admitted[0];
  }

  /** Forgets a connection; returns it if it was known. */
  Optional<Connection> closed(String id) {
    Connection connection = byId.remove(id);
    if (connection != null && connection.caller().isPresent()) {
      byUser.computeIfPresent(
          connection.userId(),
          (user, ids) -> {
            ids.remove(id);
            return ids.isEmpty() ? null : ids;
          });
    }
    return Optional.ofNullable(connection);
  }

  Optional<Connection> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  List<Connection> ofUser(String userId) {
    return byUser.getOrDefault(userId, Set.of()).stream()
        .map(byId::get)
        .filter(c -> c != null)
        .toList();
  }

  void send(String connectionId, SignalingMessage message) {
    get(connectionId).ifPresent(c -> c.send(message));
  }

  void sendToUser(String userId, SignalingMessage message) {
    ofUser(userId).forEach(c -> c.send(message));
  }

  Collection<Connection> all() {
    return byId.values();
  }

  /** How many connections are open (for health and benchmarks). */
  public int count() {
    return byId.size();
  }
}
