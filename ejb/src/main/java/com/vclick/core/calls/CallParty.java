package com.vclick.core.calls;

import java.time.Instant;
import java.util.Objects;

/**
 * One person's place in a {@link Call}, immutable. A person invited again after leaving gets a new
 * entry, so each entry is one stretch of taking part.
 *
 * @param party who
 * @param state ringing, joined or left
 * @param connection the connection the call's messages for this party go to (the caller's inviting
 *     connection, an invitee's answering one, or one that resumed); null before the answer and
 *     while the party's socket is down
 * @param invitedBy the user id of the party who invited this one; null for the one who called
 * @param ref the inviter's correlation id of the invite ({@code call.add}'s or {@code
 *     call.invite}'s), or null
 * @param invitedAt when rung (for the one who called: when the call started)
 * @param joinedAt when joined, or null
 * @param leftAt when left or when the invite ended, or null
 * @param reason why the party left or the invite ended, or null
 * @param detachedSince since when a joined party has no bound connection, or null
 */
public record CallParty(
    Party party,
    PartyState state,
    String connection,
    String invitedBy,
    String ref,
    Instant invitedAt,
    Instant joinedAt,
    Instant leftAt,
    EndReason reason,
    Instant detachedSince) {

  public CallParty {
    Objects.requireNonNull(party, "party");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(invitedAt, "invitedAt");
  }

  /** The one who calls: joined from the start, bound to the inviting connection. */
  static CallParty caller(Party party, String connection, Instant now) {
    return new CallParty(
        party, PartyState.JOINED, connection, null, null, now, now, null, null, null);
  }

  /** Someone invited, ringing. */
  static CallParty invited(Party party, String invitedBy, String ref, Instant now) {
    return new CallParty(
        party, PartyState.RINGING, null, invitedBy, ref, now, null, null, null, null);
  }

  public String userId() {
    return party.userId();
  }

  /** Ringing or joined: still part of the call. */
  public boolean isIn() {
    return state != PartyState.LEFT;
  }

  public boolean isJoined() {
    return state == PartyState.JOINED;
  }

  public boolean isRinging() {
    return state == PartyState.RINGING;
  }

  CallParty joined(String boundConnection, Instant now) {
    return new CallParty(
        party,
        PartyState.JOINED,
        boundConnection,
        invitedBy,
        ref,
        invitedAt,
        now,
        null,
        null,
        null);
  }

  CallParty left(EndReason why, Instant now) {
    return new CallParty(
        party, PartyState.LEFT, connection, invitedBy, ref, invitedAt, joinedAt, now, why, null);
  }

  /**
   * Binds (or with null unbinds) the party's connection; tracks since when a joined one lacks it.
   */
  CallParty withConnection(String bound, Instant now) {
    Instant since =
        state == PartyState.JOINED && bound == null
            ? (detachedSince != null ? detachedSince : now)
            : null;
    return new CallParty(
        party, state, bound, invitedBy, ref, invitedAt, joinedAt, leftAt, reason, since);
  }
}
