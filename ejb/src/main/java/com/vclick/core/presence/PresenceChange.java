package com.vclick.core.presence;

import java.util.Set;

/**
 * A person's presence changed; {@code watchers} are the connections to tell.
 *
 * @param userId the person whose presence changed
 * @param presence the new presence
 * @param watchers connection ids watching that person at the time of the change
 */
public record PresenceChange(String userId, Presence presence, Set<String> watchers) {

  public PresenceChange {
    watchers = Set.copyOf(watchers);
  }
}
