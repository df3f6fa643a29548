package com.vclick.core.calls;

import java.time.Instant;

/**
 * One person's stretch in a call, as the call log keeps it.
 *
 * @param party who, named as they were then
 * @param invitedBy who invited them (user id), null for the one who called
 * @param invitedAt when rung (the one who called: when the call started)
 * @param joinedAt when they joined, null when they never did
 * @param leftAt when they left or their invite ended, null while in the call
 * @param reason why they left or never joined, null while in the call
 */
public record CallParticipant(
    Party party,
    String invitedBy,
    Instant invitedAt,
    Instant joinedAt,
    Instant leftAt,
    EndReason reason) {

  /** Whether this was a call the person missed (rung, never joined, not by their own choice). */
  public boolean missed() {
    return joinedAt == null && reason != null && reason.missedByCallee();
  }
}
