package com.vclick.core.edge.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.vclick.core.recordings.RecordingLegs;
import com.vclick.media.api.Leg;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The small rules of recording integrity: legs' media time, gaps, ingest backoff, settings. */
class IntegrityRulesTest {

  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void aLegsMediaTimeIsItsFlowInsideTheRecording() {
    var media = new LegMedia();
    media.flowing(Leg.ENTERPRISE, at(2));
    media.flowing(Leg.ENTERPRISE, at(5)); // again: the first counts
    media.flowing(Leg.FAR_END, at(4));
    media.ended(Leg.FAR_END, at(8));
    media.ended(Leg.FAR_END, at(9)); // the first end counts
    assertEquals(Duration.ofSeconds(8), media.within(Leg.ENTERPRISE, at(0), at(10)));
    assertEquals(Duration.ofSeconds(4), media.within(Leg.FAR_END, at(0), at(10)));
    assertEquals(Duration.ofSeconds(3), media.within(Leg.ENTERPRISE, at(7), at(10)));
    assertNull(media.within(Leg.FAR_END, at(8), at(10)), "nothing of it in that stretch");
    media.ended(Leg.ENTERPRISE, at(6)); // unseen legs never start by ending
    assertEquals(Duration.ofSeconds(4), media.within(Leg.ENTERPRISE, at(0), at(10)));
    var none = new LegMedia();
    none.ended(Leg.ENTERPRISE, at(1));
    assertNull(none.within(Leg.ENTERPRISE, at(0), at(10)));
  }

  @Test
  void aRecordingMissingALegOrArchivedAfterACrashSaysWhy() {
    assertNull(new RecordingLegs(true, 1000L, 2000L, false).incomplete());
    assertNull(RecordingLegs.UNKNOWN.incomplete(), "not reported: not claimed either way");
    assertEquals(
        "missing leg: enterprise", new RecordingLegs(true, null, 15000L, false).incomplete());
    assertEquals(
        "missing leg: enterprise; missing leg: far-end",
        new RecordingLegs(true, null, null, false).incomplete());
    assertEquals(
        "partial: archived after the server stopped during the call",
        new RecordingLegs(false, null, null, true).incomplete());
    assertThrows(IllegalArgumentException.class, () -> new RecordingLegs(true, -1L, 0L, false));
  }

  @Test
  void ingestWaitsDoubleFromFiveSecondsUpToTheConfiguredMost() {
    var backoff = new IngestBackoff(Duration.ofMinutes(1));
    assertEquals(Duration.ofSeconds(5), backoff.after(1));
    assertEquals(Duration.ofSeconds(10), backoff.after(2));
    assertEquals(Duration.ofSeconds(40), backoff.after(4));
    assertEquals(Duration.ofMinutes(1), backoff.after(5));
    assertEquals(Duration.ofMinutes(1), backoff.after(10_000), "never overflows");
  }

  @Test
  void reconciliationAndRetrySettingsAreBounded() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new RecordedCallConfig(
                RecordingFailMode.BLOCK,
                Duration.ofHours(2),
                4,
                Duration.ofSeconds(30),
                Duration.ofMinutes(5)));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new RecordedCallConfig(
                RecordingFailMode.BLOCK,
                Duration.ofHours(2),
                4,
                Duration.ofMinutes(2),
                Duration.ofSeconds(1)));
  }
}
