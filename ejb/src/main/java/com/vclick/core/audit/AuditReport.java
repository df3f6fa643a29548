package com.vclick.core.audit;

/**
 * The whole trail's verification: the chain in the database and the archive it continues.
 *
 * @param chain the entries in the database
 * @param archive the archive files and their link to the database's chain
 */
public record AuditReport(AuditVerification chain, AuditArchiveCheck.Result archive) {

  public boolean intact() {
    return chain.intact() && archive.intact();
  }

  /** The first thing wrong, for a person; null when intact. */
  public String problem() {
    return chain.problem() != null ? chain.problem() : archive.problem();
  }
}
