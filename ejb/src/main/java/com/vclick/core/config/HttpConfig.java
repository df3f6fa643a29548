package com.vclick.core.config;

/**
 * Limits of the HTTP API.
 *
 * @param maxBodyBytes the largest request body accepted ({@code vclick.http.max-body-bytes})
 * @param maxPolicyBodyBytes the largest body of {@code PUT /api/edge/policy} ({@code
 *     vclick.http.max-policy-body-bytes}): a whole Secure Edge policy, which outgrows the general
 *     limit at about a hundred rules once an administrator's tools pretty-print it
 */
public record HttpConfig(int maxBodyBytes, int maxPolicyBodyBytes) {

  public HttpConfig {
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException("vclick.http.max-body-bytes must be at least 1024");
    }
    if (maxPolicyBodyBytes < maxBodyBytes) {
      throw new IllegalArgumentException(
          "vclick.http.max-policy-body-bytes must be at least vclick.http.max-body-bytes");
    }
  }
}
