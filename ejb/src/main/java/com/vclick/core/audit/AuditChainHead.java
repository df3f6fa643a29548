package com.vclick.core.audit;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The single row that holds the end of the chain; locked for every append. Never held in the shared
 * JPA cache, so that verification compares the chain with the head the database holds.
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

  protected AuditChainHead() {}

  long lastSequence() {
    return lastSequence;
  }

  String lastHash() {
    return lastHash;
  }

  void advance(AuditEntry entry) {
    this.lastSequence = entry.sequence();
    this.lastHash = entry.hash();
  }
}
