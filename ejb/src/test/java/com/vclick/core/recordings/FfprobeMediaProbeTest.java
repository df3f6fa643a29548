package com.vclick.core.recordings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real ffprobe (installed with ffmpeg by ./vclick), and what happens when it fails. */
class FfprobeMediaProbeTest {

  @TempDir Path temp;

  private static boolean installed(String command) {
    try {
      Process process = new ProcessBuilder(command, "-version").redirectErrorStream(true).start();
      process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void aCommandThatCannotRunIsAResultNotAnException() {
    ProbeResult result = new FfprobeMediaProbe("/nonexistent/ffprobe").probe(temp.resolve("x.mkv"));
    assertEquals(ProbeResult.failed("ffprobe could not be run (/nonexistent/ffprobe)."), result);
  }

  @Test
  void aFileFfprobeCannotReadIsNamedWithoutItsFolder() throws Exception {
    assumeTrue(installed("ffprobe"), "ffprobe is not installed");
    Path file = temp.resolve("broken.mkv");
    Files.write(file, Recordings.ebmlHeader("matroska"));

    ProbeResult result = new FfprobeMediaProbe("ffprobe").probe(file);

    assertNull(result.codecs());
    assertTrue(result.error().startsWith("ffprobe exited with status 1"), result.error());
    assertFalse(result.error().contains(temp.toString()), result.error());
  }

  @Test
  void aRealRecordingHasItsDurationAndStreams() throws Exception {
    assumeTrue(installed("ffmpeg") && installed("ffprobe"), "ffmpeg is not installed");
    Path file = temp.resolve("call.mkv");
    Process ffmpeg =
        new ProcessBuilder(
                "ffmpeg",
                "-v",
                "error",
                "-f",
                "lavfi",
                "-i",
                "testsrc=duration=2:size=160x120:rate=10",
                "-f",
                "lavfi",
                "-i",
                "sine=duration=2",
                "-c:v",
                "libvpx",
                "-c:a",
                "libopus",
                file.toString())
            .redirectErrorStream(true)
            .start();
    ffmpeg.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    assumeTrue(ffmpeg.waitFor(60, TimeUnit.SECONDS) && ffmpeg.exitValue() == 0, "no VP8/Opus");

    ProbeResult result = new FfprobeMediaProbe("ffprobe").probe(file);

    assertNull(result.error());
    assertTrue(Math.abs(result.durationMillis() - 2000) <= 500, "about 2 s: " + result);
    assertTrue(result.codecs().contains("\"codec\":\"vp8\""), result.codecs());
    assertTrue(result.codecs().contains("\"codec\":\"opus\""), result.codecs());
  }
}
