package com.vclick.web.signaling;

/**
 * A message the server refuses: {@code code} is stable for programs, {@code detail} is for people.
 * Neither ever quotes the message back.
 */
public class ProtocolException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String code;

  public ProtocolException(String code, String detail) {
    super(detail);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
