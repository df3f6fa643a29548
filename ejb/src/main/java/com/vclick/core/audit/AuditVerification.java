package com.vclick.core.audit;

/**
 * The result of checking the whole chain.
 *
 * @param intact whether every entry matches its hash and links to its predecessor (and, when {@code
 *     sealed}, carries a valid seal), and the chain ends at the recorded head
 * @param entriesChecked how many entries were read
 * @param firstBrokenSequence the first entry that does not match, or -1 when intact
 * @param sealed whether the check used the audit key ({@code VCLICK_AUDIT_KEY}); without it only
 *     the plain chain is checked, which someone with write access to the database can recompute
 * @param firstSequence the first entry kept in the database (earlier ones were archived)
 * @param problem what is wrong, for a person; null when intact
 */
public record AuditVerification(
    boolean intact,
    long entriesChecked,
    long firstBrokenSequence,
    boolean sealed,
    long firstSequence,
    String problem) {}
