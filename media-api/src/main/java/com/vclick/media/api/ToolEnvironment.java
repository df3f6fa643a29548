package com.vclick.media.api;

import java.util.Map;
import java.util.Set;

/**
 * The environment of the media tools the server runs (janus-pp-rec, ffmpeg, ffprobe): they parse
 * media a far end controls, so they get only what a tool needs to run (search path, locale, time
 * zone, temporary folder), never the server's secrets (Keycloak client secret, TURN secret, Janus
 * API secret, database password...), which the server's own environment holds.
 */
public final class ToolEnvironment {

  /** The variables a tool keeps; everything else is removed. */
  public static final Set<String> KEPT =
      Set.of("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR");

  private ToolEnvironment() {}

  /** Reduces the builder's environment (a copy of the server's) to {@link #KEPT}. */
  public static ProcessBuilder restrict(ProcessBuilder builder) {
    Map<String, String> environment = builder.environment();
    environment.keySet().retainAll(KEPT);
    return builder;
  }
}
