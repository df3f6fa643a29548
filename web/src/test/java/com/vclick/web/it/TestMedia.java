package com.vclick.web.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Small real recordings made with ffmpeg for the recordings ITs: two seconds of a test pattern and
 * a sine tone in Matroska, with the first encoder pair this ffmpeg has (VP8 + Opus as WebRTC
 * records them; else VP9, Vorbis, H.264 + AAC).
 */
final class TestMedia {

  /** Video and audio encoders, in order of preference. */
  private static final List<List<String>> ENCODERS =
      List.of(
          List.of("libvpx", "libopus"),
          List.of("libvpx-vp9", "libopus"),
          List.of("libvpx", "libvorbis"),
          List.of("libx264", "aac"));

  private TestMedia() {}

  /** A two-second Matroska file with video and audio, in {@code folder}. */
  static Path twoSecondRecording(Path folder) throws IOException, InterruptedException {
    String encoders = run(List.of("ffmpeg", "-hide_banner", "-encoders"));
    List<String> pair =
        ENCODERS.stream()
            .filter(p -> p.stream().allMatch(e -> encoders.contains(" " + e + " ")))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("ffmpeg has none of " + ENCODERS));
    Path file = folder.resolve("call.mkv");
    List<String> command = new ArrayList<>();
    command.addAll(List.of("ffmpeg", "-v", "error", "-y"));
    command.addAll(List.of("-f", "lavfi", "-i", "testsrc=duration=2:size=160x120:rate=10"));
    command.addAll(List.of("-f", "lavfi", "-i", "sine=duration=2"));
    command.addAll(List.of("-c:v", pair.get(0), "-c:a", pair.get(1), file.toString()));
    run(command);
    return file;
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Path output = Files.createTempFile("vclick-ffmpeg", ".txt");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      process.getOutputStream().close();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("ffmpeg did not finish: " + command);
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IllegalStateException("ffmpeg failed: " + command + "\n" + text);
      }
      return text;
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
