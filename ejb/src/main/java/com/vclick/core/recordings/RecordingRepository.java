package com.vclick.core.recordings;

import com.vclick.core.audit.AuditTrail;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stored recordings' metadata; every change is audited in its own transaction with the change.
 * {@link RecordingStore} is the way in.
 */
@Stateless
public class RecordingRepository {

  @PersistenceContext(unitName = "vclick")
  EntityManager em;

  @Inject AuditTrail audit;

  /** Inserts a recording just written to the store, with its participants and connections. */
  public Recording add(RecordingRow row, RecordingContext context) {
    em.persist(row);
    List<RecordingParticipant> participants = context.participants();
    for (int i = 0; i < participants.size(); i++) {
      em.persist(new RecordingParticipantRow(row.recordingId(), i, participants.get(i)));
    }
    context
        .connectionIds()
        .forEach(id -> em.persist(new RecordingConnectionRow(row.recordingId(), id)));
    List<RecordingAttendance> attendance = context.attendance();
    for (int i = 0; i < attendance.size(); i++) {
      em.persist(new RecordingAttendanceRow(row.recordingId(), i, attendance.get(i)));
    }
    audit.append(
        RecordingAudit.STORE_ACTOR,
        RecordingAudit.STORED,
        RecordingAudit.target(row.recordingId()),
        "sha256=" + row.sha256() + " size=" + row.sizeBytes() + " call=" + row.callId());
    return new Recording(row, participants, context.connectionIds(), attendance);
  }

  public Optional<Recording> byId(String recordingId) {
    return Optional.ofNullable(em.find(RecordingRow.class, recordingId))
        .map(row -> read(List.of(row)).get(0));
  }

  /** The recordings the query selects, newest first. */
  public List<Recording> find(RecordingQuery query) {
    StringBuilder jpql = new StringBuilder("SELECT r FROM RecordingRow r WHERE 1 = 1");
    Map<String, Object> parameters = new HashMap<>();
    if (query.participant() != null) {
      jpql.append(
          " AND r.recordingId IN (SELECT p.recordingId FROM RecordingParticipantRow p"
              + " WHERE p.userId = :user)");
      parameters.put("user", query.participant());
    }
    if (query.origin() != null) {
      jpql.append(" AND r.origin = :origin");
      parameters.put("origin", query.origin());
    }
    if (query.from() != null) {
      jpql.append(" AND r.startedAt >= :from");
      parameters.put("from", query.from());
    }
    if (query.to() != null) {
      jpql.append(" AND r.startedAt < :to");
      parameters.put("to", query.to());
    }
    if (query.before() != null) {
      jpql.append(" AND r.startedAt < :before");
      parameters.put("before", query.before());
    }
    jpql.append(" ORDER BY r.startedAt DESC, r.recordingId");
    TypedQuery<RecordingRow> typed = em.createQuery(jpql.toString(), RecordingRow.class);
    parameters.forEach(typed::setParameter);
    return read(typed.setMaxResults(query.limit()).getResultList());
  }

  /**
   * Audits a reviewer's read of the recording's file, before it is streamed.
   *
   * @param detail what was read ({@code range=…})
   * @throws RecordingDeletedException when retention deleted the file
   */
  public Optional<Recording> accessed(
      String actor, String recordingId, RecordingAccess access, String detail) {
    Optional<Recording> recording = byId(recordingId);
    recording.ifPresent(
        r -> {
          RecordingDeletedException.check(r.row());
          audit.append(actor, access.auditAction(), RecordingAudit.target(recordingId), detail);
        });
    return recording;
  }

  /**
   * Puts the recording on legal hold or takes it off, audited with a hash of the reason.
   *
   * @throws RecordingDeletedException when retention deleted the file already
   */
  public Optional<Recording> changeLegalHold(
      String actor, String recordingId, boolean hold, String reason, Instant now) {
    RecordingRow row = em.find(RecordingRow.class, recordingId, LockModeType.PESSIMISTIC_WRITE);
    if (row == null) {
      return Optional.empty();
    }
    RecordingDeletedException.check(row);
    row.changeLegalHold(hold, reason, actor, now);
    audit.append(
        actor,
        hold ? RecordingAudit.HOLD_SET : RecordingAudit.HOLD_RELEASED,
        RecordingAudit.target(recordingId),
        "reason-sha256=" + Sha256.hex(reason));
    return Optional.of(read(List.of(row)).get(0));
  }

  /** Audits a verification of the recording's file and its outcome. */
  public void verified(String actor, String recordingId, boolean intact) {
    audit.append(
        actor, RecordingAudit.VERIFIED, RecordingAudit.target(recordingId), "intact=" + intact);
  }

