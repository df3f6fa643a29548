package com.vclick.core.identity.token;

import java.util.Objects;

/**
 * A token was refused. The message is a fixed, short text per {@link Reason}, safe to send back to
 * the client; it never contains token content, and no cause is attached because parser messages can
 * quote the input.
 */
public final class InvalidTokenException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why a token was refused. */
  public enum Reason {
    MALFORMED("malformed token"),
    UNSUPPORTED_ALGORITHM("unsupported signature algorithm"),
    UNKNOWN_KEY("unknown signing key"),
    BAD_SIGNATURE("bad signature"),
    WRONG_ISSUER("wrong issuer"),
    WRONG_AUDIENCE("wrong audience"),
    EXPIRED("token expired"),
    NOT_YET_VALID("token not yet valid"),
    NOT_AN_ACCESS_TOKEN("not an access token"),
    MISSING_SUBJECT("missing subject");

    private final String message;

    Reason(String message) {
      this.message = message;
    }

    public String message() {
      return message;
    }
  }

  private final Reason reason;

  public InvalidTokenException(Reason reason) {
    // No stack trace: refusals are routine and client-triggered, the reason says everything.
    super(Objects.requireNonNull(reason, "reason").message(), null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
