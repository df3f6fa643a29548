package com.vclick.core.recordings;

/**
 * The audit trail's words for recordings: actions, the target {@code recording:<id>} and the actors
 * of what the server does by itself. Details never hold names, reasons or paths: a hash or a count
 * at most.
 */
public final class RecordingAudit {

  /** Stored; detail {@code sha256=<hex> size=<bytes> call=<call id>}: the trail pins the hash. */
  public static final String STORED = "recording.stored";

  /** Streamed to a player; detail {@code range=<bytes a-b, or full>}. */
  public static final String PLAYED = "recording.played";

  /** Saved as a file; detail as for {@link #PLAYED}. */
  public static final String DOWNLOADED = "recording.downloaded";

  /** Put on legal hold; detail {@code reason-sha256=<hex of the reason's UTF-8>}. */
  public static final String HOLD_SET = "recording.legal-hold.set";

  /** Taken off legal hold; detail as for {@link #HOLD_SET}. */
  public static final String HOLD_RELEASED = "recording.legal-hold.released";

  /** Its file's hash recomputed; detail {@code intact=true|false}. */
  public static final String VERIFIED = "recording.verified";

  /** Its file deleted by retention; detail {@code reason=retention retention-days=<n>}. */
  public static final String DELETED = "recording.deleted";

  /** The actor of {@link #STORED}: the server, on a media server's behalf. */
  public static final String STORE_ACTOR = "system:recordings";

  /** The actor of {@link #DELETED}. */
  public static final String RETENTION_ACTOR = "system:retention";

  private RecordingAudit() {}

  /** {@code recording:<id>}. */
  public static String target(String recordingId) {
    return "recording:" + recordingId;
  }
}
