package com.vclick.web.signaling;

import com.vclick.core.presence.Presence;
import com.vclick.core.presence.PresenceBook;
import com.vclick.core.presence.PresenceChange;
import com.vclick.web.signaling.SignalingMessage.PresenceUpdate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Presence over the socket: watch requests, and every change pushed to the watchers only. */
@ApplicationScoped
public class PresenceSignaling {

  @Inject PresenceBook book;
  @Inject Connections connections;

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
   * @throws IllegalArgumentException when the connection would watch too many people
   */
  void watch(Connection connection, List<String> userIds) {
    Map<String, Presence> current = book.watch(connection.id(), userIds);
    current.forEach((user, presence) -> connection.send(update(user, presence)));
  }

  void unwatch(Connection connection, List<String> userIds) {
    book.unwatch(connection.id(), userIds);
  }

  private void publish(Optional<PresenceChange> change) {
    change.ifPresent(
        c -> {
          PresenceUpdate message = update(c.userId(), c.presence());
          c.watchers().forEach(watcher -> connections.send(watcher, message));
        });
  }

  private static PresenceUpdate update(String userId, Presence presence) {
    return new PresenceUpdate(userId, presence.name().toLowerCase(Locale.ROOT));
  }
}
