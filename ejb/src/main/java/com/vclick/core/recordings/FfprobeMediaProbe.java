package com.vclick.core.recordings;

import com.vclick.media.api.ToolEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads codecs and duration with {@code ffprobe -v error -show_streams -show_format -of json}. Its
 * output goes to temporary files (no threads to drain pipes); a failure — not installed, timed out,
 * a non-zero exit, output that is not JSON — is a result that says why in one line, with the file's
 * folder left out.
 */
public final class FfprobeMediaProbe implements MediaProbe {

  static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** More than any probe of a recording writes. */
  private static final long MAX_OUTPUT_BYTES = 1024 * 1024;

  private final String command;

  /**
   * @param command the ffprobe executable: a path, or a name looked up on the PATH
   */
  public FfprobeMediaProbe(String command) {
    this.command = command;
  }

  @Override
  public ProbeResult probe(Path file) {
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("vclick-ffprobe", ".json");
      err = Files.createTempFile("vclick-ffprobe", ".txt");
      Process process =
          ToolEnvironment.restrict(
                  new ProcessBuilder(
                      List.of(
                          command,
                          "-v",
                          "error",
                          "-show_streams",
                          "-show_format",
                          "-of",
                          "json",
                          file.toString())))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      process.getOutputStream().close();
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return ProbeResult.failed("ffprobe did not answer within " + TIMEOUT.toSeconds() + " s.");
      }
      if (process.exitValue() != 0) {
        return ProbeResult.failed(
            "ffprobe exited with status " + process.exitValue() + lastLine(err, file) + ".");
      }
      if (Files.size(out) > MAX_OUTPUT_BYTES) {
        return ProbeResult.failed("ffprobe's output is larger than expected.");
      }
      return ProbeJson.parse(Files.readString(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return ProbeResult.failed("ffprobe could not be run (" + command + ").");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ProbeResult.failed("ffprobe was interrupted.");
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  /** ffprobe's last line of errors, with the file's full path shortened to its name. */
  private static String lastLine(Path err, Path file) throws IOException {
    if (Files.size(err) > MAX_OUTPUT_BYTES) {
      return "";
    }
    List<String> lines =
        Files.readAllLines(err, StandardCharsets.UTF_8).stream()
            .filter(line -> !line.isBlank())
            .toList();
    if (lines.isEmpty()) {
      return "";
    }
    String line =
        lines.get(lines.size() - 1).replace(file.toString(), file.getFileName().toString());
    return ": " + line.strip();
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // a temporary file; the system's cleaner takes it
      }
    }
  }
}
