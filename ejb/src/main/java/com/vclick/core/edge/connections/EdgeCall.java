package com.vclick.core.edge.connections;

import com.vclick.core.edge.decision.EdgeDecisionRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A call of the connection log as read: its connections, first first, each with the decision it ran
 * under when that is known.
 *
 * @param callId the id of its first connection
 * @param origin the origin of its first connection
 * @param endedAt when its last connection closed; empty while any is open
 * @param durationSeconds from its start to its end, or to the moment it was read while open
 * @param disputed whether the pairing of any of its connections is disputed ({@link PairingClaims})
 */
public record EdgeCall(
    String callId,
    String origin,
    Instant startedAt,
    Optional<Instant> endedAt,
    long durationSeconds,
    boolean disputed,
    List<Connection> connections) {

  public EdgeCall {
    connections = List.copyOf(connections);
  }

  /**
   * One connection of the call.
   *
   * @param decision the recorded decision it named, when that decision was made for its owner
   */
  public record Connection(EdgeConnectionRow row, Optional<EdgeDecisionRecord> decision) {}

  /** The users with connections in it, in the order of their first connection. */
  public List<Participant> participants() {
    Map<String, Participant> users = new LinkedHashMap<>();
    connections.forEach(c -> users.putIfAbsent(c.row().userId(), Participant.of(c.row())));
    return List.copyOf(users.values());
  }
}
