package com.vclick.core.edge.store;

import com.vclick.core.edge.EdgeRule;
import com.vclick.core.edge.json.EdgePolicyJson;
import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One rule of the stored policy at its position. Id, position, name, enabled flag and decision are
 * columns (what reports and the decision log refer to); the condition lists and local settings are
 * the rule's {@link EdgePolicyJson#definition JSON definition}, validated by the domain whenever
 * the row is read back.
 */
@Entity
@Table(name = "edge_rule")
@Cacheable(false)
public class EdgeRuleRow {

  @Id
  @Column(name = "rule_id", length = 64)
  private String ruleId;

  @Column(nullable = false, unique = true)
  private int position;

  @Column(nullable = false, length = 120)
  private String name;

  @Column(nullable = false)
  private boolean enabled;

  @Column(nullable = false, length = 10)
  private String decision;

  @Column(nullable = false, length = 1_000_000)
  private String definition;

  protected EdgeRuleRow() {}

  EdgeRuleRow(EdgeRule rule, int position) {
    this.ruleId = rule.id();
    this.position = position;
    this.name = rule.name();
    this.enabled = rule.enabled();
    this.decision = rule.outcome().kind().wireName();
    this.definition = EdgePolicyJson.definition(rule).toString();
  }

  /**
   * The rule, validated as if an administrator had just sent it.
   *
   * @param path where it sits in the policy, for errors: {@code rules[2]}
   */
  EdgeRule toRule(String path) {
    return EdgePolicyJson.storedRule(ruleId, name, enabled, decision, definition, path);
  }
}
