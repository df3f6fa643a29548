package com.vclick.media.kurento;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.media.api.MediaEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** KMS's files of a call the application stopped following, found by name. */
class KurentoRecordingRecoveryTest {

  private static final String CALL = "0b7a4c1e-2f3d-4a5b-9c6d-7e8f9a0b1c2d";

  @TempDir Path dir;

  @Test
  void eachRecordingOfTheCallWithItsPartiesFilesAndNothingElse() throws Exception {
    for (String name :
        List.of(
            CALL + "-both.webm",
            CALL + "-enterprise.webm",
            CALL + "-far-end.webm",
            CALL + "-far-end-2.webm",
            CALL + "-2-both.webm",
            CALL + "-2-enterprise.webm",
            "another-call-both.webm")) {
      Files.writeString(dir.resolve(name), "webm");
    }
    Files.createFile(dir.resolve(CALL + "-3-both.webm")); // never written: nothing recorded

    List<MediaEvent.RecordingStopped> found = new KurentoRecordingRecovery(dir).recover(CALL);

    assertEquals(2, found.size());
    assertEquals(dir.resolve(CALL + "-2-both.webm"), found.get(0).file());
    assertEquals(List.of(dir.resolve(CALL + "-2-enterprise.webm")), found.get(0).parts());
    assertEquals(dir.resolve(CALL + "-both.webm"), found.get(1).file());
    assertEquals(
        List.of(
            dir.resolve(CALL + "-enterprise.webm"),
            dir.resolve(CALL + "-far-end-2.webm"),
            dir.resolve(CALL + "-far-end.webm")),
        found.get(1).parts());
    assertTrue(!found.get(1).stoppedAt().isBefore(found.get(1).startedAt()));
  }

  @Test
  void aFolderThisServerCannotSeeHoldsNothing() throws Exception {
    assertTrue(
        new KurentoRecordingRecovery(dir.resolve("on-the-kms-host")).recover(CALL).isEmpty());
  }
}
