package com.vclick.core.audit;

import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Whether the chain still reaches the last checkpoint written outside the database: a head moved
 * back (entries removed from the end) or a rewritten entry at the checkpoint shows here even when
 * every remaining seal is valid. Plain Java.
 */
public final class AuditCheckpointCheck {

  private AuditCheckpointCheck() {}

  /**
   * What is wrong, or null.
   *
   * @param key the audit key (checkpoints are sealed with it when present)
   * @param latest the last checkpoint, if any was written
   * @param start where the database's chain starts
   * @param lastSequence the head's last sequence
   * @param hashAt the hash of the entry with a sequence in the database, empty when there is none
   */
  public static String problem(
      AuditKey key,
      Optional<AuditCheckpoint> latest,
      AuditChainStart start,
      long lastSequence,
      LongFunction<Optional<String>> hashAt) {
    if (latest.isEmpty()) {
      return null;
    }
    AuditCheckpoint checkpoint = latest.get();
    if (key.present()
        && !key.sealCheckpoint(checkpoint.sequence(), checkpoint.hash())
            .equals(checkpoint.seal())) {
      return "the last checkpoint is not sealed with the audit key";
    }
    if (checkpoint.sequence() > lastSequence) {
      return "the chain ends at "
          + lastSequence
          + ", before the checkpoint of "
          + checkpoint.at()
          + " at entry "
          + checkpoint.sequence()
          + ": entries were removed from its end";
    }
    if (checkpoint.sequence() < start.firstSequence()) {
      return null; // archived since: the archive's sealed ends vouch for it
    }
    Optional<String> hash = hashAt.apply(checkpoint.sequence());
    if (hash.isEmpty() || !hash.get().equals(checkpoint.hash())) {
      return "entry "
          + checkpoint.sequence()
          + " is not what the checkpoint of "
          + checkpoint.at()
          + " saw";
    }
    return null;
  }
}
