package com.vclick.core.edge.recording;

import com.vclick.media.api.Leg;
import com.vclick.media.api.ProxiedCall;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
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

  /** When each leg's media reached the media server ({@code MediaFlowing}, {@code LegFailed}). */
  final LegMedia media = new LegMedia();

  /**
   * A finished recording is being handed to the journal; left true when that failed, so the session
   * is not settled without it (the reconciliation finds its files instead).
   */
  volatile boolean unfiled;

  /** The legs the media server reported failed ({@code LegFailed}). */
  final Set<Leg> failedLegs = ConcurrentHashMap.newKeySet();

  /** The page's side was told that the server stopped the call (told once). */
  final AtomicBoolean stopAnnounced = new AtomicBoolean();

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

  SessionFacts facts(String failMode) {
    return new SessionFacts(
        id, userId, username, displayName, connectionId, decisionId, origin, failMode, openedAt);
  }

  void touch(Instant now) {
    lastUsed.set(now);
  }

  Instant lastUsed() {
    return lastUsed.get();
  }
}
