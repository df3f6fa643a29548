package com.vclick.core.audit;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Appends to and verifies the audit trail. */
@Stateless
public class AuditTrail {

  private static final int VERIFY_BATCH = 500;

  @PersistenceContext(unitName = "vclick")
  EntityManager em;

  @jakarta.inject.Inject Clock clock;

  /** Appends one entry in the caller's transaction. */
  public AuditEntry append(String actor, String action, String target, String detail) {
    AuditChainHead head =
        em.find(AuditChainHead.class, AuditChainHead.ID, LockModeType.PESSIMISTIC_WRITE);
    if (head == null) {
      throw new IllegalStateException("audit_chain_head row missing: migrations did not run");
    }
    // Millisecond precision survives every database round trip, so the hash stays verifiable.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    var entry =
        new AuditEntry(
            head.lastSequence() + 1,
            now,
            limit(actor, 200),
            limit(action, 100),
            limit(target, 500),
            limit(detail, 2000),
            head.lastHash());
    em.persist(entry);
    head.advance(entry);
    return entry;
  }

  /** Recomputes every hash and link, in batches. */
  public AuditVerification verify() {
    String previous = AuditHash.GENESIS;
    long expectedSequence = 1;
    long checked = 0;
    while (true) {
      List<AuditEntry> batch =
          em.createQuery(
                  "SELECT e FROM AuditEntry e WHERE e.sequence >= :from ORDER BY e.sequence",
                  AuditEntry.class)
              .setParameter("from", expectedSequence)
              .setMaxResults(VERIFY_BATCH)
              .getResultList();
      for (AuditEntry entry : batch) {
        checked++;
        boolean linked =
            entry.sequence() == expectedSequence && entry.previousHash().equals(previous);
        if (!linked || !entry.hash().equals(entry.computeHash())) {
          return new AuditVerification(false, checked, expectedSequence);
        }
        previous = entry.hash();
        expectedSequence++;
      }
      if (batch.size() < VERIFY_BATCH) {
        AuditChainHead head = em.find(AuditChainHead.class, AuditChainHead.ID);
        boolean headMatches =
            head != null
                && head.lastSequence() == expectedSequence - 1
                && head.lastHash().equals(previous);
        return headMatches
            ? new AuditVerification(true, checked, -1)
            : new AuditVerification(false, checked, expectedSequence);
      }
      em.clear();
    }
  }

  private static String limit(String value, int max) {
    String text = value == null ? "" : value;
    return text.length() <= max ? text : text.substring(0, max);
  }
}
