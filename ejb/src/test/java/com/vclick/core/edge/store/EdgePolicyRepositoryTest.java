package com.vclick.core.edge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.core.edge.EdgeDecisionKind;
import com.vclick.core.edge.EdgeOutcome;
import com.vclick.core.edge.EdgePolicy;
import com.vclick.core.edge.EdgeRule;
import com.vclick.core.edge.LocalSettings;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EdgePolicyRepositoryTest {

  private static EdgeRule rule(String id, boolean enabled, EdgeDecisionKind kind) {
    return new EdgeRule(
        id,
        "Rule " + id,
        enabled,
        Set.of(),
        Set.of(),
        List.of(),
        List.of(),
        new EdgeOutcome(kind, LocalSettings.defaults()));
  }

  @Test
  void theAuditSummaryCountsRulesAndPinsTheContent() {
    EdgePolicy policy =
        new EdgePolicy(
            List.of(
                rule("a", true, EdgeDecisionKind.DENY),
                rule("b", false, EdgeDecisionKind.ALLOW),
                rule("c", true, EdgeDecisionKind.DENY)),
            EdgeOutcome.shippedDefault());

    String summary = EdgePolicyRepository.summary(policy, 4);

    assertTrue(
        summary.startsWith(
            "version=4 rules=3 enabled=2 deny=2 relay=0 allow=1 record=0 default=relay sha256="),
        summary);
    assertTrue(summary.matches(".* sha256=[0-9a-f]{64}"), summary);
    assertNotEquals(
        sha256Of(summary), sha256Of(EdgePolicyRepository.summary(EdgePolicy.shipped(), 4)));
    assertEquals(summary, EdgePolicyRepository.summary(policy, 4));
  }

  private static String sha256Of(String summary) {
    return summary.substring(summary.indexOf("sha256="));
  }
}
