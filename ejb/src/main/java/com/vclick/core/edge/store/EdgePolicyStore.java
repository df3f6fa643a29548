package com.vclick.core.edge.store;

import com.vclick.core.edge.EdgePolicy;
import com.vclick.core.edge.json.EdgePolicyJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Secure Edge policy in force. Decisions are frequent and changes rare, so the policy is held
 * in memory: a change made here replaces the copy at once; a change made by another cluster member
 * is noticed within {@link #RECHECK}, when the copy's version is compared with the stored one (a
 * primary-key read) and the policy re-read only if they differ. Until the first change the shipped
 * policy ({@link EdgePolicy#shipped()}) applies, as version 0.
 */
@ApplicationScoped
public class EdgePolicyStore {

  /** How long the copy is used before its version is checked against the database. */
  static final Duration RECHECK = Duration.ofSeconds(5);

  @Inject EdgePolicyRepository repository;
  @Inject Clock clock;

  private final AtomicReference<Copy> copy = new AtomicReference<>();

  private record Copy(VersionedPolicy policy, Instant checkedAt) {}

  /** The policy in force and its version. */
  public VersionedPolicy current() {
    Instant now = clock.instant();
    Copy held = copy.get();
    if (held != null && now.isBefore(held.checkedAt().plus(RECHECK))) {
      return held.policy();
    }
    VersionedPolicy read =
        held != null && repository.version() == held.policy().version()
            ? held.policy()
            : repository.load();
    return keep(read, now).policy();
  }

  /**
   * Replaces the whole policy atomically and audits the change.
   *
   * @param actor the administrator's user id, for the audit trail
   * @param expectedVersion the version the administrator edited
   * @throws com.vclick.core.edge.PolicyValidationException when the policy would not read back
   *     (beyond the limits of its JSON form); nothing is written
   * @throws StalePolicyVersionException when the policy changed since that version; nothing is
   *     written
   */
  public VersionedPolicy replace(String actor, EdgePolicy policy, long expectedVersion) {
    // What is written must read back: the same validation a stored rule gets on every load.
    EdgePolicyJson.policy(EdgePolicyJson.document(policy, expectedVersion));
    VersionedPolicy saved = repository.replace(actor, policy, expectedVersion);
    keep(saved, clock.instant());
    return saved;
  }

  /**
   * Keeps a copy unless a newer one is held already (a slow re-read must not undo a change), and
   * returns the copy held.
   */
  private Copy keep(VersionedPolicy policy, Instant checkedAt) {
    Copy fresh = new Copy(policy, checkedAt);
    return copy.accumulateAndGet(
        fresh,
        (held, candidate) ->
            held != null && held.policy().version() > candidate.policy().version()
                ? held
                : candidate);
  }
}
