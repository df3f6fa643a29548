package com.vclick.core.audit;

/**
 * Walks a chain in sequence order and says where it first breaks: plain Java, fed by the database
 * in batches or by an archive file. Every entry must follow its predecessor by sequence and hash,
 * match its own hash, and from the sealed start on carry a valid seal when a key is configured; the
 * start itself must be sealed when a key is configured (so rows dropped from the start, or seals
 * stripped, show).
 */
public final class AuditChainCheck {

  private final AuditKey key;
  private final AuditChainStart start;
  private String previousHash;
  private long expectedSequence;
  private long checked;
  private AuditVerification broken;

  public AuditChainCheck(AuditKey key, AuditChainStart start) {
    this.key = key;
    this.start = start;
    this.previousHash = start.firstPreviousHash();
    this.expectedSequence = start.firstSequence();
    if (key.present() && !startSealedBy(key, start)) {
      broken = fail(start.firstSequence(), "the chain's start is not sealed with the audit key");
    }
  }

  private static boolean startSealedBy(AuditKey key, AuditChainStart start) {
    return start.seal() != null
        && start.sealedFrom() > 0
        && start
            .seal()
            .equals(
                key.sealStart(
                    start.firstSequence(), start.firstPreviousHash(), start.sealedFrom()));
  }

  /** Checks the next entry; false once the chain is broken (later entries are not looked at). */
  public boolean accept(AuditEntry entry) {
    if (broken != null) {
      return false;
    }
    checked++;
    if (entry.sequence() != expectedSequence) {
      broken = fail(expectedSequence, "entry " + expectedSequence + " is missing");
    } else if (!entry.previousHash().equals(previousHash)) {
      broken = fail(expectedSequence, "entry does not link to the one before it");
    } else if (!entry.hash().equals(entry.computeHash())) {
      broken = fail(expectedSequence, "entry does not match its hash");
    } else if (key.present()
        && entry.sequence() >= start.sealedFrom()
        && !key.sealEntry(entry.hash()).equals(entry.seal())) {
      broken =
          fail(expectedSequence, "entry's seal is missing or wrong: rewritten without the key");
    } else {
      previousHash = entry.hash();
      expectedSequence++;
      return true;
    }
    return false;
  }

  /**
   * The result once every entry was given: the chain must end at the given head.
   *
   * @param lastSequence the head's last sequence
   * @param lastHash the head's last hash
   */
  public AuditVerification finish(long lastSequence, String lastHash) {
    if (broken != null) {
      return broken;
    }
    if (lastSequence != expectedSequence - 1 || !lastHash.equals(previousHash)) {
      return fail(expectedSequence, "the chain does not end at the recorded head");
    }
    return new AuditVerification(true, checked, -1, key.present(), start.firstSequence(), null);
  }

  /** The sequence the next entry must have and the hash it must link to. */
  public long nextSequence() {
    return expectedSequence;
  }

  public String lastHash() {
    return previousHash;
  }

  public boolean isBroken() {
    return broken != null;
  }

  private AuditVerification fail(long sequence, String problem) {
    return new AuditVerification(
        false, checked, sequence, key.present(), start.firstSequence(), problem);
  }
}
