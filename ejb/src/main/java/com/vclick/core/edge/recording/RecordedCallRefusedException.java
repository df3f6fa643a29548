package com.vclick.core.edge.recording;

/**
 * The request cannot be honoured as asked: no {@code record} decision behind it, another user's
 * call, an exchange out of order, too many calls (HTTP 400/404/409 as {@link #status()} says).
 */
public class RecordedCallRefusedException extends Exception {

  private final int status;

  public RecordedCallRefusedException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
