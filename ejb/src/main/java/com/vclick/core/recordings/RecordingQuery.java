package com.vclick.core.recordings;

import java.time.Instant;

/**
 * Which recordings to list, newest first (by {@code startedAt}).
 *
 * @param participant only recordings this user takes part in; null for everyone's
 * @param origin only recordings of this origin (exact); null for any
 * @param from only recordings that started at or after this; null for no bound
 * @param to only recordings that started before this; null for no bound
 * @param before only recordings that started before this (paging); null for the newest
 * @param limit at most this many, 1 to {@link #MAX_LIMIT}
 */
public record RecordingQuery(
    String participant, String origin, Instant from, Instant to, Instant before, int limit) {

  public static final int MAX_LIMIT = 500;

  public RecordingQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT);
    }
  }
}
