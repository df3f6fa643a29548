package com.vclick.core.audit;

/**
 * Where the chain in the database starts: the entries before {@code firstSequence} were archived
 * (or there were none), the last of them hashing to {@code firstPreviousHash}.
 *
 * @param firstSequence the first entry kept in the database
 * @param firstPreviousHash the hash the first entry links to ({@link AuditHash#GENESIS} at first)
 * @param sealedFrom the first sequence written with the key; 0 while never sealed
 * @param seal the {@link AuditKey} seal over the three; null while never sealed
 */
public record AuditChainStart(
    long firstSequence, String firstPreviousHash, long sealedFrom, String seal) {

  /** The start of a new trail. */
  public static AuditChainStart genesis() {
    return new AuditChainStart(1, AuditHash.GENESIS, 0, null);
  }
}
