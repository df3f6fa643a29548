package com.vclick.core.calls;

/** What one step of the {@link CallBook} did to a call, for telling the parties. */
public sealed interface CallChange {

  /** The call as it is after the change. */
  Call call();

  /** The whole call is over ({@link Call#endReason()}). */
  record Ended(Call call) implements CallChange {}

  /** One invite ended without an answer; the call goes on ({@link CallParty#reason()} says why). */
  record InviteEnded(Call call, CallParty invitee) implements CallChange {}

  /** A joined party left; the others go on. */
  record Left(Call call, CallParty party) implements CallChange {}
}
