package com.vclick.core.edge.recording;

import java.time.Duration;

/**
 * How long the archiver waits before storing a recording again: 5 s, doubled per failure, capped.
 */
public record IngestBackoff(Duration max) {

  static final Duration FIRST = Duration.ofSeconds(5);

  /** The wait after the {@code failures}-th failed attempt (1 or more). */
  public Duration after(int failures) {
    Duration wait = FIRST;
    for (int i = 1; i < failures && wait.compareTo(max) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(max) > 0 ? max : wait;
  }
}
