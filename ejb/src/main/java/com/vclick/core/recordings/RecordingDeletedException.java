package com.vclick.core.recordings;

import jakarta.ejb.ApplicationException;
import java.time.Instant;

/**
 * The recording's file was deleted by retention: its metadata remains, its media does not (the REST
 * layer answers 410 for the media and its verification, 409 for a legal hold).
 */
@ApplicationException(rollback = true)
public class RecordingDeletedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final Instant deletedAt;

  public RecordingDeletedException(Instant deletedAt) {
    super("The recording's file was deleted on " + deletedAt + " (retention).");
    this.deletedAt = deletedAt;
  }

  /** Throws when retention deleted the recording's file. */
  static void check(RecordingRow row) {
    if (row.deletedAt().isPresent()) {
      throw new RecordingDeletedException(row.deletedAt().get());
    }
  }

  public Instant deletedAt() {
    return deletedAt;
  }
}
