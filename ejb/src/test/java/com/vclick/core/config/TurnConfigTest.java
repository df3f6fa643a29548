package com.vclick.core.config;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnConfigTest {

  private static final List<String> URIS = List.of("turn:127.0.0.1:3478");

  @Test
  void ttlAboveTenMinutesIsRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> new TurnConfig("s", URIS, Duration.ofMinutes(11)));
    assertThrows(IllegalArgumentException.class, () -> new TurnConfig("s", URIS, Duration.ZERO));
  }

  @Test
  void onlyTurnUrisAreAccepted() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new TurnConfig("s", List.of("stun:stun.example:3478"), Duration.ofMinutes(5)));
  }
}
