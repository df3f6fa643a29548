package com.vclick.core.edge;

import java.util.Objects;

/**
 * A Secure Edge policy, rule or setting that is not valid; nothing was built. The field names what
 * was wrong (relative to the object being built, e.g. {@code "origins"}; {@link #in} prefixes it
 * with the enclosing path); the message is one sentence safe to show to the administrator who sent
 * it. The REST layer maps it to a 400 problem.
 */
public final class PolicyValidationException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String field;

  public PolicyValidationException(String field, String message) {
    super(Objects.requireNonNull(message, "message"));
    this.field = Objects.requireNonNull(field, "field");
  }

  /** The invalid field, e.g. {@code "fakeLocalIp"} or {@code "rules[2].origins[0]"}. */
  public String field() {
    return field;
  }

  /**
   * The same error one level down, e.g. {@code in("rules[2]")} turns field {@code "origins[0]"}
   * into {@code "rules[2].origins[0]"}.
   */
  public PolicyValidationException in(String parent) {
    return new PolicyValidationException(
        field.isEmpty() ? parent : parent + "." + field, getMessage());
  }
}
