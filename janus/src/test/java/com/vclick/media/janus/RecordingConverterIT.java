package com.vclick.media.janus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.media.api.Leg;
import jakarta.json.Json;
import jakarta.json.spi.JsonProvider;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code janus-pp-rec} and {@code ffmpeg} on {@code .mjr} files as Janus writes them
 * (version 2: magic, JSON header, then "MEET" frames of RTP packets). The RTP comes from ffmpeg's
 * own VP8/Opus payloaders sending to a socket on loopback, so the packets are real.
 */
class RecordingConverterIT {

  @TempDir Path dir;

  @Test
  void fourMjrFilesBecomeOnePlayableMatroskaFileAndAreNeverOverwritten() throws Exception {
    var segment = RecordingSegment.start("conv-1", dir, Instant.parse("2025-01-02T03:04:05Z"));
    long start = System.currentTimeMillis() * 1000;
    var tracks =
        List.of(
            CompletableFuture.supplyAsync(
                () ->
                    rtpToMjr(
                        video("testsrc"), segment.mjr(Leg.ENTERPRISE, "video"), "v", "vp8", start)),
            CompletableFuture.supplyAsync(
                () ->
                    rtpToMjr(audio(440), segment.mjr(Leg.ENTERPRISE, "audio"), "a", "opus", start)),
            CompletableFuture.supplyAsync(
                () ->
                    rtpToMjr(
                        video("testsrc2"), segment.mjr(Leg.FAR_END, "video"), "v", "vp8", start)),
            CompletableFuture.supplyAsync(
                () -> rtpToMjr(audio(660), segment.mjr(Leg.FAR_END, "audio"), "a", "opus", start)));
    for (var track : tracks) {
      assertTrue(track.get(60, TimeUnit.SECONDS) > 10, "RTP packets captured");
    }

    var converter =
        new FfmpegRecordingConverter(
            "janus-pp-rec", "ffmpeg", Duration.ofMinutes(2), JsonProvider.provider());
    RecordingConverter.Converted converted = converter.convert(List.of(segment));

    assertEquals(dir.resolve("conv-1-20250102T030405.000Z.mkv"), converted.file());
    assertEquals(8, converted.parts().size(), "4 .mjr + 4 per-party files: " + converted.parts());
    assertTrue(
        converted.parts().contains(dir.resolve("conv-1-20250102T030405.000Z-far-end-video.webm")));
    assertTrue(
        converted
            .parts()
            .contains(dir.resolve("conv-1-20250102T030405.000Z-enterprise-audio.opus")));
    String probe =
        run(
            List.of(
                "ffprobe",
                "-v",
                "error",
                "-show_entries",
                "stream=codec_type,codec_name:stream_tags=title:format=duration",
                "-of",
                "compact",
                converted.file().toString()));
    assertEquals(2, count(probe, "codec_name=vp8|codec_type=video"), probe);
    assertEquals(1, count(probe, "codec_name=opus|codec_type=audio"), probe);
    assertTrue(
        probe.contains("tag:title=enterprise") && probe.contains("tag:title=far-end"), probe);
    double duration =
        Double.parseDouble(probe.replaceAll("(?s).*format\\|duration=([0-9.]+).*", "$1"));
    assertTrue(duration > 1.0 && duration < 5.0, "about the 2 s sent: " + duration);

    byte[] before = Files.readAllBytes(converted.file());
    var again = assertThrows(IOException.class, () -> converter.convert(List.of(segment)));
    assertTrue(again.getMessage().contains("never overwritten"), again.getMessage());
    assertEquals(before.length, Files.readAllBytes(converted.file()).length);
  }

