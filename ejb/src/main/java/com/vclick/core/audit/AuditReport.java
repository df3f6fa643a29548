package com.vclick.core.audit;

/**
 * The whole trail's verification: the chain in the database, the archive it continues, and the last
 * checkpoint of the head written outside the database.
 *
 * @param chain the entries in the database
 * @param archive the archive files and their link to the database's chain
 * @param checkpointProblem why the chain does not reach the last checkpoint; null when it does (or
 *     none was written yet)
 */
public record AuditReport(
    AuditVerification chain, AuditArchiveCheck.Result archive, String checkpointProblem) {

  public boolean intact() {
    return chain.intact() && archive.intact() && checkpointProblem == null;
  }

  /** The first thing wrong, for a person; null when intact. */
  public String problem() {
    if (chain.problem() != null) {
      return chain.problem();
    }
    return archive.problem() != null ? archive.problem() : checkpointProblem;
  }
}
