package com.vclick.core.edge.decision;

import java.time.Instant;

/**
 * Which recorded decisions to read, newest first.
 *
 * @param userId only this user's; null for everyone's
 * @param before only decisions made before this instant (paging); null for the newest
 * @param limit at most this many, 1 to {@link #MAX_LIMIT}
 */
public record EdgeDecisionQuery(String userId, Instant before, int limit) {

  public static final int MAX_LIMIT = 500;

  public EdgeDecisionQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT);
    }
  }
}
