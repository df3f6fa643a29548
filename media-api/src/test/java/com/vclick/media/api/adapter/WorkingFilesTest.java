package com.vclick.media.api.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkingFilesTest {

  private static final String CALL = "0b7a4c1e-2f3d-4a5b-9c6d-7e8f9a0b1c2d";
  private static final Instant CUTOFF = Instant.parse("2026-12-07T10:00:00Z");

  @TempDir Path dir;

  private Path file(String name, Instant modified) throws Exception {
    Path file = Files.writeString(dir.resolve(name), "x");
    Files.setLastModifiedTime(file, FileTime.from(modified));
    return file;
  }

  @Test
  void onlyRecordingFilesLastWrittenBeforeTheCutoffGo() throws Exception {
    Path old = file(CALL + "-20261101T100000.000Z-far-end-video.mjr", CUTOFF.minusSeconds(60));
    Path oldWebm = file(CALL + "-both.webm", CUTOFF.minusSeconds(60));
    Path recent = file(CALL + "-20261207T100000.000Z.mkv", CUTOFF.plusSeconds(60));
    Path foreign = file("notes.txt", CUTOFF.minusSeconds(60));
    Path notOurs = file("holiday-video.mkv", CUTOFF.minusSeconds(60));

    assertEquals(2, WorkingFiles.purge(dir, CUTOFF));
    assertFalse(Files.exists(old));
    assertFalse(Files.exists(oldWebm));
    assertTrue(Files.exists(recent));
    assertTrue(Files.exists(foreign));
    assertTrue(Files.exists(notOurs));
    assertEquals(0, WorkingFiles.purge(dir.resolve("missing"), CUTOFF));
  }
}
