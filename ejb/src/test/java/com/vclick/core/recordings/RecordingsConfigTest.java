package com.vclick.core.recordings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RecordingsConfigTest {

  private static final Path DIR = Path.of("/var/lib/vclick/recordings");

  @Test
  void theDefaultsAreValid() {
    var config = new RecordingsConfig(DIR, 365, Duration.ofHours(1), "ffprobe");
    assertEquals(Duration.ofDays(365), config.retention().period());
  }

  @Test
  void nonsenseIsRefusedAtStartUp() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new RecordingsConfig(DIR, 0, Duration.ofHours(1), "ffprobe"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RecordingsConfig(DIR, 36_501, Duration.ofHours(1), "ffprobe"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RecordingsConfig(DIR, 365, Duration.ofSeconds(59), "ffprobe"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RecordingsConfig(DIR, 365, Duration.ofHours(1), " "));
  }
}
