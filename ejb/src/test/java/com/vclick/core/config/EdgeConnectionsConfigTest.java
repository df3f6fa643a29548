package com.vclick.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EdgeConnectionsConfigTest {

  private static final Duration GRACE = Duration.ofMinutes(2);
  private static final Duration SWEEP = Duration.ofSeconds(15);

  @Test
  void theExtensionSamplesEveryQuarterOfTheSilenceLimit() {
    assertEquals(
        Duration.ofSeconds(75),
        new EdgeConnectionsConfig(GRACE, Duration.ofMinutes(5), SWEEP).sampleEvery());
  }

  @Test
  void limitsTheServerCannotKeepAreRefusedAtStartUp() {
    // Shorter than three of the extension's 30 s alarms: live connections would end as lost.
    assertThrows(
        IllegalArgumentException.class,
        () -> new EdgeConnectionsConfig(GRACE, Duration.ofSeconds(89), SWEEP));
    assertThrows(
        IllegalArgumentException.class,
        () -> new EdgeConnectionsConfig(Duration.ZERO, Duration.ofMinutes(5), SWEEP));
    assertThrows(
        IllegalArgumentException.class,
        () -> new EdgeConnectionsConfig(GRACE, Duration.ofMinutes(5), Duration.ofMillis(500)));
  }
}
