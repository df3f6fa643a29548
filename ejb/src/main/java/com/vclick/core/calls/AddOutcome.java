package com.vclick.core.calls;

/** What a {@code call.add} led to. */
public sealed interface AddOutcome {

  Call call();

  CallParty invitee();

  /** The invitee's connections are to be told; the invite rings. */
  record Ringing(Call call, CallParty invitee) implements AddOutcome {}

  /**
   * The invite ended at once ({@link EndReason#BUSY} or {@link EndReason#OFFLINE} in {@link
   * CallParty#reason()}); the call is unchanged.
   */
  record EndedAtOnce(Call call, CallParty invitee) implements AddOutcome {}
}
