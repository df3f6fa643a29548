package com.vclick.web.signaling;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The sockets that have not said hello yet, oldest first, in all and per remote address. Such a
 * socket costs the server its buffers (tens of KiB) for up to {@code vclick.signaling.auth-timeout}
 * and needs no account, so this bounds what anyone who can reach {@code /ws} makes the server hold:
 *
 * <ul>
 *   <li>an address at its cap gets no more: the new socket is refused (only that address suffers);
 *   <li>when all places are taken, the <em>oldest</em> waiting socket makes way for the new one. A
 *       real client says hello within a round trip of opening, so it gets through a flood from many
 *       addresses unless the flood opens the whole cap's worth of sockets within that time;
 *       refusing the newest instead would let a flood lock every new sign-in out.
 * </ul>
 *
 * Thread-safe.
 */
final class UnauthenticatedSockets {

  /** What {@link #admit} decided. */
  sealed interface Admission {}

  /** Admitted; {@code evicted} (if any) is the oldest waiting socket, to close now. */
  record Admitted(Optional<Connection> evicted) implements Admission {}

  /** Not admitted; {@code reason} is a client-safe text. */
  record Refused(String reason) implements Admission {}

  static final String ADDRESS_FULL =
      "Too many connections from your address are waiting for a hello; try later.";
  static final String EVICTED =
      "Too many connections are waiting for a hello; the oldest are closed. Say hello at once.";

  private final int maxTotal;
  private final int maxPerAddress;
  private final Map<String, Connection> waiting = new LinkedHashMap<>(); // by id, oldest first
  private final Map<String, Integer> byAddress = new HashMap<>();

  UnauthenticatedSockets(int maxTotal, int maxPerAddress) {
    this.maxTotal = maxTotal;
    this.maxPerAddress = maxPerAddress;
  }

  synchronized Admission admit(Connection connection) {
    String address = connection.remoteAddress();
    if (byAddress.getOrDefault(address, 0) >= maxPerAddress) {
      return new Refused(ADDRESS_FULL);
    }
    Optional<Connection> evicted = Optional.empty();
    if (waiting.size() >= maxTotal) {
      Iterator<Connection> oldest = waiting.values().iterator();
      Connection victim = oldest.next();
      oldest.remove();
      decrement(victim.remoteAddress());
      evicted = Optional.of(victim);
    }
    waiting.put(connection.id(), connection);
    byAddress.merge(address, 1, Integer::sum);
    return new Admitted(evicted);
  }

  /** The socket said hello or closed; no-op when it is not waiting (any more). */
  synchronized void release(Connection connection) {
    if (waiting.remove(connection.id()) != null) {
      decrement(connection.remoteAddress());
    }
  }

  synchronized int count() {
    return waiting.size();
  }

  private void decrement(String address) {
    byAddress.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
  }
}
