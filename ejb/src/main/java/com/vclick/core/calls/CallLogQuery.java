package com.vclick.core.calls;

import java.time.Instant;

/**
 * Which calls to read, newest first.
 *
 * @param userId only calls this person took part in; null for everyone's (edge-admin)
 * @param before only calls started before this instant (paging); null for the newest
 * @param limit at most this many, 1 to {@link #MAX_LIMIT}
 */
public record CallLogQuery(String userId, Instant before, int limit) {

  public static final int MAX_LIMIT = 500;

  public CallLogQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT);
    }
  }
}
