package com.vclick.core.audit;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * {@code checkpoints.jsonl} in the archive folder: one JSON line per checkpoint of the chain's
 * head, appended under a file lock (cluster members share the folder) and flushed to disk. A line
 * cut short by a crash is skipped when reading.
 */
public final class AuditCheckpointFile {

  static final String NAME = "checkpoints.jsonl";

  private AuditCheckpointFile() {}

  /** Appends a checkpoint durably. */
  static void append(Path folder, AuditCheckpoint checkpoint) throws IOException {
    Files.createDirectories(folder);
    JsonObjectBuilder json =
        Json.createObjectBuilder()
            .add("seq", checkpoint.sequence())
            .add("hash", checkpoint.hash())
            .add("at", checkpoint.at().toString());
    if (checkpoint.seal() != null) {
      json.add("seal", checkpoint.seal());
    }
    byte[] line = (json.build() + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel channel =
            FileChannel.open(
                folder.resolve(NAME),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        FileLock lock = channel.lock()) {
      channel.write(ByteBuffer.wrap(line));
      channel.force(true);
    }
  }

  /** The last complete checkpoint in the folder, if any. */
  static Optional<AuditCheckpoint> latest(Path folder) throws IOException {
    Path file = folder.resolve(NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = lines.size() - 1; i >= 0; i--) {
      Optional<AuditCheckpoint> checkpoint = parse(lines.get(i));
      if (checkpoint.isPresent()) {
        return checkpoint;
      }
    }
    return Optional.empty();
  }

  private static Optional<AuditCheckpoint> parse(String line) {
    try (JsonReader reader = Json.createReader(new StringReader(line))) {
      JsonObject json = reader.readObject();
      return Optional.of(
          new AuditCheckpoint(
              json.getJsonNumber("seq").longValue(),
              json.getString("hash"),
              Instant.parse(json.getString("at")),
              json.getString("seal", null)));
    } catch (JsonException | ClassCastException | NullPointerException | DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
