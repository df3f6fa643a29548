package com.vclick.core.config;

/**
 * Limits of the HTTP API.
 *
 * @param maxBodyBytes the largest request body accepted ({@code vclick.http.max-body-bytes})
 */
public record HttpConfig(int maxBodyBytes) {

  public HttpConfig {
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException("vclick.http.max-body-bytes must be at least 1024");
    }
  }
}
