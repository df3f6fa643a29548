package com.vclick.core.edge.recording;

import com.vclick.media.api.Leg;
import com.vclick.media.api.ProxiedCall;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** One live recorded call: its media server call, its owner and when it was last used. */
final class RecordedCallSession {

  final String id;
  final String userId;
  final String username;
  final String displayName;
  final String connectionId;
  final String origin;
  final String decisionId;
  final Instant openedAt;
  final ProxiedCall call;

  /** The legs whose media reached the media server at least once ({@code MediaFlowing}). */
  final Set<Leg> flowed = ConcurrentHashMap.newKeySet();

  private final AtomicReference<Instant> lastUsed;

  RecordedCallSession(
      String id,
      RecordedCalls.Owner owner,
      String connectionId,
      String origin,
      String decisionId,
      Instant openedAt,
      ProxiedCall call) {
    this.id = id;
    this.userId = owner.userId();
    this.username = owner.username();
    this.displayName = owner.displayName();
    this.connectionId = connectionId;
    this.origin = origin;
    this.decisionId = decisionId;
    this.openedAt = openedAt;
    this.call = call;
    this.lastUsed = new AtomicReference<>(openedAt);
  }

  void touch(Instant now) {
    lastUsed.set(now);
  }

  Instant lastUsed() {
    return lastUsed.get();
  }
}
