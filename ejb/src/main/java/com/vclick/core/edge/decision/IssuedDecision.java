package com.vclick.core.edge.decision;

import com.vclick.core.edge.EdgeDecision;
import com.vclick.core.turn.TurnCredentials;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A decision as issued to a caller and recorded.
 *
 * @param decisionId the id it is recorded under (a UUID)
 * @param decision what the policy decided, and why
 * @param policyVersion the version of the policy that decided
 * @param decidedAt when (millisecond precision, as stored)
 * @param turn relay credentials bound to the caller and the origin, for relay and record
 * @param explanation the decision's explanation, preceded by any caveat about the caller's groups
 */
public record IssuedDecision(
    String decisionId,
    EdgeDecision decision,
    long policyVersion,
    Instant decidedAt,
    Optional<TurnCredentials> turn,
    List<String> explanation) {

  public IssuedDecision {
    explanation = List.copyOf(explanation);
  }
}
