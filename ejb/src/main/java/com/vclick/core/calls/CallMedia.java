package com.vclick.core.calls;

import java.util.Locale;

/** What the caller asked for. */
public enum CallMedia {
  VIDEO,
  AUDIO;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code video} or {@code audio}; anything else is refused. */
  public static CallMedia fromWireName(String name) {
    return switch (name) {
      case "video" -> VIDEO;
      case "audio" -> AUDIO;
      default -> throw new IllegalArgumentException("media must be video or audio");
    };
  }
}
