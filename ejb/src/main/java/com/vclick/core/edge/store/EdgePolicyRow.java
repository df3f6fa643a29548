package com.vclick.core.edge.store;

import com.vclick.core.edge.EdgeOutcome;
import com.vclick.core.edge.json.EdgePolicyJson;
import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/**
 * The single row of the policy: its version and default outcome. Locked for every replacement, so
 * that comparing and advancing the version is atomic on every database and cluster member. Not held
 * in the shared JPA cache: another member may have changed it.
 */
@Entity
@Table(name = "edge_policy")
@Cacheable(false)
public class EdgePolicyRow {

  static final int ID = 1;

  @Id private int id;

  @Column(nullable = false)
  private long version;

  @Column(name = "default_decision", length = 10)
  private String defaultDecision;

  @Column(name = "default_settings", length = 8000)
  private String defaultSettings;

  @Column(name = "changed_at")
  private Instant changedAt;

  @Column(name = "changed_by", length = 64)
  private String changedBy;

  protected EdgePolicyRow() {}

  long version() {
    return version;
  }

  /** The stored default outcome; empty before the first change (the shipped default applies). */
  Optional<EdgeOutcome> defaultOutcome() {
    if (defaultDecision == null) {
      return Optional.empty();
    }
    return Optional.of(EdgePolicyJson.storedOutcome(defaultDecision, defaultSettings, "default"));
  }

  /** Records a replacement: the new default, who and when, and the next version. */
  void replaced(EdgeOutcome outcome, String actor, Instant at) {
    defaultDecision = outcome.kind().wireName();
    defaultSettings = EdgePolicyJson.settings(outcome.settings()).toString();
    changedBy = actor;
    changedAt = at;
    version++;
  }
}
