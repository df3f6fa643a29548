package com.vclick.core.calls;

/** What an invite led to. */
public sealed interface InviteOutcome {

  Call call();

  /** The callee's connections are to be told; the call rings. */
  record Ringing(Call call) implements InviteOutcome {}

  /**
   * The invite crossed the callee's own ringing invite to the caller: that call is now active, the
   * inviting connection answered it.
   */
  record Merged(Call call) implements InviteOutcome {}

  /** The call ended at once ({@link EndReason#BUSY} or {@link EndReason#OFFLINE}). */
  record EndedAtOnce(Call call) implements InviteOutcome {}
}
