package com.vclick.core.audit;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One row of the audit trail; never updated, never deleted by the application. Never held in the
 * shared JPA cache: verification must read what the database holds, or an edited row that is still
 * cached would pass.
 */
@Entity
@Cacheable(false)
@Table(name = "audit_entry")
public class AuditEntry {

  @Id
  @Column(name = "seq")
  private long sequence;

  @Column(name = "occurred_at", nullable = false)
  private Instant occurredAt;

  @Column(nullable = false, length = 200)
  private String actor;

  @Column(nullable = false, length = 100)
  private String action;

  @Column(nullable = false, length = 500)
  private String target;

  @Column(nullable = false, length = 2000)
  private String detail;

  @Column(name = "previous_hash", nullable = false, length = 64)
  private String previousHash;

  @Column(nullable = false, length = 64)
  private String hash;

  /** HMAC-SHA256 of {@code hash} with the {@link AuditKey}; null when written without a key. */
  @Column(length = 64)
  private String seal;

  protected AuditEntry() {}

  AuditEntry(
      long sequence,
      Instant occurredAt,
      String actor,
      String action,
      String target,
      String detail,
      String previousHash,
      AuditKey key) {
    this.sequence = sequence;
    this.occurredAt = occurredAt;
    this.actor = actor;
    this.action = action;
    this.target = target;
    this.detail = detail;
    this.previousHash = previousHash;
    this.hash = computeHash();
    this.seal = key.present() ? key.sealEntry(hash) : null;
  }

  /** An entry as read back from an archive file, to verify it. */
  static AuditEntry archived(
      long sequence,
      Instant occurredAt,
      String actor,
      String action,
      String target,
      String detail,
      String previousHash,
      String hash,
      String seal) {
    AuditEntry entry = new AuditEntry();
    entry.sequence = sequence;
    entry.occurredAt = occurredAt;
    entry.actor = actor;
    entry.action = action;
    entry.target = target;
    entry.detail = detail;
    entry.previousHash = previousHash;
    entry.hash = hash;
    entry.seal = seal;
    return entry;
  }

  String computeHash() {
    return AuditHash.of(previousHash, sequence, occurredAt, actor, action, target, detail);
  }

  public long sequence() {
    return sequence;
  }

  public Instant occurredAt() {
    return occurredAt;
  }

  public String actor() {
    return actor;
  }

  public String action() {
    return action;
  }

  public String target() {
    return target;
  }

  public String detail() {
    return detail;
  }

  public String previousHash() {
    return previousHash;
  }

  public String hash() {
    return hash;
  }

  /** The entry's seal; null when it was written without a key. */
  public String seal() {
    return seal;
  }
}
