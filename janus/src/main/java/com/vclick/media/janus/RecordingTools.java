package com.vclick.media.janus;

import com.vclick.media.api.ToolEnvironment;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the recording converters share: the {@code .mjr} header (codec, first-packet time), the file
 * extension {@code janus-pp-rec} writes per codec, the write-once check, and running a tool with a
 * deadline (restricted environment, output to a temporary log, its tail in the error).
 */
final class RecordingTools {

  /** Size of an {@code .mjr} file into which Janus never wrote a packet (magic only). */
  static final int EMPTY_MJR = 8;

  private static final String MAGIC = "MJR00002";

  private RecordingTools() {}

  static String extension(String kind, String codec) {
    if (kind.equals("video")) {
      return switch (codec) {
        case "vp8", "vp9" -> "webm";
        case "av1" -> "mp4";
        default -> "mkv"; // h264, h265
      };
    }
    return switch (codec) {
      case "opus", "multiopus" -> "opus";
      default -> "wav"; // g711, g722, l16
    };
  }

  static JsonObject header(Path mjr, JsonProvider json) throws IOException {
    try (InputStream in = Files.newInputStream(mjr);
        var data = new DataInputStream(in)) {
      byte[] magic = new byte[MAGIC.length()];
      data.readFully(magic);
      if (!MAGIC.equals(new String(magic, StandardCharsets.US_ASCII))) {
        throw new IOException(mjr.getFileName() + " is not a Janus recording (.mjr version 2)");
      }
      byte[] header = new byte[data.readUnsignedShort()];
      data.readFully(header);
      try (var reader =
          json.createReader(new StringReader(new String(header, StandardCharsets.UTF_8)))) {
        return reader.readObject();
      } catch (JsonException e) {
        throw new IOException(mjr.getFileName() + " has a broken header");
      }
    }
  }

  static long firstPacket(JsonObject header) {
    for (String key : List.of("u", "s")) {
      if (header.get(key) instanceof JsonNumber number) {
        return number.longValue();
      }
    }
    return 0;
  }

  static void requireAbsent(Path file) throws IOException {
    if (Files.exists(file)) {
      throw new IOException(
          file.getFileName() + " exists already; recordings are never overwritten");
    }
  }

  static void run(List<String> command, long deadline, String tool) throws IOException {
    Path log = Files.createTempFile("vclick-" + tool + "-", ".log");
    try {
      Process process;
      try {
        process =
            ToolEnvironment.restrict(new ProcessBuilder(command))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                .start();
      } catch (IOException e) {
        throw new IOException(tool + " cannot be started (is it installed?): " + e.getMessage(), e);
      }
      boolean done;
      try {
        done = process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException(tool + " interrupted", e);
      }
      if (!done) {
        process.destroyForcibly();
        throw new IOException(tool + " timed out");
      }
      if (process.exitValue() != 0) {
        throw new IOException(tool + " failed (exit " + process.exitValue() + "): " + tail(log));
      }
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static java.io.File nullDevice() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  private static String tail(Path log) throws IOException {
    String text = Files.readString(log, StandardCharsets.UTF_8).strip();
    return text.length() <= 300 ? text : "…" + text.substring(text.length() - 300);
  }
}
