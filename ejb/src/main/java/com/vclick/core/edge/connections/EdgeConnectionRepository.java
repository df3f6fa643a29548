package com.vclick.core.edge.connections;

import com.vclick.core.edge.decision.EdgeDecisionRecord;
import com.vclick.core.identity.Caller;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stored connection log: applies reports under the report lock and reads calls. {@link
 * EdgeConnections} is the way in.
 */
@Stateless
public class EdgeConnectionRepository {

  @PersistenceContext(unitName = "vclick")
  EntityManager em;

  /**
   * Applies one caller's batch in one transaction, after every other report on any cluster member
   * that holds the lock: when this returns, the batch is committed, or nothing of it is.
   *
   * @param now the server's clock
   * @return for each connection of the batch that is paired, who reported its other end
   * @throws InvalidReportException when the batch names another user's connection or moves a
   *     connection to another page; nothing was written
   */
  public Map<String, Participant> report(
      Caller reporter, List<ConnectionEvent> events, Instant now) {
    if (em.find(
            EdgeConnectionLockRow.class, EdgeConnectionLockRow.ID, LockModeType.PESSIMISTIC_WRITE)
        == null) {
      throw new IllegalStateException("edge_connection_lock row missing: migrations did not run");
    }
    Map<String, Participant> peers = new LinkedHashMap<>();
    new ConnectionIngest(new JpaRows())
        .apply(reporter, events, now)
        .forEach((connectionId, peer) -> peers.put(connectionId, Participant.of(peer)));
    return peers;
  }

  /**
   * The calls the query selects, newest first, with their connections and decisions.
   *
   * @param now the server's clock, for the duration of calls still open
   */
  public List<EdgeCall> calls(EdgeCallQuery query, Instant now) {
    List<EdgeCallRow> calls = callRows(query);
    if (calls.isEmpty()) {
      return List.of();
    }
    Map<String, List<EdgeConnectionRow>> connections = new HashMap<>();
    em.createQuery(
            "SELECT c FROM EdgeConnectionRow c WHERE c.callId IN :calls", EdgeConnectionRow.class)
        .setParameter("calls", calls.stream().map(EdgeCallRow::callId).toList())
        .getResultList()
        .forEach(c -> connections.computeIfAbsent(c.callId(), id -> new ArrayList<>()).add(c));
    Map<String, EdgeDecisionRecord> decisions =
        decisions(connections.values().stream().flatMap(List::stream).toList());
    List<EdgeCall> read = new ArrayList<>(calls.size());
    for (EdgeCallRow call : calls) {
      List<EdgeCall.Connection> members =
          connections.getOrDefault(call.callId(), List.of()).stream()
              .sorted(
                  Comparator.comparing(EdgeConnectionRow::startedAt)
                      .thenComparing(EdgeConnectionRow::connectionId))
              .map(c -> new EdgeCall.Connection(c, decisionOf(c, decisions)))
              .toList();
      Instant end = call.endedAt().orElse(now);
      read.add(
          new EdgeCall(
              call.callId(),
              call.origin(),
              call.startedAt(),
              call.endedAt(),
              Math.max(0, Duration.between(call.startedAt(), end).toSeconds()),
              members));
    }
    return read;
  }

