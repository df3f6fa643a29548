package com.vclick.core.edge.decision;

import com.vclick.core.directory.Directory;
import com.vclick.core.edge.EdgeDecision;
import com.vclick.core.edge.EdgeSubject;
import com.vclick.core.edge.store.EdgePolicyStore;
import com.vclick.core.edge.store.VersionedPolicy;
import com.vclick.core.identity.Caller;
import com.vclick.core.turn.TurnCredentials;
import com.vclick.core.turn.TurnService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides what Secure Edge lets a caller do with WebRTC on a page origin, with the policy in force
 * and the caller's groups from the directory; mints relay credentials bound to the caller and the
 * origin when the decision relays; records every decision (one insert) under a new id.
 */
@ApplicationScoped
public class EdgeDecisions {

  private static final Logger LOG = Logger.getLogger(EdgeDecisions.class.getName());

  @Inject EdgePolicyStore policies;
  @Inject Directory directory;
  @Inject TurnService turn;
  @Inject EdgeDecisionLog log;
  @Inject Clock clock;

  /**
   * Decides for the caller now. Groups come from the directory; when it cannot say, the decision is
   * made with no groups (rules on groups cannot match, every other rule still applies) and the
   * explanation starts with why.
   *
   * @param origin the page's origin as the browser reported it; a malformed one is denied
   * @throws com.vclick.core.turn.RelayUnavailableException when the decision relays and no TURN
   *     secret is configured (nothing is recorded)
   * @throws com.vclick.core.turn.MintRateLimitedException when the caller asked for decisions and
   *     relay credentials faster than {@code vclick.turn.mint-*} allow (nothing is recorded)
   */
  public IssuedDecision decide(Caller caller, String origin) {
    turn.checkRate(caller.subject());
    return decide(caller, groupsOf(caller), origin, clock.instant());
  }

  /** Decides for the caller with the given groups at the given instant, and records it. */
  public IssuedDecision decide(Caller caller, CallerGroups groups, String origin, Instant now) {
    Instant decidedAt = now.truncatedTo(ChronoUnit.MILLIS);
    VersionedPolicy policy = policies.current();
    EdgeDecision decision =
        policy.policy().decide(EdgeSubject.of(caller, groups.names()), origin, decidedAt);
    Optional<TurnCredentials> credentials =
        decision.kind().requiresRelay()
            ? Optional.of(turn.mintForOrigin(caller.subject(), OriginTag.of(decision.origin())))
            : Optional.empty();
    List<String> explanation = new ArrayList<>();
    groups.caveat().ifPresent(explanation::add);
    explanation.addAll(decision.explanation());
    IssuedDecision issued =
        new IssuedDecision(
            UUID.randomUUID().toString(),
            decision,
            policy.version(),
            decidedAt,
            credentials,
            explanation);
    String recordedOrigin = decision.origin() != null ? decision.origin() : String.valueOf(origin);
    log.record(
        new EdgeDecisionRecord(
            issued,
            caller.subject(),
            recordedOrigin,
            credentials.map(TurnCredentials::username).orElse(null)));
    return issued;
  }

  /** The caller's groups, or none with a caveat; never fails. */
  CallerGroups groupsOf(Caller caller) {
    try {
      return directory
          .find(caller.subject())
          .map(entry -> CallerGroups.known(entry.groups()))
          .orElseGet(
              () ->
                  CallerGroups.unknown(
                      "The directory does not list "
                          + caller.username()
                          + " (yet): deciding as if they were in no group."));
    } catch (RuntimeException e) {
      // DirectoryUnavailableException, wrapped in an EJBException by the container.
      LOG.log(Level.WARNING, "Directory unavailable for a Secure Edge decision: {0}", e.toString());
      return CallerGroups.unknown(
          "The directory is unavailable: deciding as if "
              + caller.username()
              + " were in no group, so rules on groups cannot match.");
    }
  }
}
