package com.vclick.core.recordings;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One run of retention: deletes, one by one, the recordings the {@link RetentionRule} says are due
 * at {@code now}, in batches until none is left. A recording whose deletion fails is skipped for
 * the rest of the run (the next run tries again), so a run always ends. Plain Java over {@link
 * Candidates}: the JPA repository in the server, a list in tests.
 */
public final class RetentionSweep {

  static final int BATCH = 100;

  /** A run gives up after this many skipped recordings, and says so. */
  static final int MAX_SKIPPED = 1_000;

  private static final Logger LOG = Logger.getLogger(RetentionSweep.class.getName());

  /** The stored recordings as retention sees them. */
  public interface Candidates {

    /**
     * Ids of recordings stored at or before {@code cutoff}, not on hold, not deleted, oldest first.
     */
    List<String> due(Instant cutoff, int max);

    /**
     * Deletes the recording's file and marks it deleted, audited, if it is still due at {@code now}
     * (checked again under a lock); true when it was deleted now.
     */
    boolean deleteIfDue(String recordingId, Instant now);
  }

  /**
   * What a run did.
   *
   * @param deleted the recordings deleted, in order
   * @param skipped the recordings due that could not be deleted (or were no longer due)
   */
  public record Result(List<String> deleted, int skipped) {

    public Result {
      deleted = List.copyOf(deleted);
    }
  }

  private final RetentionRule rule;
  private final Candidates candidates;

  public RetentionSweep(RetentionRule rule, Candidates candidates) {
    this.rule = rule;
    this.candidates = candidates;
  }

  /** Deletes what is due at {@code now}. */
  public Result run(Instant now) {
    Instant cutoff = rule.cutoff(now);
    List<String> deleted = new ArrayList<>();
    Set<String> skipped = new LinkedHashSet<>();
    while (skipped.size() < MAX_SKIPPED) {
      List<String> due =
          candidates.due(cutoff, BATCH + skipped.size()).stream()
              .filter(id -> !skipped.contains(id))
              .toList();
      for (String id : due) {
        if (deleteOne(id, now)) {
          deleted.add(id);
        } else {
          skipped.add(id);
        }
      }
      if (due.size() < BATCH) {
        return new Result(deleted, skipped.size());
      }
    }
    LOG.warning(
        () ->
            "Retention gave up after "
                + skipped.size()
                + " recordings it could not delete; the next sweep tries again");
    return new Result(deleted, skipped.size());
  }

  private boolean deleteOne(String id, Instant now) {
    try {
      return candidates.deleteIfDue(id, now);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "Retention could not delete recording {0}; the next sweep tries again: {1}",
          new Object[] {id, e.toString()});
      return false;
    }
  }
}
