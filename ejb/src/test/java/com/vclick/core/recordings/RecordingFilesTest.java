package com.vclick.core.recordings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingFilesTest {

  private static final Instant NOV_2026 = Instant.parse("2026-11-24T10:15:30Z");

  @TempDir Path temp;

  private Path source(int size) throws Exception {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    Path file = temp.resolve("finished-" + size + ".mkv");
    Files.write(file, bytes);
    return file;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void aRecordingLivesUnderItsYearAndMonthInUtc() {
    String id = UUID.randomUUID().toString();
    assertEquals("2026/11/" + id + ".mkv", RecordingFiles.relativePath(id, NOV_2026));
    assertEquals(
        "2027/01/" + id + ".mkv",
        RecordingFiles.relativePath(id, Instant.parse("2026-12-31T23:30:00-01:00")));
  }

  @Test
  void writingCopiesHashesSizesAndMakesTheFileReadOnly() throws Exception {
    var files = new RecordingFiles(temp.resolve("store"));
    Path source = source(200_000);
    String path = RecordingFiles.relativePath(UUID.randomUUID().toString(), NOV_2026);

    RecordingFiles.Stored stored = files.write(source, path);

    byte[] bytes = Files.readAllBytes(source);
    assertEquals(path, stored.relativePath());
    assertEquals(bytes.length, stored.sizeBytes());
    assertEquals(sha256(bytes), stored.sha256());
    Path target = files.resolve(path);
    assertEquals(temp.resolve("store").resolve(path), target);
    assertArrayEquals(bytes, Files.readAllBytes(target));
    assertEquals("r--r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    assertEquals(
        "rwxr-x---",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(target.getParent())));
    assertTrue(Files.exists(source), "the source is the caller's to remove");
    assertEquals(stored, files.hash(path));
  }

  @Test
  void aNameIsNeverWrittenTwice() throws Exception {
    var files = new RecordingFiles(temp);
    String path = RecordingFiles.relativePath(UUID.randomUUID().toString(), NOV_2026);
    RecordingFiles.Stored first = files.write(source(1000), path);

    assertThrows(FileAlreadyExistsException.class, () -> files.write(source(2000), path));

    assertEquals(first, files.hash(path), "the first file is untouched");
  }

  @Test
  void theHashShowsAChangedFile() throws Exception {
    var files = new RecordingFiles(temp);
    String path = RecordingFiles.relativePath(UUID.randomUUID().toString(), NOV_2026);
    RecordingFiles.Stored stored = files.write(source(5000), path);
    Path target = files.resolve(path);
    byte[] bytes = Files.readAllBytes(target);
    bytes[2500] ^= 1;
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
    Files.write(target, bytes);

    RecordingFiles.Stored now = files.hash(path);
    assertEquals(stored.sizeBytes(), now.sizeBytes());
    assertNotEquals(stored.sha256(), now.sha256());
  }

  @Test
  void deletingRemovesTheFileOnce() throws Exception {
    var files = new RecordingFiles(temp);
    String path = RecordingFiles.relativePath(UUID.randomUUID().toString(), NOV_2026);
    files.write(source(10), path);

    assertTrue(files.delete(path));
    assertFalse(files.exists(path));
    assertFalse(files.delete(path));
  }

  @Test
  void onlyRecordingPathsInsideTheFolderAreAccepted() {
    var files = new RecordingFiles(temp);
    String id = UUID.randomUUID().toString();
    for (String bad :
        new String[] {
          "../" + id + ".mkv",
          "2026/11/../../../etc/passwd",
          "/etc/passwd",
          "2026/11/" + id + ".txt",
          "2026/11/x.mkv",
          "2026/11/" + id.toUpperCase() + ".mkv",
          ""
        }) {
      assertThrows(IllegalArgumentException.class, () -> files.resolve(bad), bad);
    }
  }

  @Test
  void aFailedCopyLeavesNothing() {
    var files = new RecordingFiles(temp);
    String path = RecordingFiles.relativePath(UUID.randomUUID().toString(), NOV_2026);
    assertThrows(Exception.class, () -> files.write(temp.resolve("missing.mkv"), path));
    assertFalse(files.exists(path));
  }
}