  private List<EdgeCallRow> callRows(EdgeCallQuery query) {
    StringBuilder jpql = new StringBuilder("SELECT k FROM EdgeCallRow k WHERE 1 = 1");
    if (query.participant() != null) {
      jpql.append(
          " AND k.callId IN (SELECT p.callId FROM EdgeConnectionRow p WHERE p.userId = :user)");
    }
    if (query.origin() != null) {
      jpql.append(
          " AND k.callId IN (SELECT o.callId FROM EdgeConnectionRow o WHERE o.origin = :origin)");
    }
    if (query.from() != null) {
      jpql.append(" AND k.startedAt >= :from");
    }
    if (query.to() != null) {
      jpql.append(" AND k.startedAt < :to");
    }
    if (query.before() != null) {
      jpql.append(" AND k.startedAt < :before");
    }
    jpql.append(" ORDER BY k.startedAt DESC, k.callId");
    TypedQuery<EdgeCallRow> typed = em.createQuery(jpql.toString(), EdgeCallRow.class);
    if (query.participant() != null) {
      typed.setParameter("user", query.participant());
    }
    if (query.origin() != null) {
      typed.setParameter("origin", query.origin());
    }
    if (query.from() != null) {
      typed.setParameter("from", query.from());
    }
    if (query.to() != null) {
      typed.setParameter("to", query.to());
    }
    if (query.before() != null) {
      typed.setParameter("before", query.before());
    }
    return typed.setMaxResults(query.limit()).getResultList();
  }

  private Map<String, EdgeDecisionRecord> decisions(List<EdgeConnectionRow> connections) {
    List<String> ids =
        connections.stream().flatMap(c -> c.decisionId().stream()).distinct().toList();
    Map<String, EdgeDecisionRecord> decisions = new HashMap<>();
    if (!ids.isEmpty()) {
      em.createQuery(
              "SELECT d FROM EdgeDecisionRecord d WHERE d.decisionId IN :ids",
              EdgeDecisionRecord.class)
          .setParameter("ids", ids)
          .getResultList()
          .forEach(d -> decisions.put(d.decisionId(), d));
    }
    return decisions;
  }

  /** The decision a connection named, only if it was made for the connection's owner. */
  private static Optional<EdgeDecisionRecord> decisionOf(
      EdgeConnectionRow connection, Map<String, EdgeDecisionRecord> decisions) {
    return connection
        .decisionId()
        .map(decisions::get)
        .filter(decision -> decision.userId().equals(connection.userId()));
  }

  /** The rows through this transaction's persistence context. */
  private final class JpaRows implements ConnectionRows {

    @Override
    public List<EdgeConnectionRow> withIds(Collection<String> connectionIds) {
      if (connectionIds.isEmpty()) {
        return List.of();
      }
      return em.createQuery(
              "SELECT c FROM EdgeConnectionRow c WHERE c.connectionId IN :ids",
              EdgeConnectionRow.class)
          .setParameter("ids", List.copyOf(connectionIds))
          .getResultList();
    }

    @Override
    public Optional<EdgeConnectionRow> withId(String connectionId) {
      return Optional.ofNullable(em.find(EdgeConnectionRow.class, connectionId));
    }

    @Override
    public List<EdgeConnectionRow> onPage(String userId, String pageId) {
      return em.createQuery(
              "SELECT c FROM EdgeConnectionRow c WHERE c.userId = :user AND c.pageId = :page",
              EdgeConnectionRow.class)
          .setParameter("user", userId)
          .setParameter("page", pageId)
          .getResultList();
    }

    @Override
    public List<EdgeConnectionRow> unpairedWith(
        Fingerprint local, Fingerprint remote, Instant from, Instant to) {
      return em.createQuery(
              "SELECT c FROM EdgeConnectionRow c WHERE c.localFingerprint = :local"
                  + " AND c.remoteFingerprint = :remote AND c.peerConnectionId IS NULL"
                  + " AND c.connectedAt >= :from AND c.connectedAt <= :to",
              EdgeConnectionRow.class)
          .setParameter("local", local.toString())
          .setParameter("remote", remote.toString())
          .setParameter("from", from)
          .setParameter("to", to)
          .getResultList();
    }

    @Override
    public void add(EdgeConnectionRow connection) {
      em.persist(connection);
    }

    @Override
    public Optional<EdgeCallRow> call(String callId) {
      return Optional.ofNullable(em.find(EdgeCallRow.class, callId));
    }

    @Override
    public void add(EdgeCallRow call) {
      em.persist(call);
    }

    @Override
    public void remove(EdgeCallRow call) {
      em.remove(call);
    }
  }
}