  /**
   * An audio call whose renegotiation added video, recorded in two segments (VideoCall records only
   * the kinds of media a call has when recording starts): the enterprise party sends video in both
   * segments, the far end only in the second. One file: the enterprise video as one track over both
   * segments, the far end's starting at its first packet, the mixed audio over the whole call.
   */
  @Test
  void theSegmentsOfARecordingBecomeOneFileEachPiecePlacedAtItsTime() throws Exception {
    Instant now = Instant.now();
    var first = RecordingSegment.start("conv-3", dir, now);
    var second = RecordingSegment.start("conv-3", dir, now.plusSeconds(2));
    long start = System.currentTimeMillis() * 1000;
    record(
        List.of(
            () -> rtpToMjr(video("testsrc"), first.mjr(Leg.ENTERPRISE, "video"), "v", "vp8", start),
            () -> rtpToMjr(audio(440), first.mjr(Leg.ENTERPRISE, "audio"), "a", "opus", start),
            () -> rtpToMjr(audio(660), first.mjr(Leg.FAR_END, "audio"), "a", "opus", start)));
    long later = System.currentTimeMillis() * 1000;
    record(
        List.of(
            () ->
                rtpToMjr(video("testsrc"), second.mjr(Leg.ENTERPRISE, "video"), "v", "vp8", later),
            () -> rtpToMjr(audio(440), second.mjr(Leg.ENTERPRISE, "audio"), "a", "opus", later),
            () -> rtpToMjr(video("testsrc2"), second.mjr(Leg.FAR_END, "video"), "v", "vp8", later),
            () -> rtpToMjr(audio(660), second.mjr(Leg.FAR_END, "audio"), "a", "opus", later)));
    // Where each piece belongs: its first packet's time (the .mjr header), from the earliest one.
    double origin = Double.MAX_VALUE;
    double end = 0;
    for (var segment : List.of(first, second)) {
      for (Leg leg : Leg.values()) {
        for (String kind : List.of("audio", "video")) {
          if (Files.exists(segment.mjr(leg, kind))) {
            origin = Math.min(origin, firstPacketSeconds(segment.mjr(leg, kind)));
            end = Math.max(end, firstPacketSeconds(segment.mjr(leg, kind)) + 2);
          }
        }
      }
    }
    double enterpriseStarts = firstPacketSeconds(first.mjr(Leg.ENTERPRISE, "video")) - origin;
    double farEndStarts = firstPacketSeconds(second.mjr(Leg.FAR_END, "video")) - origin;
    double callSeconds = end - origin;

    var converter =
        new FfmpegRecordingConverter(
            "janus-pp-rec", "ffmpeg", Duration.ofMinutes(2), JsonProvider.provider());
    RecordingConverter.Converted converted = converter.convert(List.of(first, second));

    assertEquals(first.output(), converted.file());
    assertTrue(Files.notExists(second.output()), "one file");
    assertEquals(14, converted.parts().size(), "7 .mjr + 7 per-party files: " + converted.parts());
    String probe =
        run(
            List.of(
                "ffprobe",
                "-v",
                "error",
                "-count_packets",
                "-show_entries",
                "stream=codec_type,start_time,nb_read_packets:stream_tags=title:format=duration",
                "-of",
                "compact",
                converted.file().toString()));
    List<String> videos = probe.lines().filter(l -> l.contains("codec_type=video")).toList();
    assertEquals(2, videos.size(), probe);
    assertEquals(1, count(probe, "codec_type=audio"), probe);
    String enterprise = videos.get(0);
    assertTrue(enterprise.contains("title=enterprise") && videos.get(1).contains("far-end"), probe);
    assertTrue(value(enterprise, "nb_read_packets") > 50, "both pieces' frames: " + enterprise);
    // (a stream's start_time in ffprobe's summary is unreliable for a stream starting late: the
    // first packet's time is what a player uses)
    double enterpriseAt = firstPacket(converted.file(), "v:0");
    assertTrue(
        Math.abs(enterpriseAt - enterpriseStarts) < 0.3,
        "at " + enterpriseStarts + " s: " + enterpriseAt);
    double farEndAt = firstPacket(converted.file(), "v:1");
    assertTrue(Math.abs(farEndAt - farEndStarts) < 0.3, "at " + farEndStarts + " s: " + farEndAt);
    double duration =
        value(probe.lines().filter(l -> l.startsWith("format")).findFirst().get(), "duration");
    assertTrue(Math.abs(duration - callSeconds) < 1, "the whole call: " + duration + "\n" + probe);
    String audioOnly =
        run(
            List.of(
                "ffprobe",
                "-v",
                "error",
                "-select_streams",
                "a",
                "-show_entries",
                "packet=pts_time",
                "-of",
                "csv=p=0",
                converted.file().toString()));
    double[] times =
        audioOnly
            .lines()
            .filter(l -> !l.isBlank())
            .mapToDouble(l -> Double.parseDouble(l.replaceAll(",.*", "")))
            .toArray();
    double gap = 0;
    for (int i = 1; i < times.length; i++) {
      gap = Math.max(gap, times[i] - times[i - 1]);
    }
    assertTrue(gap < 0.1, "the audio runs on between the segments: longest gap " + gap + " s");
  }

  private static void record(List<java.util.function.Supplier<Integer>> tracks) throws Exception {
    var running = tracks.stream().map(CompletableFuture::supplyAsync).toList();
    for (var track : running) {
      assertTrue(track.get(60, TimeUnit.SECONDS) > 10, "RTP packets captured");
    }
  }

  /** The time of the first packet of a file's stream ({@code v:1}…), in seconds. */
  private static double firstPacket(Path file, String stream)
      throws IOException, InterruptedException {
    String out =
        run(
            List.of(
                "ffprobe",
                "-v",
                "error",
                "-select_streams",
                stream,
                "-show_entries",
                "packet=pts_time",
                "-of",
                "csv=p=0",
                file.toString()));
    return Double.parseDouble(
        out.lines().filter(l -> !l.isBlank()).findFirst().orElseThrow().replaceAll(",.*", ""));
  }

