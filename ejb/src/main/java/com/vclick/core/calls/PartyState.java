package com.vclick.core.calls;

import java.util.Locale;

/** Where one party of a call is: {@code RINGING → JOINED → LEFT}, or {@code RINGING → LEFT}. */
public enum PartyState {
  /** Invited and rung; not answered yet. */
  RINGING,
  /** Answered (the one who called is joined from the start). */
  JOINED,
  /** Left, or the invite ended without an answer ({@link CallParty#reason()} says why). */
  LEFT;

  /** The name on the wire ({@code call.parties}). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
