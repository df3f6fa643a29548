package com.vclick.core.presence;

/** A person's reachability as shown on click-to-call icons and in the directory. */
public enum Presence {
  /** At least one connection open, not in a call. */
  ONLINE,
  /** At least one connection open and in a call. */
  BUSY,
  /** No connection open. */
  OFFLINE
}
