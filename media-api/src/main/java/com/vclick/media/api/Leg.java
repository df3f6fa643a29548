package com.vclick.media.api;

/**
 * The two sides of a {@link ProxiedCall}: the media server is the man in the middle between them, a
 * separate WebRTC peer toward each.
 */
public enum Leg {
  /** The enterprise user's browser: its real connection, under the Secure Edge wrapper. */
  ENTERPRISE,
  /** The other party, reached through the website's own signaling (it never knows). */
  FAR_END;

  /** The other leg. */
  public Leg other() {
    return this == ENTERPRISE ? FAR_END : ENTERPRISE;
  }
}
