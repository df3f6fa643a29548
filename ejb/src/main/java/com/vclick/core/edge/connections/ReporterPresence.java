package com.vclick.core.edge.connections;

import com.vclick.core.presence.Presence;
import com.vclick.core.presence.PresenceBook;
import com.vclick.core.presence.PresenceChange;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Since when each reporter has been offline, from the presence changes the signaling publishes: a
 * reporter's presence socket (the extension's, or the web app's) is how the server knows its
 * browser is still there. A user offline since before this server started counts from the first
 * time it is asked about. Presence is per server (as {@link PresenceBook} is).
 */
@ApplicationScoped
public class ReporterPresence {

  @Inject PresenceBook book;
  @Inject Clock clock;

  private final Map<String, Instant> offlineSince = new ConcurrentHashMap<>();

  void presenceChanged(@Observes PresenceChange change) {
    if (change.presence() == Presence.OFFLINE) {
      offlineSince.put(change.userId(), clock.instant());
    } else {
      offlineSince.remove(change.userId());
    }
  }

  /** Whether {@code userId} is offline and has been for at least {@code grace} at {@code now}. */
  public boolean offlineFor(String userId, Duration grace, Instant now) {
    if (book.presenceOf(userId) != Presence.OFFLINE) {
      offlineSince.remove(userId);
      return false;
    }
    Instant since = offlineSince.computeIfAbsent(userId, id -> now);
    return !since.plus(grace).isAfter(now);
  }
}