  /** The ids of recordings stored at or before {@code cutoff}, not on hold, not deleted. */
  public List<String> dueForDeletion(Instant cutoff, int max) {
    return em.createQuery(
            "SELECT r.recordingId FROM RecordingRow r WHERE r.deletedAt IS NULL"
                + " AND r.legalHold = false AND r.createdAt <= :cutoff"
                + " ORDER BY r.createdAt, r.recordingId",
            String.class)
        .setParameter("cutoff", cutoff)
        .setMaxResults(max)
        .getResultList();
  }

  /**
   * In a transaction of its own: deletes the recording's file if retention says so under the row's
   * lock (a hold set meanwhile wins, another cluster member may have been first), marks the row
   * deleted and audits it. The file goes last: if it cannot be deleted, nothing is committed and
   * the next sweep tries again.
   *
   * @return whether it was deleted now
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public boolean deleteIfDue(
      String recordingId, RetentionRule retention, Instant now, RecordingFiles files) {
    RecordingRow row = em.find(RecordingRow.class, recordingId, LockModeType.PESSIMISTIC_WRITE);
    if (row == null || !retention.isDue(row, now)) {
      return false;
    }
    row.markDeleted(now);
    audit.append(
        RecordingAudit.RETENTION_ACTOR,
        RecordingAudit.DELETED,
        RecordingAudit.target(recordingId),
        "reason=retention retention-days=" + retention.days());
    em.flush();
    files.delete(row.filePath());
    return true;
  }

  /**
   * The recordings stored under each of these call ids (Vclick's own calls: a recorded conference
   * is stored under its call's id; the call log links to them): one query; calls without a
   * recording are absent.
   */
  public Map<String, List<String>> recordingsOfCalls(List<String> callIds) {
    Map<String, List<String>> found = new HashMap<>();
    if (callIds.isEmpty()) {
      return found;
    }
    em.createQuery(
            "SELECT r FROM RecordingRow r WHERE r.callId IN :ids ORDER BY r.callId, r.startedAt",
            RecordingRow.class)
        .setParameter("ids", callIds)
        .getResultList()
        .forEach(
            r -> found.computeIfAbsent(r.callId(), id -> new ArrayList<>()).add(r.recordingId()));
    return found;
  }

  /**
   * The recordings of each of these Secure Edge connections (the call log links to them): one
   * query; connections without a recording are absent.
   */
  public Map<String, List<String>> recordingsOfConnections(List<String> connectionIds) {
    Map<String, List<String>> found = new HashMap<>();
    if (connectionIds.isEmpty()) {
      return found;
    }
    em.createQuery(
            "SELECT c FROM RecordingConnectionRow c WHERE c.connectionId IN :ids"
                + " ORDER BY c.connectionId, c.recordingId",
            RecordingConnectionRow.class)
        .setParameter("ids", connectionIds)
        .getResultList()
        .forEach(
            c ->
                found
                    .computeIfAbsent(c.connectionId(), id -> new ArrayList<>())
                    .add(c.recordingId()));
    return found;
  }

  /**
   * The rows with their participants, connections and attendance: four queries whatever their
   * number.
   */
  private List<Recording> read(List<RecordingRow> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    List<String> ids = rows.stream().map(RecordingRow::recordingId).toList();
    Map<String, List<RecordingParticipant>> participants = new HashMap<>();
    em.createQuery(
            "SELECT p FROM RecordingParticipantRow p WHERE p.recordingId IN :ids"
                + " ORDER BY p.recordingId, p.position",
            RecordingParticipantRow.class)
        .setParameter("ids", ids)
        .getResultList()
        .forEach(
            p ->
                participants
                    .computeIfAbsent(p.recordingId(), id -> new ArrayList<>())
                    .add(p.participant()));
    Map<String, List<String>> connections = new HashMap<>();
    em.createQuery(
            "SELECT c FROM RecordingConnectionRow c WHERE c.recordingId IN :ids"
                + " ORDER BY c.recordingId, c.connectionId",
            RecordingConnectionRow.class)
        .setParameter("ids", ids)
        .getResultList()
        .forEach(
            c ->
                connections
                    .computeIfAbsent(c.recordingId(), id -> new ArrayList<>())
                    .add(c.connectionId()));
    Map<String, List<RecordingAttendance>> attendance = new HashMap<>();
    em.createQuery(
            "SELECT a FROM RecordingAttendanceRow a WHERE a.recordingId IN :ids"
                + " ORDER BY a.recordingId, a.position",
            RecordingAttendanceRow.class)
        .setParameter("ids", ids)
        .getResultList()
        .forEach(
            a ->
                attendance
                    .computeIfAbsent(a.recordingId(), id -> new ArrayList<>())
                    .add(a.attendance()));
    return rows.stream()
        .map(
            row ->
                new Recording(
                    row,
                    participants.getOrDefault(row.recordingId(), List.of()),
                    connections.getOrDefault(row.recordingId(), List.of()),
                    attendance.getOrDefault(row.recordingId(), List.of())))
        .toList();
  }
}
