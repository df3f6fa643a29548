package com.vclick.core.edge.store;

import com.vclick.core.audit.AuditTrail;
import com.vclick.core.edge.EdgeDecisionKind;
import com.vclick.core.edge.EdgeOutcome;
import com.vclick.core.edge.EdgePolicy;
import com.vclick.core.edge.EdgeRule;
import com.vclick.core.edge.PolicyValidationException;
import com.vclick.core.edge.json.EdgePolicyJson;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Reads and replaces the stored policy in the database; {@link EdgePolicyStore} is the way in. */
@Stateless
public class EdgePolicyRepository {

  static final String AUDIT_ACTION = "edge.policy.changed";
  static final String AUDIT_TARGET = "edge-policy";
  private static final int MAX_READS = 10;

  @PersistenceContext(unitName = "vclick")
  EntityManager em;

  @Inject AuditTrail audit;
  @Inject Clock clock;

  /** The stored version: one primary-key read. */
  public long version() {
    return em.createQuery("SELECT p.version FROM EdgePolicyRow p WHERE p.id = :id", Long.class)
        .setParameter("id", EdgePolicyRow.ID)
        .getSingleResult();
  }

  /**
   * The stored policy, validated rule by rule; the shipped policy while nothing was stored.
   *
   * @throws IllegalStateException when a stored rule is no longer valid (edited by hand)
   */
  public VersionedPolicy load() {
    for (int attempt = 1; ; attempt++) {
      EdgePolicyRow row = row(LockModeType.NONE);
      List<EdgeRuleRow> rows =
          em.createQuery("SELECT r FROM EdgeRuleRow r ORDER BY r.position", EdgeRuleRow.class)
              .getResultList();
      // Rules and version must belong together: a replacement committed in between shows as a
      // newer version, and the reading starts again.
      if (version() == row.version()) {
        return build(row, rows);
      }
      if (attempt == MAX_READS) {
        throw new IllegalStateException("The Secure Edge policy kept changing while being read");
      }
      em.clear();
    }
  }

  private static VersionedPolicy build(EdgePolicyRow row, List<EdgeRuleRow> rows) {
    try {
      List<EdgeRule> rules = new ArrayList<>(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        rules.add(rows.get(i).toRule("rules[" + i + "]"));
      }
      EdgeOutcome fallback = row.defaultOutcome().orElse(EdgeOutcome.shippedDefault());
      return new VersionedPolicy(new EdgePolicy(rules, fallback), row.version());
    } catch (PolicyValidationException e) {
      throw new IllegalStateException(
          "The stored Secure Edge policy (version "
              + row.version()
              + ") is invalid at "
              + e.field()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Replaces the whole policy if {@code expectedVersion} is still the stored one, and audits the
   * change, in a transaction of its own: when this returns, the change is committed.
   *
   * @param actor the administrator's user id
   * @throws StalePolicyVersionException when the stored version is another; nothing is written
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public VersionedPolicy replace(String actor, EdgePolicy policy, long expectedVersion) {
    EdgePolicyRow row = row(LockModeType.PESSIMISTIC_WRITE);
    if (row.version() != expectedVersion) {
      throw new StalePolicyVersionException(expectedVersion, row.version());
    }
    em.createQuery("DELETE FROM EdgeRuleRow r").executeUpdate();
    List<EdgeRule> rules = policy.rules();
    for (int i = 0; i < rules.size(); i++) {
      em.persist(new EdgeRuleRow(rules.get(i), i + 1));
    }
    row.replaced(policy.defaultOutcome(), actor, clock.instant().truncatedTo(ChronoUnit.MILLIS));
    audit.append(actor, AUDIT_ACTION, AUDIT_TARGET, summary(policy, row.version()));
    return new VersionedPolicy(policy, row.version());
  }

  private EdgePolicyRow row(LockModeType lock) {
    EdgePolicyRow row = em.find(EdgePolicyRow.class, EdgePolicyRow.ID, lock);
    if (row == null) {
      throw new IllegalStateException("edge_policy row missing: migrations did not run");
    }
    return row;
  }

  /**
   * For the audit trail: {@code version=4 rules=3 enabled=3 deny=1 relay=0 allow=1 record=1
   * default=relay sha256=…}, the hash over the policy's canonical JSON, so that the entry pins the
   * exact content without repeating it.
   */
  static String summary(EdgePolicy policy, long version) {
    Map<EdgeDecisionKind, Integer> kinds = new EnumMap<>(EdgeDecisionKind.class);
    for (EdgeDecisionKind kind : EdgeDecisionKind.values()) {
      kinds.put(kind, 0);
    }
    policy.rules().forEach(rule -> kinds.merge(rule.outcome().kind(), 1, Integer::sum));
    StringBuilder summary =
        new StringBuilder("version=")
            .append(version)
            .append(" rules=")
            .append(policy.rules().size())
            .append(" enabled=")
            .append(policy.rules().stream().filter(EdgeRule::enabled).count());
    kinds.forEach(
        (kind, count) -> summary.append(' ').append(kind.wireName()).append('=').append(count));
    return summary
        .append(" default=")
        .append(policy.defaultOutcome().kind().wireName())
        .append(" sha256=")
        .append(sha256(EdgePolicyJson.content(policy).toString()))
        .toString();
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
