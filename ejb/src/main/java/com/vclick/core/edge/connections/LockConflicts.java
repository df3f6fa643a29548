package com.vclick.core.edge.connections;

import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.PessimisticLockException;
import java.sql.SQLException;
import java.util.Set;

/**
 * Whether a failed report lost a lock conflict and may simply run again: the database broke a
 * deadlock (two reports that each reached a page the other had locked) or a lock wait timed out.
 */
final class LockConflicts {

  /**
   * SQL states of a lost lock conflict: PostgreSQL's deadlock and serialization failure, H2's
   * deadlock and lock timeout.
   */
  private static final Set<String> STATES = Set.of("40P01", "40001", "HYT00");

  private LockConflicts() {}

  static boolean isConflict(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof PessimisticLockException || cause instanceof LockTimeoutException) {
        return true;
      }
      if (cause instanceof SQLException sql && STATES.contains(sql.getSQLState())) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }
}
