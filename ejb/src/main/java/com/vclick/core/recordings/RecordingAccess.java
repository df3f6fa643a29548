package com.vclick.core.recordings;

/** How a reviewer reads a recording's file; each read is audited under its action. */
public enum RecordingAccess {
  /** Streamed for the player (whole, or a byte range while seeking). */
  PLAYED(RecordingAudit.PLAYED),
  /** Saved as a file ({@code Content-Disposition: attachment}). */
  DOWNLOADED(RecordingAudit.DOWNLOADED);

  private final String auditAction;

  RecordingAccess(String auditAction) {
    this.auditAction = auditAction;
  }

  public String auditAction() {
    return auditAction;
  }
}
