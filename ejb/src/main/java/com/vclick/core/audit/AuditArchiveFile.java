package com.vclick.core.audit;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One archive file of the audit trail: JSON lines, a {@code start} line (the sequence the file
 * begins at and the hash it links to), one line per entry (every field, its hash and seal), and an
 * {@code end} line (the head the file stops at, sealed with the key when there is one). The chain
 * left in the database starts where the last file ends, so the whole trail verifies across the cut
 * ({@link AuditArchiveCheck}). Written to a temporary file, flushed to disk, then moved into place
 * and made read-only; named {@code audit-<first>-<last>.jsonl} (zero-padded, so names sort in chain
 * order).
 */
public final class AuditArchiveFile {

  private static final String PREFIX = "audit-";
  private static final String SUFFIX = ".jsonl";

  private AuditArchiveFile() {}

  /** The file name for entries {@code first} to {@code last}. */
  static String name(long first, long last) {
    return String.format(Locale.ROOT, "%s%019d-%019d%s", PREFIX, first, last, SUFFIX);
  }

  static boolean isArchive(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
  }

  /**
   * Writes entries (in chain order, at least one) durably into {@code folder}; replaces a file of
   * the same range left by a run whose database commit failed.
   *
   * @return the file
   */
  static Path write(Path folder, List<AuditEntry> entries, AuditKey key) throws IOException {
    AuditEntry first = entries.get(0);
    AuditEntry last = entries.get(entries.size() - 1);
    Files.createDirectories(folder);
    Path target = folder.resolve(name(first.sequence(), last.sequence()));
    Path temporary = Files.createTempFile(folder, ".writing-", SUFFIX);
    try {
      try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
        line(
            out,
            Json.createObjectBuilder()
                .add("type", "start")
                .add("firstSequence", first.sequence())
                .add("previousHash", first.previousHash()));
        for (AuditEntry entry : entries) {
          JsonObjectBuilder json =
              Json.createObjectBuilder()
                  .add("seq", entry.sequence())
                  .add("occurredAt", entry.occurredAt().toString())
                  .add("actor", entry.actor())
                  .add("action", entry.action())
                  .add("target", entry.target())
                  .add("detail", entry.detail())
                  .add("previousHash", entry.previousHash())
                  .add("hash", entry.hash());
          if (entry.seal() != null) {
            json.add("seal", entry.seal());
          }
          line(out, json);
        }
        JsonObjectBuilder end =
            Json.createObjectBuilder()
                .add("type", "end")
                .add("lastSequence", last.sequence())
                .add("lastHash", last.hash());
        if (key.present()) {
          end.add("seal", key.sealArchiveEnd(last.sequence(), last.hash()));
        }
        line(out, end);
      }
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("r--r-----"));
      Files.move(
          temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static void line(Writer out, JsonObjectBuilder json) throws IOException {
    out.write(json.build().toString());
    out.write('\n');
  }

  /** What one file holds, as read back. */
  record Contents(
      long firstSequence,
      String previousHash,
      List<AuditEntry> entries,
      long lastSequence,
      String lastHash,
      String endSeal) {}

  /**
   * Reads a file back.
   *
   * @throws IllegalArgumentException when it is not a complete archive file
   */
  static Contents read(Path file) {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      JsonObject start = parse(in.readLine(), file);
      if (!"start".equals(start.getString("type", ""))) {
        throw new IllegalArgumentException(
            file.getFileName() + " does not begin with a start line");
      }
      List<AuditEntry> entries = new ArrayList<>();
      for (String text = in.readLine(); text != null; text = in.readLine()) {
        JsonObject json = parse(text, file);
        if ("end".equals(json.getString("type", ""))) {
          if (in.readLine() != null) {
            throw new IllegalArgumentException(file.getFileName() + " goes on after its end line");
          }
          return new Contents(
              start.getJsonNumber("firstSequence").longValue(),
              start.getString("previousHash"),
              entries,
              json.getJsonNumber("lastSequence").longValue(),
              json.getString("lastHash"),
              json.getString("seal", null));
        }
        entries.add(
            AuditEntry.archived(
                json.getJsonNumber("seq").longValue(),
                Instant.parse(json.getString("occurredAt")),
                json.getString("actor"),
                json.getString("action"),
                json.getString("target"),
                json.getString("detail"),
                json.getString("previousHash"),
                json.getString("hash"),
                json.getString("seal", null)));
      }
      throw new IllegalArgumentException(file.getFileName() + " has no end line: cut short");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      if (e instanceof IllegalArgumentException) {
        throw e;
      }
      throw new IllegalArgumentException(file.getFileName() + " is malformed: " + e.getMessage());
    }
  }

  private static JsonObject parse(String line, Path file) {
    if (line == null) {
      throw new IllegalArgumentException(file.getFileName() + " is empty");
    }
    try (JsonReader reader = Json.createReader(new StringReader(line))) {
      return reader.readObject();
    }
  }

  /** Every archive file in a folder, in chain order. */
  static List<Path> list(Path folder) throws IOException {
    return listBefore(folder, Long.MAX_VALUE);
  }

  /** The first sequence a file's name says it holds. */
  static long firstSequenceOf(Path file) {
    String name = file.getFileName().toString();
    return Long.parseLong(name.substring(PREFIX.length(), PREFIX.length() + 19));
  }

  /**
   * The archive files in a folder that hold entries before {@code before}, in chain order; none
   * when the folder does not exist. Files from {@code before} on were written by a run whose
   * database commit failed or has not happened yet: the database still holds those entries.
   */
  static List<Path> listBefore(Path folder, long before) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (var files = Files.list(folder)) {
      return files
          .filter(AuditArchiveFile::isArchive)
          .filter(file -> firstSequenceOf(file) < before)
          .sorted()
          .toList();
    }
  }

  /**
   * Deletes the files of runs whose commit failed (from {@code from} on): the rows are still kept.
   */
  static void deleteUncommitted(Path folder, long from) throws IOException {
    if (!Files.isDirectory(folder)) {
      return;
    }
    try (var files = Files.list(folder)) {
      for (Path file :
          files
              .filter(AuditArchiveFile::isArchive)
              .filter(each -> firstSequenceOf(each) >= from)
              .toList()) {
        Files.deleteIfExists(file);
      }
    }
  }
}
