package com.vclick.web.signaling;

import com.vclick.core.directory.Directory;
import com.vclick.core.presence.Presence;
import com.vclick.core.presence.PresenceBook;
import com.vclick.core.presence.PresenceChange;
import com.vclick.web.signaling.SignalingMessage.Error;
import com.vclick.web.signaling.SignalingMessage.PresenceUpdate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Presence over the socket: watch requests, and every change pushed to the watchers only. */
@ApplicationScoped
public class PresenceSignaling {

  /** How many refused ids one error names. */
  static final int NAMED_UNKNOWN = 5;

  @Inject PresenceBook book;
  @Inject Directory directory;
  @Inject Connections connections;

  /**
   * Every change, also to the server's own observers (the connection log's reporters' presence).
   */
  @Inject Event<PresenceChange> changes;

  void online(Connection connection) {
    publish(book.connected(connection.userId(), connection.id()));
  }

  void offline(String connectionId) {
    publish(book.disconnected(connectionId));
  }

  void busy(String userId, boolean busy) {
    publish(book.busy(userId, busy));
  }

  boolean isOnline(String userId) {
    return book.presenceOf(userId) != Presence.OFFLINE;
  }

  /**
   * Watches the ids that are people in the directory and answers with the presence of those the
   * connection did not watch yet; ids that are not people are neither stored nor answered but named
   * in one {@code unknown-user} error, so a client can drop them and keeps the presence of the
   * others (a person removed from Keycloak stays in clients' stored lists for a while).
   *
   * @throws IllegalArgumentException when the connection would watch too many people
   */
  void watch(Connection connection, List<String> userIds) {
    List<String> people = new ArrayList<>(userIds.size());
    List<String> unknown = new ArrayList<>();
    for (String id : userIds) {
      (directory.isUserId(id) ? people : unknown).add(id);
    }
    Map<String, Presence> current = book.watch(connection.id(), people);
    current.forEach((user, presence) -> connection.send(update(user, presence)));
    if (!unknown.isEmpty()) {
      connection.send(
          new Error(
              "unknown-user",
              unknown.size()
                  + " of the ids are not people in the directory and were not watched: "
                  + String.join(", ", unknown.subList(0, Math.min(NAMED_UNKNOWN, unknown.size())))
                  + (unknown.size() > NAMED_UNKNOWN ? ", …" : ""),
              "presence.watch"));
    }
  }

  void unwatch(Connection connection, List<String> userIds) {
    book.unwatch(connection.id(), userIds);
  }

  private void publish(Optional<PresenceChange> change) {
    change.ifPresent(
        c -> {
          changes.fire(c);
          PresenceUpdate message = update(c.userId(), c.presence());
          c.watchers().forEach(watcher -> connections.send(watcher, message));
        });
  }

  private static PresenceUpdate update(String userId, Presence presence) {
    return new PresenceUpdate(userId, presence.name().toLowerCase(Locale.ROOT));
  }
}
