package com.vclick.core.edge.decision;

import com.vclick.core.edge.EdgeDecisionKind;
import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/**
 * One recorded decision: who, which origin, what was decided by which rule of which policy version,
 * when, and the relay username issued with it. Written once, never changed, rarely read: kept out
 * of the shared JPA cache.
 */
@Entity
@Cacheable(false)
@Table(name = "edge_decision")
public class EdgeDecisionRecord {

  static final int MAX_ORIGIN_LENGTH = 2048;

  @Id
  @Column(name = "decision_id", length = 36)
  private String decisionId;

  @Column(name = "user_id", nullable = false, length = 64)
  private String userId;

  @Column(nullable = false, length = MAX_ORIGIN_LENGTH)
  private String origin;

  @Column(nullable = false, length = 10)
  private String decision;

  @Column(name = "rule_id", length = 64)
  private String ruleId;

  @Column(name = "rule_name", nullable = false, length = 120)
  private String ruleName;

  @Column(name = "policy_version", nullable = false)
  private long policyVersion;

  @Column(name = "decided_at", nullable = false)
  private Instant decidedAt;

  @Column(name = "turn_username", length = 200)
  private String turnUsername;

  protected EdgeDecisionRecord() {}

  /**
   * @param origin the normalised origin, or the text the caller sent when it was malformed
   * @param turnUsername the relay username issued with the decision; null when none
   */
  EdgeDecisionRecord(IssuedDecision issued, String userId, String origin, String turnUsername) {
    this.decisionId = issued.decisionId();
    this.userId = userId;
    this.origin =
        origin.length() <= MAX_ORIGIN_LENGTH ? origin : origin.substring(0, MAX_ORIGIN_LENGTH);
    this.decision = issued.decision().kind().wireName();
    this.ruleId = issued.decision().ruleId();
    this.ruleName = issued.decision().ruleName();
    this.policyVersion = issued.policyVersion();
    this.decidedAt = issued.decidedAt();
    this.turnUsername = turnUsername;
  }

  public String decisionId() {
    return decisionId;
  }

  public String userId() {
    return userId;
  }

  /** The normalised origin; for a malformed one, the text that was sent. */
  public String origin() {
    return origin;
  }

  public EdgeDecisionKind kind() {
    return EdgeDecisionKind.fromWireName(decision);
  }

  /** The rule that decided ({@code default} for the default); empty for a malformed origin. */
  public Optional<String> ruleId() {
    return Optional.ofNullable(ruleId);
  }

  /** The rule's name when it decided. */
  public String ruleName() {
    return ruleName;
  }

  public long policyVersion() {
    return policyVersion;
  }

  public Instant decidedAt() {
    return decidedAt;
  }

  public Optional<String> turnUsername() {
    return Optional.ofNullable(turnUsername);
  }
}
