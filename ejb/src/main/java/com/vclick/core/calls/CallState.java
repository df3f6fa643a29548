package com.vclick.core.calls;

/** Where a call is in its life: {@code RINGING → ACTIVE → ENDED}, or {@code RINGING → ENDED}. */
public enum CallState {
  RINGING,
  ACTIVE,
  ENDED
}
