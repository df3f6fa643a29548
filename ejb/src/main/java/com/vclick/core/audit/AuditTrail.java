package com.vclick.core.audit;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** Appends to and verifies the audit trail. */
@Stateless
public class AuditTrail {

  private static final int VERIFY_BATCH = 500;

  @PersistenceContext(unitName = "vclick")
  EntityManager em;

  @Inject Clock clock;
  @Inject AuditKey key;
  @Inject AuditArchiveFolder archive;

  /** Appends one entry in the caller's transaction. */
  public AuditEntry append(String actor, String action, String target, String detail) {
    AuditChainHead head = lockedHead();
    return appendTo(head, new PendingAuditEntry(actor, action, target, detail));
  }

  /**
   * Appends entries in one new transaction and one acquisition of the chain head: for summaries
   * written off the request path (they neither wait for nor roll back with a caller).
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public void appendAll(List<PendingAuditEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    AuditChainHead head = lockedHead();
    for (PendingAuditEntry entry : entries) {
      appendTo(head, entry);
    }
  }

  /**
   * Seals the chain's start with the key, when a key is configured and the chain was never sealed
   * (a new trail, or one written before the key existed): entries from the next one on carry seals.
   *
   * @return whether sealing started now
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public boolean startSealing() {
    return key.present() && lockedHead().startSealing(key);
  }

  AuditChainHead lockedHead() {
    AuditChainHead head =
        em.find(AuditChainHead.class, AuditChainHead.ID, LockModeType.PESSIMISTIC_WRITE);
    if (head == null) {
      throw new IllegalStateException("audit_chain_head row missing: migrations did not run");
    }
    return head;
  }

  private AuditEntry appendTo(AuditChainHead head, PendingAuditEntry pending) {
    head.startSealing(key);
    // Millisecond precision survives every database round trip, so the hash stays verifiable.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    var entry =
        new AuditEntry(
            head.lastSequence() + 1,
            now,
            limit(pending.actor(), 200),
            limit(pending.action(), 100),
            limit(pending.target(), 500),
            limit(pending.detail(), 2000),
            head.lastHash(),
            key);
    em.persist(entry);
    head.advance(entry);
    return entry;
  }

  /** Recomputes every hash, link and seal of the entries in the database, in batches. */
  public AuditVerification verify() {
    return verifyDatabase(head());
  }

  /**
   * Verifies the entries in the database and the archive they continue.
   *
   * @param fullArchive whether to recompute every archived entry too, or only check the last
   *     archive file's sealed end and that the database's chain starts there
   */
  public AuditReport verifyWithArchive(boolean fullArchive) {
    AuditChainHead head = head();
    AuditChainStart start = head.start();
    long lastSequence = head.lastSequence();
    AuditVerification chain = verifyDatabase(head);
    Optional<AuditCheckpoint> checkpoint;
    try {
      checkpoint = AuditCheckpointFile.latest(archive.value());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the audit checkpoints", e);
    }
    String checkpointProblem =
        AuditCheckpointCheck.problem(
            key,
            checkpoint,
            start,
            lastSequence,
            sequence ->
                Optional.ofNullable(em.find(AuditEntry.class, sequence)).map(AuditEntry::hash));
    return new AuditReport(
        chain,
        new AuditArchiveCheck(key).check(archive.value(), start, fullArchive),
        checkpointProblem);
  }

  private AuditChainHead head() {
    AuditChainHead head = em.find(AuditChainHead.class, AuditChainHead.ID);
    if (head == null) {
      throw new IllegalStateException("audit_chain_head row missing: migrations did not run");
    }
    return head;
  }

  private AuditVerification verifyDatabase(AuditChainHead head) {
    long lastSequence = head.lastSequence();
    String lastHash = head.lastHash();
    AuditChainCheck check = new AuditChainCheck(key, head.start());
    em.clear();
    while (!check.isBroken()) {
      List<AuditEntry> batch =
          em.createQuery(
                  "SELECT e FROM AuditEntry e WHERE e.sequence >= :from ORDER BY e.sequence",
                  AuditEntry.class)
              .setParameter("from", check.nextSequence())
              .setMaxResults(VERIFY_BATCH)
              .getResultList();
      for (AuditEntry entry : batch) {
        if (!check.accept(entry)) {
          break;
        }
      }
      em.clear();
      if (batch.size() < VERIFY_BATCH) {
        break;
      }
    }
    return check.finish(lastSequence, lastHash);
  }

  private static String limit(String value, int max) {
    String text = value == null ? "" : value;
    return text.length() <= max ? text : text.substring(0, max);
  }
}
