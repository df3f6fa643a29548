package com.vclick.media.janus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.media.api.Leg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingWatchTest {

  private static final Instant T0 = Instant.parse("2026-12-08T01:00:00Z");
  private static final Duration STALL = Duration.ofSeconds(20);
  private static final Duration AUDIO_STALL = Duration.ofSeconds(180);
  private static final Set<Leg> BOTH = EnumSet.allOf(Leg.class);

  @TempDir Path root;
  private Path dir;
  private RecordingSegment segment;

  @BeforeEach
  void janusStartsRecording() throws IOException {
    dir = Files.createDirectory(root.resolve("recordings"));
    segment = RecordingSegment.start("c1", dir, T0);
    for (Leg leg : Leg.values()) {
      for (String kind : new String[] {"audio", "video"}) {
        Files.writeString(segment.mjr(leg, kind), "MJR00002");
      }
    }
  }

  private void janusWrites(Leg leg) throws IOException {
    Files.writeString(segment.mjr(leg, "video"), "frame", StandardOpenOption.APPEND);
  }

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void watchesOnlyTheFilesJanusCreated() {
    var watch = RecordingWatch.start(segment, STALL, AUDIO_STALL, T0);
    assertEquals(4, watch.files().size(), "no data file: the call has no data channel");
    assertEquals(Optional.empty(), watch.check(BOTH, at(2)));
  }

  @Test
  void growingFilesWhileMediaFlowsAreFine() throws IOException {
    var watch = RecordingWatch.start(segment, STALL, AUDIO_STALL, T0);
    for (int s = 2; s <= 60; s += 2) {
      janusWrites(Leg.ENTERPRISE);
      janusWrites(Leg.FAR_END);
      assertEquals(Optional.empty(), watch.check(BOTH, at(s)), "at " + s + " s");
    }
  }

  @Test
  void aFolderRemovedUnderJanusFailsTheRecording() throws IOException {
    var watch = RecordingWatch.start(segment, STALL, AUDIO_STALL, T0);
    Files.move(dir, root.resolve("elsewhere")); // renamed or unmounted: Janus writes on, unseen
    String why = watch.check(BOTH, at(2)).orElseThrow();
    assertTrue(why.contains("gone from the recordings folder"), why);
  }

  @Test
  void aFolderReplacedByAnotherFailsTheRecording() throws IOException {
    var watch = RecordingWatch.start(segment, STALL, AUDIO_STALL, T0);
    Files.move(dir, root.resolve("elsewhere"));
    Files.createDirectory(dir);
    for (Leg leg : Leg.values()) {
      for (String kind : new String[] {"audio", "video"}) {
        Files.writeString(segment.mjr(leg, kind), "MJR00002"); // same names, other files
      }
    }
    String why = watch.check(BOTH, at(2)).orElseThrow();
    assertTrue(why.contains("replaced"), why);
  }

  @Test
  void filesThatStopGrowingWhileTheirPartysMediaFlowsFailTheRecording() throws IOException {
    var watch = RecordingWatch.start(segment, STALL, AUDIO_STALL, T0);
    janusWrites(Leg.ENTERPRISE);
    janusWrites(Leg.FAR_END);
    assertEquals(Optional.empty(), watch.check(BOTH, at(2)));
    for (int s = 4; s < 22; s += 2) {
      janusWrites(Leg.ENTERPRISE); // the far end's writes fail (disk full): its files stay
      assertEquals(Optional.empty(), watch.check(BOTH, at(s)), "at " + s + " s");
    }
    janusWrites(Leg.ENTERPRISE);
    String why = watch.check(BOTH, at(22)).orElseThrow();
    assertTrue(
        why.contains("far-end-video.mjr of the far-end party stopped growing for 20 s"), why);
  }

  @Test
  void anAudioOnlyPartyIsGivenTheLongerTimeOfSilenceWithDtx() throws IOException {
    for (Leg leg : Leg.values()) {
      Files.delete(segment.mjr(leg, "video"));
    }
    var watch = RecordingWatch.start(segment, STALL, AUDIO_STALL, T0);
    Files.writeString(segment.mjr(Leg.ENTERPRISE, "audio"), "x", StandardOpenOption.APPEND);
    Files.writeString(segment.mjr(Leg.FAR_END, "audio"), "x", StandardOpenOption.APPEND);
    assertEquals(Optional.empty(), watch.check(BOTH, at(2)));
    for (int s = 4; s < 182; s += 2) {
      Files.writeString(segment.mjr(Leg.ENTERPRISE, "audio"), "x", StandardOpenOption.APPEND);
      assertEquals(Optional.empty(), watch.check(BOTH, at(s)), "at " + s + " s");
    }
    Files.writeString(segment.mjr(Leg.ENTERPRISE, "audio"), "x", StandardOpenOption.APPEND);
    String why = watch.check(BOTH, at(182)).orElseThrow();
    assertTrue(why.contains("far-end-audio.mjr"), why);
  }

  @Test
  void filesOfAPartyWhoseMediaDoesNotFlowMayStayTheSame() throws IOException {
    var watch = RecordingWatch.start(segment, STALL, AUDIO_STALL, T0);
    Set<Leg> enterpriseOnly = EnumSet.of(Leg.ENTERPRISE);
    for (int s = 2; s <= 60; s += 2) {
      janusWrites(Leg.ENTERPRISE);
      assertEquals(Optional.empty(), watch.check(enterpriseOnly, at(s)), "at " + s + " s");
    }
    // Its media flows again: the stall is counted from then, not from the last growth.
    assertEquals(Optional.empty(), watch.check(BOTH, at(62)));
    assertEquals(Optional.empty(), watch.check(BOTH, at(79)));
    assertTrue(watch.check(BOTH, at(80)).isPresent());
  }
}
