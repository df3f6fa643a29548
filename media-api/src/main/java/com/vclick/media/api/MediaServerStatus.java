package com.vclick.media.api;

/**
 * The answer of a {@link MediaServer#probe()}.
 *
 * @param reachable whether the media server answered
 * @param detail a short human-readable detail (version or error kind), never a secret
 */
public record MediaServerStatus(boolean reachable, String detail) {

  public static MediaServerStatus up(String detail) {
    return new MediaServerStatus(true, detail);
  }

  public static MediaServerStatus down(String detail) {
    return new MediaServerStatus(false, detail);
  }
}
