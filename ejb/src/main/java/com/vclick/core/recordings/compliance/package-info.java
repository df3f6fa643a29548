/**
 * The compliance view ({@code recording-reviewer}): for a period, every Secure Edge connection made
 * under a {@code record} decision and what became of its recording (stored, incomplete, an audited
 * failure, in progress, or a gap nothing explains). Reads the connection log, the decisions, the
 * recorded-call sessions and the recordings; changes nothing. {@link ComplianceClassifier} holds
 * the rules, {@link ComplianceRepository} the reads.
 */
package com.vclick.core.recordings.compliance;
