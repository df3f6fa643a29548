package com.vclick.core.recordings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The store's folder: files written once under names that are never reused, hashed while written,
 * then made read-only. Paths handed in and out are relative to the folder ({@code
 * 2026/11/<recording id>.mkv}) and never leave it.
 */
public final class RecordingFiles {

  /** What a written file is. */
  public record Stored(String relativePath, long sizeBytes, String sha256) {}

  private static final int BUFFER = 64 * 1024;
  private static final Pattern RELATIVE =
      Pattern.compile("[0-9]{4}/[0-9]{2}/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\\.mkv");
  private static final Set<PosixFilePermission> READ_ONLY =
      PosixFilePermissions.fromString("r--r-----");
  private static final Set<PosixFilePermission> FOLDER =
      PosixFilePermissions.fromString("rwxr-x---");

  private final Path root;

  public RecordingFiles(Path root) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
  }

  /** The folder. */
  public Path root() {
    return root;
  }

  /** Where a recording stored at {@code createdAt} lives: {@code <yyyy>/<mm>/<id>.mkv} (UTC). */
  public static String relativePath(String recordingId, Instant createdAt) {
    ZonedDateTime utc = createdAt.atZone(ZoneOffset.UTC);
    String path =
        String.format("%04d/%02d/%s.mkv", utc.getYear(), utc.getMonthValue(), recordingId);
    requireRelative(path);
    return path;
  }

  /**
   * Copies {@code source} to {@code relativePath}, which must not exist (a file there is never
   * replaced), computing its SHA-256 and size on the way; flushed to disk, then made read-only.
   * Nothing is left behind when the copy fails.
   *
   * @throws FileAlreadyExistsException when something is already at {@code relativePath}
   */
  public Stored write(Path source, String relativePath) throws IOException {
    Path target = resolve(relativePath);
    createFolders(target.getParent());
    MessageDigest digest = sha256();
    long size = 0;
    boolean written = false;
    try (InputStream in = Files.newInputStream(source);
        FileChannel out =
            FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      try {
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = in.read(buffer)) > 0) {
          digest.update(buffer, 0, n);
          ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
          while (chunk.hasRemaining()) {
            out.write(chunk);
          }
          size += n;
        }
        out.force(true);
        makeReadOnly(target);
        written = true;
      } finally {
        if (!written) {
          Files.deleteIfExists(target);
        }
      }
    }
    return new Stored(relativePath, size, HexFormat.of().formatHex(digest.digest()));
  }

  /** The SHA-256 and size of a stored file as it is now. */
  public Stored hash(String relativePath) throws IOException {
    MessageDigest digest = sha256();
    long size = 0;
    try (InputStream in = Files.newInputStream(resolve(relativePath))) {
      byte[] buffer = new byte[BUFFER];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
        size += n;
      }
    }
    return new Stored(relativePath, size, HexFormat.of().formatHex(digest.digest()));
  }

  /** Whether the file is there. */
  public boolean exists(String relativePath) {
    return Files.isRegularFile(resolve(relativePath));
  }

  /**
   * Deletes a stored file (retention, or a store that failed half-way); true when it was there.
   *
   * @throws UncheckedIOException when it is there and cannot be deleted
   */
  public boolean delete(String relativePath) {
    try {
      return Files.deleteIfExists(resolve(relativePath));
    } catch (IOException e) {
      throw new UncheckedIOException("recording file " + relativePath + " cannot be deleted", e);
    }
  }

  /** The absolute path of a stored file, for reading. */
  public Path resolve(String relativePath) {
    requireRelative(relativePath);
    Path path = root.resolve(relativePath).normalize();
    if (!path.startsWith(root)) {
      throw new IllegalArgumentException("outside the recordings folder: " + relativePath);
    }
    return path;
  }

  private static void requireRelative(String relativePath) {
    if (relativePath == null || !RELATIVE.matcher(relativePath).matches()) {
      throw new IllegalArgumentException("not a recording's path: " + relativePath);
    }
  }

  /** Creates the folders down to {@code folder}, each closed to others. */
  private void createFolders(Path folder) throws IOException {
    Files.createDirectories(root);
    Path current = root;
    for (Path part : root.relativize(folder)) {
      current = current.resolve(part);
      try {
        Files.createDirectory(current);
        if (Files.getFileAttributeView(current, PosixFileAttributeView.class) != null) {
          Files.setPosixFilePermissions(current, FOLDER);
        }
      } catch (FileAlreadyExistsException e) {
        // there already, or made by another store at the same moment
      }
    }
  }

  private static void makeReadOnly(Path file) throws IOException {
    if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null) {
      Files.setPosixFilePermissions(file, READ_ONLY);
    } else if (!file.toFile().setReadOnly()) {
      throw new IOException("cannot make " + file.getFileName() + " read-only");
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
