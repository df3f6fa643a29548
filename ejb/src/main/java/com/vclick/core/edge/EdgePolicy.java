package com.vclick.core.edge;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Secure Edge policy: rules in order and a default outcome. {@link #decide} gives the outcome
 * of the first enabled rule whose conditions all hold, else the default; a page origin that is not
 * a valid http(s) origin is denied with everything blocked, whatever the rules say (fail closed).
 *
 * @param rules the rules, first match wins; ids unique
 * @param defaultOutcome what applies when no rule does
 */
public record EdgePolicy(List<EdgeRule> rules, EdgeOutcome defaultOutcome) {

  public EdgePolicy {
    if (rules == null) {
      rules = List.of();
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < rules.size(); i++) {
      EdgeRule rule = rules.get(i);
      if (rule == null) {
        throw new PolicyValidationException("rules[" + i + "]", "A rule is missing.");
      }
      Integer first = seen.putIfAbsent(rule.id(), i);
      if (first != null) {
        throw new PolicyValidationException(
            "rules[" + i + "].id",
            "The rule id \"" + rule.id() + "\" is already used by rule " + (first + 1) + ".");
      }
    }
    rules = List.copyOf(rules);
    if (defaultOutcome == null) {
      throw new PolicyValidationException("defaultOutcome", "A default outcome is required.");
    }
  }

  /**
   * The policy a new installation starts with: no rules, and every origin relayed through the
   * enterprise TURN server with the relay-only candidate filter and nothing blocked.
   *
   * <p>Why relay and not deny or allow: relaying is the most restrictive default under which WebRTC
   * still works. No private or public address of the user reaches any page, all media crosses the
   * border through the enterprise relay (which the border firewall expects: it drops other UDP)
   * with credentials bound to the user and origin, so every connection is attributable and logged.
   * A deny default would break every conferencing site the bank has not yet listed, pushing staff
   * to unmanaged devices where nothing is logged; an allow default would leak internal addresses
   * and bypass the border until someone writes rules. Administrators then deny or allow by rule.
   */
  public static EdgePolicy shipped() {
    return new EdgePolicy(List.of(), EdgeOutcome.shippedDefault());
  }

  /** The rule with that id. */
  public Optional<EdgeRule> rule(String id) {
    return rules.stream().filter(rule -> rule.id().equals(id)).findFirst();
  }

  /**
   * Decides for a page's origin as the browser reported it.
   *
   * @param subject who asks
   * @param origin the page's origin, e.g. {@code https://meet.example.com}; anything that is not an
   *     http(s) origin (null, {@code "null"}, {@code data:}, {@code file:}) is denied
   * @param at the instant the decision is for (the caller's clock)
   */
  public EdgeDecision decide(EdgeSubject subject, String origin, Instant at) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(at, "at");
    PageOrigin page;
    try {
      page = PageOrigin.parse(origin);
    } catch (PolicyValidationException e) {
      return new EdgeDecision(
          EdgeDecisionKind.DENY,
          LocalSettings.lockedDown(),
          EdgeDecision.Basis.MALFORMED_ORIGIN,
          null,
          "Malformed origin",
          null,
          List.of(
              e.getMessage(),
              "WebRTC is denied on a page whose origin cannot be checked (fail closed)."));
    }
    return decide(subject, page, at);
  }

  /** Decides for a parsed page origin. */
  public EdgeDecision decide(EdgeSubject subject, PageOrigin origin, Instant at) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(at, "at");
    List<String> explanation = new ArrayList<>();
    explanation.add("Deciding for " + subject.username() + " on " + origin + " at " + at + ".");
    for (int i = 0; i < rules.size(); i++) {
      EdgeRule rule = rules.get(i);
      String label = "Rule " + (i + 1) + " \"" + rule.name() + "\"";
      if (!rule.enabled()) {
        explanation.add(label + " skipped: it is disabled.");
        continue;
      }
      List<String> mismatches = rule.mismatches(subject, origin, at);
      if (!mismatches.isEmpty()) {
        explanation.add(label + " skipped: " + String.join("; ", mismatches) + ".");
        continue;
      }
      explanation.add(label + " matched: " + rule.outcome().describe() + ".");
      int later = rules.size() - i - 1;
      if (later > 0) {
        explanation.add(
            later + (later == 1 ? " later rule was" : " later rules were") + " not evaluated.");
      }
      return new EdgeDecision(
          rule.outcome().kind(),
          rule.outcome().settings(),
          EdgeDecision.Basis.RULE,
          rule.id(),
          rule.name(),
          origin.toString(),
          explanation);
    }
    explanation.add(
        (rules.isEmpty() ? "The policy has no rules" : "No rule matched")
            + "; the default applies: "
            + defaultOutcome.describe()
            + ".");
    return new EdgeDecision(
        defaultOutcome.kind(),
        defaultOutcome.settings(),
        EdgeDecision.Basis.DEFAULT,
        EdgeDecision.DEFAULT_RULE_ID,
        "Default",
        origin.toString(),
        explanation);
  }
}
