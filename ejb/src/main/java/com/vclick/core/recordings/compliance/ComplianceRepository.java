package com.vclick.core.recordings.compliance;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what the compliance view needs, read-only: the connections of the period made under a
 * {@code record} decision (the connection log and the decisions), their recorded-call sessions and
 * those sessions' stored recordings.
 */
@Stateless
public class ComplianceRepository {

  /** The most connections one view reads; more: the report says it is truncated. */
  public static final int MAX_CONNECTIONS = 10_000;

  private static final int CHUNK = 500;

  @PersistenceContext(unitName = "vclick")
  EntityManager em;

  /** The view of {@code [from, to)}: connections by the time they started. */
  public ComplianceReport report(Instant from, Instant to) {
    List<Object[]> connections =
        em.createQuery(
                "SELECT c.connectionId, c.userId, c.username, c.displayName, c.origin,"
                    + " c.startedAt, c.connectedAt"
                    + " FROM EdgeConnectionRow c, EdgeDecisionRecord d"
                    + " WHERE d.decisionId = c.decisionId AND d.decision = 'record'"
                    + " AND c.startedAt >= :from AND c.startedAt < :to"
                    + " ORDER BY c.startedAt, c.connectionId",
                Object[].class)
            .setParameter("from", from)
            .setParameter("to", to)
            .setMaxResults(MAX_CONNECTIONS + 1)
            .getResultList();
    boolean truncated = connections.size() > MAX_CONNECTIONS;
    if (truncated) {
      connections = connections.subList(0, MAX_CONNECTIONS);
    }
    List<String> ids = connections.stream().map(c -> (String) c[0]).toList();
    Map<String, List<ComplianceFacts.Session>> sessions = sessionsOf(ids);
    List<ComplianceItem> items = new ArrayList<>(connections.size());
    for (Object[] c : connections) {
      String connectionId = (String) c[0];
      String userId = (String) c[1];
      List<ComplianceFacts.Session> own =
          sessions.getOrDefault(connectionId + " " + userId, List.of());
      items.add(
          ComplianceClassifier.classify(
              new ComplianceFacts(
                  connectionId,
                  userId,
                  (String) c[2],
                  (String) c[3],
                  (String) c[4],
                  (Instant) c[5],
                  (Instant) c[6],
                  own)));
    }
    return new ComplianceReport(from, to, items, truncated);
  }

  /**
   * The sessions of these connections, keyed by {@code "<connection id> <user id>"}: a session
   * counts only for its own user's connection (the wrapper names the connection).
   */
  private Map<String, List<ComplianceFacts.Session>> sessionsOf(List<String> connectionIds) {
    Map<String, List<ComplianceFacts.Session>> found = new HashMap<>();
    for (int i = 0; i < connectionIds.size(); i += CHUNK) {
      List<String> chunk = connectionIds.subList(i, Math.min(connectionIds.size(), i + CHUNK));
      List<Object[]> rows =
          em.createQuery(
                  "SELECT r.connectionId, r.userId, r.recordedCallId, r.openedAt, r.outcome,"
                      + " r.reason FROM RecordedCallRow r WHERE r.connectionId IN :ids",
                  Object[].class)
              .setParameter("ids", chunk)
              .getResultList();
      Map<String, List<ComplianceFacts.StoredRecording>> recordings =
          recordingsOf(rows.stream().map(r -> (String) r[2]).toList());
      for (Object[] r : rows) {
        found
            .computeIfAbsent(r[0] + " " + r[1], k -> new ArrayList<>())
            .add(
                new ComplianceFacts.Session(
                    (String) r[2],
                    (Instant) r[3],
                    (String) r[4],
                    (String) r[5],
                    recordings.getOrDefault((String) r[2], List.of())));
      }
    }
    return found;
  }

  private Map<String, List<ComplianceFacts.StoredRecording>> recordingsOf(List<String> callIds) {
    Map<String, List<ComplianceFacts.StoredRecording>> found = new HashMap<>();
    if (callIds.isEmpty()) {
      return found;
    }
    List<Object[]> rows =
        em.createQuery(
                "SELECT r.callId, r.recordingId, r.incomplete FROM RecordingRow r"
                    + " WHERE r.callId IN :ids ORDER BY r.startedAt",
                Object[].class)
            .setParameter("ids", callIds)
            .getResultList();
    for (Object[] r : rows) {
      found
          .computeIfAbsent((String) r[0], k -> new ArrayList<>())
          .add(new ComplianceFacts.StoredRecording((String) r[1], (String) r[2]));
    }
    return found;
  }
}
