package com.vclick.core.audit;

/**
 * The result of checking the whole chain.
 *
 * @param intact whether every entry matches its hash and links to its predecessor
 * @param entriesChecked how many entries were read
 * @param firstBrokenSequence the first entry that does not match, or -1 when intact
 */
public record AuditVerification(boolean intact, long entriesChecked, long firstBrokenSequence) {}
