package com.vclick.core.config;

import java.time.Duration;

/**
 * The people directory read from Keycloak.
 *
 * @param refresh how often the cached directory is reloaded ({@code vclick.directory.refresh})
 * @param maxResults the most entries one search returns ({@code vclick.directory.max-results})
 */
public record DirectoryConfig(Duration refresh, int maxResults) {

  public DirectoryConfig {
    if (refresh.compareTo(Duration.ofSeconds(5)) < 0) {
      throw new IllegalArgumentException("vclick.directory.refresh must be at least 5 s");
    }
    if (maxResults < 1 || maxResults > 500) {
      throw new IllegalArgumentException("vclick.directory.max-results must be within 1..500");
    }
  }
}