  /** The {@code u} (first packet, µs) of an .mjr header, in seconds. */
  private static double firstPacketSeconds(Path mjr) throws IOException {
    try (var in = new java.io.DataInputStream(Files.newInputStream(mjr))) {
      in.skipNBytes(8);
      byte[] header = new byte[in.readUnsignedShort()];
      in.readFully(header);
      try (var reader =
          Json.createReader(new java.io.StringReader(new String(header, StandardCharsets.UTF_8)))) {
        return reader.readObject().getJsonNumber("u").longValue() / 1e6;
      }
    }
  }

  private static double value(String compact, String key) {
    for (String field : compact.split("\\|")) {
      if (field.startsWith(key + "=")) {
        return Double.parseDouble(field.substring(key.length() + 1));
      }
    }
    throw new AssertionError(key + " not in " + compact);
  }

  @Test
  void headerOnlyFilesMeanNothingWasRecorded() throws Exception {
    var segment = RecordingSegment.start("conv-2", dir, Instant.now());
    for (Leg leg : Leg.values()) {
      Files.writeString(segment.mjr(leg, "audio"), "MJR00002");
    }
    var converter =
        new FfmpegRecordingConverter(
            "janus-pp-rec", "ffmpeg", Duration.ofMinutes(1), JsonProvider.provider());
    assertTrue(
        assertThrows(IOException.class, () -> converter.convert(List.of(segment)))
            .getMessage()
            .contains("no media"));
  }

  static List<String> video(String source) {
    return List.of(
        "-f",
        "lavfi",
        "-i",
        source + "=size=320x240:rate=15",
        "-t",
        "2",
        "-c:v",
        "libvpx",
        "-deadline",
        "realtime",
        "-b:v",
        "300k",
        "-payload_type",
        "96");
  }

  static List<String> audio(int frequency) {
    return List.of(
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=" + frequency + ":sample_rate=48000",
        "-t",
        "2",
        "-c:a",
        "libopus",
        "-payload_type",
        "111");
  }

  /** ffmpeg sends RTP to a loopback socket; every RTP packet goes into an .mjr file. */
  static int rtpToMjr(List<String> encode, Path mjr, String type, String codec, long startMicros) {
    return rtpToMjr(encode, mjr, type, codec, startMicros, null);
  }

  /**
   * As above; {@code firstPacketMicros} (when not null) is written as the header's first-packet
   * time instead of the first packet's arrival: a stream Janus got at that time, whatever the load
   * of the machine running the test (the packets' own timing is unchanged).
   */
  static int rtpToMjr(
      List<String> encode,
      Path mjr,
      String type,
      String codec,
      long startMicros,
      Long firstPacketMicros) {
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        OutputStream file = Files.newOutputStream(mjr);
        var out = new DataOutputStream(file)) {
      socket.setSoTimeout(1500);
      int port = socket.getLocalPort();
      List<String> command =
          new ArrayList<>(
              List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re"));
      command.addAll(encode);
      command.addAll(
          List.of("-f", "rtp", "rtp://127.0.0.1:" + port + "?rtcpport=" + port + "&pkt_size=1200"));
      Process ffmpeg =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      out.write("MJR00002".getBytes(StandardCharsets.US_ASCII));
      byte[] buffer = new byte[2048];
      int packets = 0;
      long first = 0;
      while (true) {
        var packet = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(packet);
        } catch (SocketTimeoutException e) {
          if (!ffmpeg.isAlive()) {
            break;
          }
          continue;
        }
        int payloadType = buffer[1] & 0xff;
        if (packet.getLength() < 12 || (payloadType >= 200 && payloadType <= 204)) {
          continue; // RTCP
        }
        long now = System.currentTimeMillis() * 1000;
        if (packets == 0) {
          first = now;
          byte[] header =
              Json.createObjectBuilder()
                  .add("t", type)
                  .add("c", codec)
                  .add("s", startMicros)
                  .add("u", firstPacketMicros != null ? firstPacketMicros : now)
                  .build()
                  .toString()
                  .getBytes(StandardCharsets.UTF_8);
          out.writeShort(header.length);
          out.write(header);
        }
        out.write("MEET".getBytes(StandardCharsets.US_ASCII));
        out.writeInt((int) ((now - first) / 1000));
        out.writeShort(packet.getLength());
        out.write(buffer, 0, packet.getLength());
        packets++;
      }
      ffmpeg.waitFor(10, TimeUnit.SECONDS);
      return packets;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), output);
    return output;
  }

  static long count(String text, String needle) {
    return text.lines().filter(l -> l.contains(needle)).count();
  }
}
