package com.vclick.core.edge.connections;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The stored rows as maps, for the ingest without a database. */
final class InMemoryRows implements ConnectionRows {

  final Map<String, EdgeConnectionRow> connections = new LinkedHashMap<>();
  final Map<String, EdgeCallRow> calls = new LinkedHashMap<>();

  @Override
  public List<EdgeConnectionRow> withIds(Collection<String> connectionIds) {
    return connectionIds.stream().filter(connections::containsKey).map(connections::get).toList();
  }

  @Override
  public Optional<EdgeConnectionRow> withId(String connectionId) {
    return Optional.ofNullable(connections.get(connectionId));
  }

  @Override
  public List<EdgeConnectionRow> onPage(String userId, String pageId) {
    return connections.values().stream()
        .filter(c -> c.userId().equals(userId) && c.pageId().equals(pageId))
        .toList();
  }

  @Override
  public List<EdgeConnectionRow> claimsOn(
      Fingerprint one, Fingerprint other, Instant from, Instant to) {
    List<EdgeConnectionRow> found = new ArrayList<>();
    for (EdgeConnectionRow c : connections.values()) {
      Optional<Fingerprint> local = c.localFingerprint();
      Optional<Fingerprint> remote = c.remoteFingerprint();
      boolean onThem =
          (local.equals(Optional.of(one)) && remote.equals(Optional.of(other)))
              || (local.equals(Optional.of(other)) && remote.equals(Optional.of(one)));
      if (onThem
          && !c.connectedAt().orElseThrow().isBefore(from)
          && !c.connectedAt().orElseThrow().isAfter(to)) {
        found.add(c);
      }
    }
    return found;
  }

  /** The pages and certificate pairs locked, in the order first locked. */
  final Set<String> locked = new LinkedHashSet<>();

  @Override
  public void lockPage(String userId, String pageId) {
    locked.add("page " + userId + " " + pageId);
  }

  @Override
  public void lockClaims(Fingerprint one, Fingerprint other) {
    locked.add("claims " + ConnectionLocks.claims(one, other));
  }

  @Override
  public void add(EdgeConnectionRow connection) {
    if (connections.putIfAbsent(connection.connectionId(), connection) != null) {
      throw new IllegalStateException("duplicate key " + connection.connectionId());
    }
  }

  @Override
  public Optional<EdgeCallRow> call(String callId) {
    return Optional.ofNullable(calls.get(callId));
  }

  @Override
  public void add(EdgeCallRow call) {
    if (calls.putIfAbsent(call.callId(), call) != null) {
      throw new IllegalStateException("duplicate key " + call.callId());
    }
  }

  @Override
  public void remove(EdgeCallRow call) {
    calls.remove(call.callId());
  }
}
