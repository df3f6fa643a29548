package com.vclick.core.edge.store;

import jakarta.ejb.ApplicationException;

/**
 * A replacement named a version that is no longer the stored one: someone changed the policy in
 * between. Nothing was written.
 */
@ApplicationException(rollback = true)
public class StalePolicyVersionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final long expected;
  private final long current;

  public StalePolicyVersionException(long expected, long current) {
    super("The policy is at version " + current + ", not " + expected);
    this.expected = expected;
    this.current = current;
  }

  /** The version the replacement was based on. */
  public long expected() {
    return expected;
  }

  /** The version stored now. */
  public long current() {
    return current;
  }
}
