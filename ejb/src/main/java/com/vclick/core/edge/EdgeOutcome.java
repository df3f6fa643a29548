package com.vclick.core.edge;

/**
 * What a rule (or the policy's default) decides: the kind and the local settings the wrapper
 * enforces. A relay or record outcome needs a candidate filter that forces the relay ({@code
 * relay-only} or {@code mode-4}): anything else would let media bypass the enterprise relay.
 *
 * @param kind deny, relay, allow or record
 * @param settings the local settings (kept for a deny too, so switching a rule back keeps them)
 */
public record EdgeOutcome(EdgeDecisionKind kind, LocalSettings settings) {

  public EdgeOutcome {
    if (kind == null) {
      throw new PolicyValidationException(
          "kind", "A decision (deny, relay, allow, record) is required.");
    }
    if (settings == null) {
      throw new PolicyValidationException("settings", "Local settings are required.");
    }
    if (kind.requiresRelay() && !settings.candidateFilterMode().forcesRelayTransport()) {
      throw new PolicyValidationException(
          "settings.candidateFilterMode",
          "A "
              + kind.wireName()
              + " decision sends media only through the enterprise relay: use the candidate filter"
              + " relay-only or mode-4.");
    }
  }

  /**
   * The default of a shipped policy: relay through the enterprise TURN server, relay-only, nothing
   * blocked. See {@link EdgePolicy#shipped()} for why.
   */
  public static EdgeOutcome shippedDefault() {
    return new EdgeOutcome(EdgeDecisionKind.RELAY, LocalSettings.defaults());
  }

  /** For explanations: {@code relay through the enterprise TURN server, candidate filter …}. */
  public String describe() {
    String what =
        switch (kind) {
          case DENY -> "deny (no WebRTC on this origin)";
          case RELAY -> "relay through the enterprise TURN server";
          case ALLOW -> "allow (the page's own servers)";
          case RECORD -> "record (relay through the enterprise TURN server and record)";
        };
    return what + ", " + settings.describe();
  }
}
