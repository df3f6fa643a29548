package com.vclick.core.edge.recording;

/** The media server cannot take the call and the fail mode blocks it (HTTP 503). */
public class RecordedCallUnavailableException extends Exception {
  public RecordedCallUnavailableException(String message) {
    super(message);
  }
}
