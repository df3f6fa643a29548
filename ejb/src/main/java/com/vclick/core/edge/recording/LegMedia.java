package com.vclick.core.edge.recording;

import com.vclick.media.api.Leg;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * When each leg's media reached the media server, from its events: the first {@code MediaFlowing}
 * of a leg starts its stretch, its {@code LegFailed} (or the end of the call) ends it. What a
 * recording of {@code [startedAt, stoppedAt]} holds of each leg is the overlap. Thread-safe.
 */
final class LegMedia {

  private final Map<Leg, Instant> from = new EnumMap<>(Leg.class);
  private final Map<Leg, Instant> until = new EnumMap<>(Leg.class);

  synchronized void flowing(Leg leg, Instant at) {
    from.putIfAbsent(leg, at);
    until.remove(leg); // flowing again (a renegotiated leg)
  }

  synchronized void ended(Leg leg, Instant at) {
    if (from.containsKey(leg)) {
      until.putIfAbsent(leg, at);
    }
  }

  synchronized boolean flowed(Leg leg) {
    return from.containsKey(leg);
  }

  /**
   * How long {@code leg}'s media reached the media server within {@code [start, stop]}; null when
   * it never did in that time.
   */
  synchronized Duration within(Leg leg, Instant start, Instant stop) {
    Instant first = from.get(leg);
    if (first == null) {
      return null;
    }
    Instant last = until.getOrDefault(leg, stop);
    Instant a = first.isAfter(start) ? first : start;
    Instant b = last.isBefore(stop) ? last : stop;
    return b.isAfter(a) ? Duration.between(a, b) : null;
  }
}
