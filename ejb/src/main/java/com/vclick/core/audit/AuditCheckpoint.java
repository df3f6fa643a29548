package com.vclick.core.audit;

import java.time.Instant;

/**
 * The chain's head as it was at one moment, written outside the database ({@link
 * AuditCheckpointFile}): entries cannot later be removed from the chain's end (with the head row
 * moved back) without verification noticing that the chain no longer reaches it.
 *
 * @param sequence the head's last sequence
 * @param hash the head's last hash
 * @param at when it was taken
 * @param seal the {@link AuditKey} seal over sequence and hash; null without a key
 */
public record AuditCheckpoint(long sequence, String hash, Instant at, String seal) {

  /** The checkpoint of a head, sealed when there is a key. */
  static AuditCheckpoint of(long sequence, String hash, Instant at, AuditKey key) {
    return new AuditCheckpoint(
        sequence, hash, at, key.present() ? key.sealCheckpoint(sequence, hash) : null);
  }
}
