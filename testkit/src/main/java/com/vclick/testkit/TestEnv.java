package com.vclick.testkit;

import java.util.Optional;

/**
 * Environment of the integration tests. {@code ./vclick test} starts the real services and exports
 * their addresses and credentials; an integration test run without them must fail loudly, not skip.
 */
public final class TestEnv {

  private TestEnv() {}

  /**
   * The value of a required environment variable.
   *
   * @throws IllegalStateException naming the variable when it is unset or blank
   */
  public static String require(String name) {
    return optional(name)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "Environment variable "
                        + name
                        + " is not set. Integration tests run against the real services: start them"
                        + " with './vclick test' (which exports "
                        + name
                        + "), or export it yourself."));
  }

  /** The value of an environment variable, empty when unset or blank. */
  public static Optional<String> optional(String name) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /** The value of an environment variable or a default when unset or blank. */
  public static String get(String name, String defaultValue) {
    return optional(name).orElse(defaultValue);
  }

  /** {@code KEYCLOAK_URL} without a trailing slash, e.g. {@code http://127.0.0.1:8180}. */
  public static String keycloakUrl() {
    return stripTrailingSlash(require("KEYCLOAK_URL"));
  }

  /** {@code url} without trailing slashes. */
  public static String stripTrailingSlash(String url) {
    String u = url;
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }
}
