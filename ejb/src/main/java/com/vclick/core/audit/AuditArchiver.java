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
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves the oldest audit entries out of the database into archive files ({@link AuditArchiveFile}),
 * never deleting one that is not safely on disk: each batch locks the chain head, writes its file
 * (flushed), then deletes the rows and moves the chain's (sealed) start past them, in one
 * transaction. If the commit fails the rows stay and the next run writes the same file again.
 */
@Stateless
public class AuditArchiver {

  /** Entries per file and transaction: keeps the chain head's lock short. */
  public static final int BATCH = 1_000;

  @PersistenceContext(unitName = "vclick")
  EntityManager em;

  @Inject AuditKey key;

  /**
   * Archives up to {@link #BATCH} of the oldest entries that occurred before {@code cutoff}, from
   * the chain's start on (it stops at the first younger entry).
   *
   * @return how many entries were archived; fewer than {@link #BATCH} means none are left
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public int archiveBatch(Instant cutoff, Path folder) {
    AuditChainHead head =
        em.find(AuditChainHead.class, AuditChainHead.ID, LockModeType.PESSIMISTIC_WRITE);
    if (head == null) {
      throw new IllegalStateException("audit_chain_head row missing: migrations did not run");
    }
    List<AuditEntry> oldest =
        em.createQuery(
                "SELECT e FROM AuditEntry e WHERE e.sequence >= :from ORDER BY e.sequence",
                AuditEntry.class)
            .setParameter("from", head.start().firstSequence())
            .setMaxResults(BATCH + 1)
            .getResultList();
    List<AuditEntry> due = new ArrayList<>();
    for (AuditEntry entry : oldest) {
      if (due.size() == BATCH || !entry.occurredAt().isBefore(cutoff)) {
        break;
      }
      due.add(entry);
    }
    if (due.isEmpty()) {
      return 0;
    }
    try {
      AuditArchiveFile.deleteUncommitted(folder, head.start().firstSequence());
      AuditArchiveFile.write(folder, due, key);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the audit archive in " + folder, e);
    }
    AuditEntry last = due.get(due.size() - 1);
    em.createQuery("DELETE FROM AuditEntry e WHERE e.sequence >= :from AND e.sequence <= :to")
        .setParameter("from", due.get(0).sequence())
        .setParameter("to", last.sequence())
        .executeUpdate();
    head.cutAfter(last, key);
    return due.size();
  }
}
