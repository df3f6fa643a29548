package com.vclick.core.audit;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The single row that holds both ends of the chain; locked for every append and every archive cut.
 * Its start ({@code first_seq}, the hash before it, and the sequence sealing began at) is sealed
 * with the {@link AuditKey}, so rows cannot be dropped from the start, nor sealing claimed to begin
 * later, without the key. Never held in the shared JPA cache, so that verification compares the
 * chain with the head the database holds.
 */
@Entity
@Cacheable(false)
@Table(name = "audit_chain_head")
public class AuditChainHead {

  static final int ID = 1;

  @Id private int id;

  @Column(name = "last_seq", nullable = false)
  private long lastSequence;

  @Column(name = "last_hash", nullable = false, length = 64)
  private String lastHash;

  @Column(name = "first_seq", nullable = false)
  private long firstSequence;

  @Column(name = "first_previous_hash", nullable = false, length = 64)
  private String firstPreviousHash;

  /** The first sequence written with a key; 0 while never sealed. */
  @Column(name = "sealed_from", nullable = false)
  private long sealedFrom;

  @Column(name = "start_seal", length = 64)
  private String startSeal;

  protected AuditChainHead() {}

  long lastSequence() {
    return lastSequence;
  }

  String lastHash() {
    return lastHash;
  }

  AuditChainStart start() {
    return new AuditChainStart(firstSequence, firstPreviousHash, sealedFrom, startSeal);
  }

  void advance(AuditEntry entry) {
    this.lastSequence = entry.sequence();
    this.lastHash = entry.hash();
  }

  /** Starts sealing with the next entry, when a key is configured and sealing has not started. */
  boolean startSealing(AuditKey key) {
    if (!key.present() || sealedFrom > 0) {
      return false;
    }
    sealedFrom = lastSequence + 1;
    startSeal = key.sealStart(firstSequence, firstPreviousHash, sealedFrom);
    return true;
  }

  /** The chain now starts right after {@code lastArchived}, which went to an archive file. */
  void cutAfter(AuditEntry lastArchived, AuditKey key) {
    firstSequence = lastArchived.sequence() + 1;
    firstPreviousHash = lastArchived.hash();
    startSeal =
        key.present() && sealedFrom > 0
            ? key.sealStart(firstSequence, firstPreviousHash, sealedFrom)
            : null;
  }
}
