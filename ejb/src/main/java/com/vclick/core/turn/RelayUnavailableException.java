package com.vclick.core.turn;

/** The relay is not configured on this server (no shared secret). */
public class RelayUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public RelayUnavailableException() {
    super("The TURN relay is not configured on this server");
  }
}
