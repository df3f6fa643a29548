package com.vclick.core.edge;

import java.util.List;
import java.util.Objects;

/**
 * What Secure Edge decided for one user on one origin at one instant, and why.
 *
 * @param kind deny, relay, allow or record
 * @param settings the local settings the wrapper enforces
 * @param basis whether a rule, the default or a malformed origin decided
 * @param ruleId the id of the rule that matched; {@link #DEFAULT_RULE_ID} for the default; null for
 *     a malformed origin
 * @param ruleName the name of the rule that matched, {@code "Default"} or {@code "Malformed
 *     origin"}
 * @param origin the normalised origin; null when it was malformed
 * @param explanation sentences saying which rules were skipped and why, and which one decided
 */
public record EdgeDecision(
    EdgeDecisionKind kind,
    LocalSettings settings,
    Basis basis,
    String ruleId,
    String ruleName,
    String origin,
    List<String> explanation) {

  /** The rule id a decision by the policy's default carries. */
  public static final String DEFAULT_RULE_ID = "default";

  /** What produced a decision. */
  public enum Basis {
    /** The first enabled rule whose conditions held. */
    RULE,
    /** No rule applied; the policy's default outcome. */
    DEFAULT,
    /** The origin could not be parsed as an http(s) origin: denied, fail closed. */
    MALFORMED_ORIGIN
  }

  public EdgeDecision {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(basis, "basis");
    Objects.requireNonNull(ruleName, "ruleName");
    if ((basis == Basis.MALFORMED_ORIGIN) != (ruleId == null)) {
      throw new IllegalArgumentException("ruleId must be null exactly for a malformed origin");
    }
    if ((basis == Basis.MALFORMED_ORIGIN) != (origin == null)) {
      throw new IllegalArgumentException("origin must be null exactly for a malformed origin");
    }
    explanation = List.copyOf(explanation);
  }

  /** Whether the page may use WebRTC at all. */
  public boolean allowsWebRtc() {
    return kind != EdgeDecisionKind.DENY;
  }
}
