package com.vclick.media.janus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.media.api.Leg;
import com.vclick.media.api.MediaEvent;
import com.vclick.media.api.MediaServerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a crash left in the recordings folder, found per call; and the folder kept private. */
class JanusRecordingRecoveryTest {

  private static final String CALL = "0b7a4c1e-2f3d-4a5b-9c6d-7e8f9a0b1c2d";
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

  @TempDir Path dir;

  private final List<String> converted = new ArrayList<>();

  /** Converts by writing the output file; fails when the segment has no media file. */
  private final RecordingConverter converter =
      segments -> {
        RecordingSegment segment = segments.get(0);
        converted.add(segment.base());
        if (!Files.exists(segment.mjr(Leg.FAR_END, "video"))) {
          throw new IOException("no media was recorded");
        }
        Files.writeString(segment.output(), "mkv");
        return new RecordingConverter.Converted(
            segment.output(), List.of(segment.mjr(Leg.FAR_END, "video")));
      };

  @Test
  void aSegmentNeverConvertedIsConvertedOneAlreadyConvertedIsTakenAsItIs() throws Exception {
    var interrupted = RecordingSegment.start(CALL, dir, T0);
    Files.writeString(interrupted.mjr(Leg.FAR_END, "video"), "MJR00002");
    Files.writeString(interrupted.converted(Leg.FAR_END, "video", "webm"), "half-made");
    var done = RecordingSegment.start(CALL, dir, T0.plusSeconds(60));
    Files.writeString(done.mjr(Leg.FAR_END, "video"), "MJR00002");
    Files.writeString(done.output(), "mkv");
    Files.writeString(dir.resolve("another-call-20261207T100000.000Z.mkv"), "not ours");

    List<MediaEvent.RecordingStopped> found =
        new JanusRecordingRecovery(dir, converter).recover(CALL);

    assertEquals(2, found.size());
    assertEquals(List.of(interrupted.base()), converted, "only the unconverted segment");
    assertFalse(
        Files.exists(interrupted.converted(Leg.FAR_END, "video", "webm")),
        "a half-made conversion is redone, never overwritten");
    assertEquals(interrupted.output(), found.get(0).file());
    assertEquals(T0, found.get(0).startedAt());
    assertEquals(done.output(), found.get(1).file());
    assertTrue(found.get(1).parts().contains(done.mjr(Leg.FAR_END, "video")));
    assertFalse(found.get(1).stoppedAt().isBefore(found.get(1).startedAt()));
  }

  @Test
  void nothingLeftIsEmptyAndUnconvertibleFilesAreAnError() throws Exception {
    assertTrue(new JanusRecordingRecovery(dir, converter).recover(CALL).isEmpty());
    var empty = RecordingSegment.start(CALL, dir, T0);
    Files.writeString(empty.mjr(Leg.ENTERPRISE, "audio"), "MJR00002");
    assertThrows(
        MediaServerException.class, () -> new JanusRecordingRecovery(dir, converter).recover(CALL));
  }

  @Test
  void theRecordingsFolderIsMadeReadableByTheServiceOnly() throws Exception {
    Path missing = dir.resolve("a/recordings");
    PrivateFolder.ensure(missing);
    assertEquals(
        "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(missing)));
    Path open = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
    PrivateFolder.ensure(open);
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(open)));
  }
}
