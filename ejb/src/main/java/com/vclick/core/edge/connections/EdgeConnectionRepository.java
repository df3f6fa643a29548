package com.vclick.core.edge.connections;

import com.vclick.core.audit.AuditTrail;
import com.vclick.core.edge.decision.EdgeDecisionRecord;
import com.vclick.core.identity.Caller;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The stored connection log: applies reports under the report lock and reads calls. {@link
 * EdgeConnections} is the way in.
 */
@Stateless
public class EdgeConnectionRepository {

  /**
   * Pages whose locks a batch takes in order before it starts; beyond, as the ingest reaches them.
   */
  static final int MAX_PAGES_LOCKED_AHEAD = 200;

  @PersistenceContext(unitName = "vclick")
  EntityManager em;

  @Inject AuditTrail audit;

  /**
   * Applies one caller's batch in one transaction, holding the locks of the pages and certificate
   * pairs it reads and changes (taken in ascending order for those known before it starts; see
   * {@link ConnectionLocks}): when this returns, the batch is committed, or nothing of it is.
   * Disputed pairing claims are audited in the same transaction.
   *
   * @param now the server's clock
   * @return for each connection of the batch that is paired, who reported its other end
   * @throws InvalidReportException when the batch names another user's connection or moves a
   *     connection to another page; nothing was written
   */
  public Map<String, Participant> report(
      Caller reporter, List<ConnectionEvent> events, Instant now) {
    JpaRows rows = new JpaRows();
    rows.lockInOrder(locksFor(reporter, events));
    ConnectionIngest ingest = new ConnectionIngest(rows);
    Map<String, Participant> peers = new LinkedHashMap<>();
    ingest
        .apply(reporter, events, now)
        .forEach((connectionId, peer) -> peers.put(connectionId, Participant.of(peer)));
    for (ConnectionIngest.Dispute dispute : ingest.disputes()) {
      audit.append(
          dispute.userId(),
          "edge.pairing.disputed",
          "edge-connection:" + dispute.connectionId(),
          "disputed=" + dispute.disputed() + " unpaired=" + dispute.unpaired());
    }
    return peers;
  }

  /**
   * Ends as lost, in one transaction, the open connections of one page that {@code lost} still
   * selects once the page is locked, regroups their calls and audits it.
   *
   * @param why the audited reason ({@code reporter-offline} or {@code no-report})
   * @return how many were ended
   */
  public int loseOnPage(
      String userId, String pageId, Predicate<EdgeConnectionRow> lost, String why) {
    JpaRows rows = new JpaRows();
    rows.lockInOrder(reachableFrom(Set.of(new PageKey(userId, pageId)), new TreeSet<>()));
    List<EdgeConnectionRow> ended = new ConnectionIngest(rows).lose(userId, pageId, lost);
    if (!ended.isEmpty()) {
      audit.append(
          "system",
          "edge.connections.lost",
          "edge-page:" + pageId,
          "user=" + userId + " connections=" + ended.size() + " reason=" + why);
    }
    return ended.size();
  }

  /**
   * The pages that may hold lost connections: those with an open connection of one of these users
   * not heard of since {@code graceAgo}, or with any open connection not heard of since {@code
   * silentSince}.
   */
  public List<PageKey> pagesToSweep(
      Set<String> offlineUsers, Instant graceAgo, Instant silentSince, int limit) {
    StringBuilder jpql =
        new StringBuilder(
            "SELECT DISTINCT c.userId, c.pageId FROM EdgeConnectionRow c WHERE c.closedAt IS NULL"
                + " AND (c.lastReportAt < :silent");
    if (!offlineUsers.isEmpty()) {
      jpql.append(" OR (c.userId IN :offline AND c.lastReportAt < :graceAgo)");
    }
    jpql.append(")");
    var query =
        em.createQuery(jpql.toString(), Object[].class)
            .setParameter("silent", silentSince)
            .setMaxResults(limit);
    if (!offlineUsers.isEmpty()) {
      query.setParameter("offline", List.copyOf(offlineUsers)).setParameter("graceAgo", graceAgo);
    }
    return query.getResultList().stream()
        .map(row -> new PageKey((String) row[0], (String) row[1]))
        .toList();
  }

