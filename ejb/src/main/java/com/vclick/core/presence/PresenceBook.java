package com.vclick.core.presence;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The presence of everyone on this server and who watches whom. Thread-safe; every method returns
 * the change it caused, if any, so the caller can push it. Pure logic: no I/O, no container.
 */
public final class PresenceBook {

  /** The most people one connection may watch; more is refused, not silently truncated. */
  public static final int MAX_WATCHED_PER_CONNECTION = 1000;

  private final Map<String, Set<String>> connectionsByUser = new HashMap<>();
  private final Map<String, String> userByConnection = new HashMap<>();
  private final Set<String> busyUsers = new HashSet<>();
  private final Map<String, Set<String>> watchersByUser = new HashMap<>();
  private final Map<String, Set<String>> watchedByConnection = new HashMap<>();

  /** A connection of {@code userId} opened. */
  public synchronized Optional<PresenceChange> connected(String userId, String connectionId) {
    if (userByConnection.containsKey(connectionId)) {
      throw new IllegalStateException("connection " + connectionId + " is already registered");
    }
    Presence before = presenceOf(userId);
    userByConnection.put(connectionId, userId);
    connectionsByUser.computeIfAbsent(userId, k -> new HashSet<>()).add(connectionId);
    return changeIfDifferent(userId, before);
  }

  /** A connection closed; forgets what it watched. Unknown connections change nothing. */
  public synchronized Optional<PresenceChange> disconnected(String connectionId) {
    unwatchAll(connectionId);
    String userId = userByConnection.remove(connectionId);
    if (userId == null) {
      return Optional.empty();
    }
    Presence before = presenceOf(userId);
    Set<String> connections = connectionsByUser.get(userId);
    connections.remove(connectionId);
    if (connections.isEmpty()) {
      connectionsByUser.remove(userId);
      busyUsers.remove(userId);
    }
    return changeIfDifferent(userId, before);
  }

  /** The person entered ({@code true}) or left a call. */
  public synchronized Optional<PresenceChange> busy(String userId, boolean busy) {
    Presence before = presenceOf(userId);
    if (busy) {
      busyUsers.add(userId);
    } else {
      busyUsers.remove(userId);
    }
    return changeIfDifferent(userId, before);
  }

  public synchronized Presence presenceOf(String userId) {
    if (!connectionsByUser.containsKey(userId)) {
      return Presence.OFFLINE;
    }
    return busyUsers.contains(userId) ? Presence.BUSY : Presence.ONLINE;
  }

  /**
   * The connection watches these people from now on (in addition to those it already watches) and
   * gets the current presence of those it did not watch yet. People it already watches are left out
   * of the answer: it was told their presence then and has been told every change since, so
   * re-sending the same list costs one message, not one per person.
   *
   * @throws IllegalArgumentException when the connection would watch more than {@link
   *     #MAX_WATCHED_PER_CONNECTION} people; nothing is changed then
   */
  public synchronized Map<String, Presence> watch(String connectionId, Collection<String> userIds) {
    Set<String> watched = watchedByConnection.getOrDefault(connectionId, Set.of());
    Set<String> added = new LinkedHashSet<>(userIds);
    added.removeAll(watched);
    if (watched.size() + added.size() > MAX_WATCHED_PER_CONNECTION) {
      throw new IllegalArgumentException(
          "a connection may watch at most " + MAX_WATCHED_PER_CONNECTION + " people");
    }
    Map<String, Presence> current = new LinkedHashMap<>();
    for (String userId : added) {
      watchersByUser.computeIfAbsent(userId, k -> new HashSet<>()).add(connectionId);
      watchedByConnection.computeIfAbsent(connectionId, k -> new HashSet<>()).add(userId);
      current.put(userId, presenceOf(userId));
    }
    return current;
  }

  /** The connection stops watching these people; people it did not watch are ignored. */
  public synchronized void unwatch(String connectionId, Collection<String> userIds) {
    Set<String> watched = watchedByConnection.get(connectionId);
    if (watched == null) {
      return;
    }
    for (String userId : userIds) {
      if (watched.remove(userId)) {
        Set<String> watchers = watchersByUser.get(userId);
        watchers.remove(connectionId);
        if (watchers.isEmpty()) {
          watchersByUser.remove(userId);
        }
      }
    }
    if (watched.isEmpty()) {
      watchedByConnection.remove(connectionId);
    }
  }

  /** How many connections are open (for health and benchmarks). */
  public synchronized int connectionCount() {
    return userByConnection.size();
  }

  private void unwatchAll(String connectionId) {
    Set<String> watched = watchedByConnection.remove(connectionId);
    if (watched == null) {
      return;
    }
    for (String userId : watched) {
      Set<String> watchers = watchersByUser.get(userId);
      watchers.remove(connectionId);
      if (watchers.isEmpty()) {
        watchersByUser.remove(userId);
      }
    }
  }

  private Optional<PresenceChange> changeIfDifferent(String userId, Presence before) {
    Presence after = presenceOf(userId);
    if (after == before) {
      return Optional.empty();
    }
    return Optional.of(
        new PresenceChange(userId, after, watchersByUser.getOrDefault(userId, Set.of())));
  }
}
