package com.vclick.core.edge.sdp;

/**
 * A session description or candidate that breaks the grammar. The message names the line and the
 * rule, never the content (a page's SDP holds addresses).
 */
public class InvalidSessionDescriptionException extends Exception {

  private static final long serialVersionUID = 1L;

  public InvalidSessionDescriptionException(String message) {
    super(message);
  }
}
