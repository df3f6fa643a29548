package com.vclick.core.edge.connections;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a report did.
 *
 * @param accepted how many events the batch had (repeats included: they are accepted and change
 *     nothing)
 * @param peers for each connection of the batch that is paired, who is at its other end, in the
 *     batch's order
 * @param sampleEvery how often the extension is to sample each open connection
 */
public record ReportOutcome(int accepted, Map<String, PeerIdentity> peers, Duration sampleEvery) {

  public ReportOutcome {
    peers = Collections.unmodifiableMap(new LinkedHashMap<>(peers));
  }
}