  /** The users with an open connection (whose presence the sweep checks). */
  public List<String> usersWithOpenConnections(int limit) {
    return em.createQuery(
            "SELECT DISTINCT c.userId FROM EdgeConnectionRow c WHERE c.closedAt IS NULL",
            String.class)
        .setMaxResults(limit)
        .getResultList();
  }

  /** One page load of one user. */
  public record PageKey(String userId, String pageId) {}

  /**
   * The stripes a batch needs, known before it starts: its pages, the certificate pairs it claims
   * (and those its connections claimed before), and the pages reachable from its pages through
   * pairings, read without locks (what changes meanwhile is locked when the ingest reaches it).
   */
  private SortedSet<Integer> locksFor(Caller reporter, List<ConnectionEvent> events) {
    SortedSet<Integer> stripes = new TreeSet<>();
    Set<PageKey> pages = new HashSet<>();
    Set<String> ids = new HashSet<>();
    for (ConnectionEvent event : events) {
      pages.add(new PageKey(reporter.subject(), event.pageId()));
      ids.add(event.connectionId());
      if (event instanceof ConnectionEvent.Connected connected) {
        stripes.add(
            ConnectionLocks.claims(connected.localFingerprint(), connected.remoteFingerprint()));
      }
    }
    for (EdgeConnectionRow stored : new JpaRows().withIds(ids)) {
      pages.add(new PageKey(stored.userId(), stored.pageId()));
      stored
          .claim()
          .ifPresent(claim -> stripes.add(ConnectionLocks.claims(claim.local(), claim.remote())));
    }
    return reachableFrom(pages, stripes);
  }

  /** Adds to {@code stripes} those of the pages reachable from {@code pages} through pairings. */
  private SortedSet<Integer> reachableFrom(Set<PageKey> pages, SortedSet<Integer> stripes) {
    Set<PageKey> seen = new HashSet<>(pages);
    Deque<PageKey> queue = new ArrayDeque<>(pages);
    while (!queue.isEmpty() && seen.size() < MAX_PAGES_LOCKED_AHEAD) {
      PageKey page = queue.poll();
      stripes.add(ConnectionLocks.page(page.userId(), page.pageId()));
      for (Object[] peer :
          em.createQuery(
                  "SELECT p.userId, p.pageId FROM EdgeConnectionRow c, EdgeConnectionRow p"
                      + " WHERE c.userId = :user AND c.pageId = :page"
                      + " AND p.connectionId = c.peerConnectionId",
                  Object[].class)
              .setParameter("user", page.userId())
              .setParameter("page", page.pageId())
              .getResultList()) {
        PageKey next = new PageKey((String) peer[0], (String) peer[1]);
        if (seen.add(next)) {
          queue.add(next);
        }
      }
    }
    queue.forEach(page -> stripes.add(ConnectionLocks.page(page.userId(), page.pageId())));
    return stripes;
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
              call.disputed(),
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

    private final Set<Integer> held = new HashSet<>();

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
    public List<EdgeConnectionRow> claimsOn(
        Fingerprint one, Fingerprint other, Instant from, Instant to) {
      return em.createQuery(
              "SELECT c FROM EdgeConnectionRow c WHERE ((c.localFingerprint = :one"
                  + " AND c.remoteFingerprint = :other) OR (c.localFingerprint = :other"
                  + " AND c.remoteFingerprint = :one))"
                  + " AND c.connectedAt >= :from AND c.connectedAt <= :to",
              EdgeConnectionRow.class)
          .setParameter("one", one.toString())
          .setParameter("other", other.toString())
          .setParameter("from", from)
          .setParameter("to", to)
          .getResultList();
    }

    @Override
    public void lockPage(String userId, String pageId) {
      lock(ConnectionLocks.page(userId, pageId));
    }

    @Override
    public void lockClaims(Fingerprint one, Fingerprint other) {
      lock(ConnectionLocks.claims(one, other));
    }

    void lockInOrder(SortedSet<Integer> stripes) {
      stripes.forEach(this::lock);
    }

    private void lock(int stripe) {
      if (held.add(stripe)
          && em.find(EdgeConnectionStripeRow.class, stripe, LockModeType.PESSIMISTIC_WRITE)
              == null) {
        throw new IllegalStateException(
            "edge_connection_stripe row " + stripe + " missing: migrations did not run");
      }
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
