package com.vclick.core.edge.connections;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The stored connections and calls as {@link ConnectionIngest} reads and changes them: the JPA
 * repository in the server, a map in tests. Rows returned are live: changing them changes what is
 * stored, and the same connection is always the same object.
 */
interface ConnectionRows {

  /** The stored connections among these ids. */
  List<EdgeConnectionRow> withIds(Collection<String> connectionIds);

  Optional<EdgeConnectionRow> withId(String connectionId);

  /** Every connection of one page load of one user. */
  List<EdgeConnectionRow> onPage(String userId, String pageId);

  /**
   * Connected connections that claim these two certificates, either way round (paired, unpaired or
   * disputed), connected from {@code from} to {@code to}, both included.
   */
  List<EdgeConnectionRow> claimsOn(Fingerprint one, Fingerprint other, Instant from, Instant to);

  /**
   * Holds, until the end of the transaction, the lock that serialises everything reading or
   * changing this page's connections (and so the calls they make). Taking it again is free.
   */
  void lockPage(String userId, String pageId);

  /** Holds the lock that serialises claims on these two certificates, either way round. */
  void lockClaims(Fingerprint one, Fingerprint other);

  void add(EdgeConnectionRow connection);

  Optional<EdgeCallRow> call(String callId);

  void add(EdgeCallRow call);

  void remove(EdgeCallRow call);
}
