package com.vclick.core.edge.connections;

import java.time.Instant;

/**
 * Which calls to read, newest first.
 *
 * @param participant only calls this user has a connection in; null for everyone's
 * @param origin only calls with a connection on this origin (normalised); null for any
 * @param from only calls that started at or after this; null for no bound
 * @param to only calls that started before this; null for no bound
 * @param before only calls that started before this (paging); null for the newest
 * @param limit at most this many calls, 1 to {@link #MAX_LIMIT}
 */
public record EdgeCallQuery(
    String participant, String origin, Instant from, Instant to, Instant before, int limit) {

  public static final int MAX_LIMIT = 500;

  public EdgeCallQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT);
    }
  }
}
