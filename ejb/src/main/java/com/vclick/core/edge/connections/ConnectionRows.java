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
   * Connected, unpaired connections whose own certificate is {@code local} and whose far end's is
   * {@code remote}, connected from {@code from} to {@code to}, both included.
   */
  List<EdgeConnectionRow> unpairedWith(
      Fingerprint local, Fingerprint remote, Instant from, Instant to);

  void add(EdgeConnectionRow connection);

  Optional<EdgeCallRow> call(String callId);

  void add(EdgeCallRow call);

  void remove(EdgeCallRow call);
}
