package com.vclick.core.edge.connections;

import jakarta.ejb.ApplicationException;
import java.util.Objects;

/**
 * A batch of connection events that is refused whole: nothing of it was stored. The field names
 * what was wrong with its full path ({@code events[3].at}); the message is one sentence safe to
 * show to the caller that sent it, and says no more about other users' connections than that one is
 * unknown. The REST layer answers 400.
 */
@ApplicationException(rollback = true)
public class InvalidReportException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String field;

  public InvalidReportException(String field, String message) {
    super(Objects.requireNonNull(message, "message"));
    this.field = Objects.requireNonNull(field, "field");
  }

  /** The invalid field, e.g. {@code events[3].at}. */
  public String field() {
    return field;
  }
}
