package com.vclick.core.edge.store;

import com.vclick.core.edge.EdgePolicy;
import java.util.Objects;

/**
 * A policy and the version it is stored as. Version 0 is the shipped policy, before any change.
 *
 * @param policy the rules and default
 * @param version what a replacement must name to succeed; one more after every change
 */
public record VersionedPolicy(EdgePolicy policy, long version) {

  public VersionedPolicy {
    Objects.requireNonNull(policy, "policy");
    if (version < 0) {
      throw new IllegalArgumentException("version must be at least 0");
    }
  }
}
