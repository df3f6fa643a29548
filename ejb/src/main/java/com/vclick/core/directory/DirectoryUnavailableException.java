package com.vclick.core.directory;

/** The directory source could not be read; the previous snapshot stays in use. */
public class DirectoryUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public DirectoryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public DirectoryUnavailableException(String message) {
    super(message);
  }
}
