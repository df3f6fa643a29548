package com.vclick.core.edge.recording;

import java.util.Locale;

/** What a {@code record} call does when the media server cannot be had. */
public enum RecordingFailMode {
  /** The call is blocked (the page's connection fails): the default for regulated users. */
  BLOCK,
  /** The call goes ahead unrecorded, relayed as for {@code relay}, with an audit entry. */
  ALLOW_UNRECORDED;

  /** {@code block} or {@code allow-unrecorded}. */
  public static RecordingFailMode parse(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "block" -> BLOCK;
      case "allow-unrecorded" -> ALLOW_UNRECORDED;
      default ->
          throw new IllegalArgumentException(
              "vclick.recording.fail-mode must be block or allow-unrecorded, not " + text);
    };
  }
}
