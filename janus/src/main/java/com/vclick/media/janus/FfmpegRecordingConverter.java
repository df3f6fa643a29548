package com.vclick.media.janus;

import com.vclick.media.api.Leg;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Converts with the real tools: {@code janus-pp-rec} turns each {@code .mjr} file into a per-party
 * file ({@code .webm} for VP8/VP9, {@code .opus} for Opus, …), then {@code ffmpeg} muxes them into
 * one Matroska file: each party's video as its own track (copied, no re-encoding) and one audio
 * track of both parties mixed (Opus), so that any player plays the call as it was heard. The tracks
 * are aligned by the time of each {@code .mjr} file's first packet.
 */
final class FfmpegRecordingConverter implements RecordingConverter {

  private final String ppRec;
  private final String ffmpeg;
  private final Duration timeout;
  private final JsonProvider json;

  FfmpegRecordingConverter(String ppRec, String ffmpeg, Duration timeout, JsonProvider json) {
    this.ppRec = ppRec;
    this.ffmpeg = ffmpeg;
    this.timeout = timeout;
    this.json = json;
  }

  /** One party's converted track. */
  private record Track(Leg leg, String kind, Path file, long firstPacketMicros) {}

  @Override
  public Converted convert(RecordingSegment segment) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Path> parts = new ArrayList<>();
    List<Track> video = new ArrayList<>();
    List<Track> audio = new ArrayList<>();
    for (Leg leg : Leg.values()) {
      for (String kind : List.of("video", "audio")) {
        Path mjr = segment.mjr(leg, kind);
        if (!Files.isRegularFile(mjr)) {
          continue;
        }
        parts.add(mjr);
        if (Files.size(mjr) <= RecordingTools.EMPTY_MJR) {
          continue; // Janus got no packet of this kind from this party
        }
        JsonObject header = RecordingTools.header(mjr, json);
        String codec = header.getString("c", "").toLowerCase(Locale.ROOT);
        Path target = segment.converted(leg, kind, RecordingTools.extension(kind, codec));
        RecordingTools.requireAbsent(target);
        RecordingTools.run(
            List.of(ppRec, mjr.toString(), target.toString()), deadline, "janus-pp-rec");
        if (!Files.isRegularFile(target) || Files.size(target) == 0) {
          Files.deleteIfExists(target);
          continue; // packets but no frame (e.g. only padding): nothing playable
        }
        parts.add(target);
        var track = new Track(leg, kind, target, RecordingTools.firstPacket(header));
        (kind.equals("video") ? video : audio).add(track);
      }
    }
    // Janus also writes -data.mjr when the peers negotiated a data channel: kept, not converted.
    for (Leg leg : Leg.values()) {
      Path data = segment.mjr(leg, "data");
      if (Files.isRegularFile(data)) {
        parts.add(data);
      }
    }
    if (video.isEmpty() && audio.isEmpty()) {
      throw new IOException("no media was recorded");
    }
    Path output = segment.output();
    RecordingTools.requireAbsent(output);
    try {
      RecordingTools.run(muxCommand(video, audio, output), deadline, "ffmpeg");
    } catch (IOException e) {
      Files.deleteIfExists(output); // ours: it did not exist before
      throw e;
    }
    if (!Files.isRegularFile(output) || Files.size(output) == 0) {
      throw new IOException("ffmpeg wrote no file");
    }
    return new Converted(output, parts);
  }

  private List<String> muxCommand(List<Track> video, List<Track> audio, Path output) {
    long start = Long.MAX_VALUE;
    for (Track track : video) {
      start = Math.min(start, track.firstPacketMicros);
    }
    for (Track track : audio) {
      start = Math.min(start, track.firstPacketMicros);
    }
    List<String> command =
        new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-n"));
    int input = 0;
    List<String> videoInputs = new ArrayList<>();
    for (Track track : video) {
      long offset = track.firstPacketMicros - start;
      if (offset > 0) {
        command.addAll(List.of("-itsoffset", seconds(offset)));
      }
      command.addAll(List.of("-i", track.file.toString()));
      videoInputs.add(input++ + ":v:0");
    }
    StringBuilder filter = new StringBuilder();
    List<String> audioLabels = new ArrayList<>();
    for (Track track : audio) {
      command.addAll(List.of("-i", track.file.toString()));
      long delayMs = (track.firstPacketMicros - start) / 1000;
      String label = "a" + audioLabels.size();
      filter.append('[').append(input++).append(":a:0]aresample=48000");
      if (delayMs > 0) {
        filter.append(",adelay=delays=").append(delayMs).append(":all=1");
      }
      filter.append('[').append(label).append("];");
      audioLabels.add(label);
    }
    if (!audioLabels.isEmpty()) {
      for (String label : audioLabels) {
        filter.append('[').append(label).append(']');
      }
      filter
          .append("amix=inputs=")
          .append(audioLabels.size())
          .append(":duration=longest:normalize=0[mix]");
      command.addAll(List.of("-filter_complex", filter.toString()));
    }
    for (String videoInput : videoInputs) {
      command.addAll(List.of("-map", videoInput));
    }
    if (!audioLabels.isEmpty()) {
      command.addAll(List.of("-map", "[mix]", "-c:a", "libopus", "-b:a", "96k"));
      command.addAll(List.of("-metadata:s:a:0", "title=both parties"));
    }
    command.addAll(List.of("-c:v", "copy"));
    for (int i = 0; i < video.size(); i++) {
      command.addAll(
          List.of("-metadata:s:v:" + i, "title=" + RecordingSegment.party(video.get(i).leg)));
    }
    command.addAll(List.of("-f", "matroska", output.toString()));
    return command;
  }

  private static String seconds(long micros) {
    return String.format(Locale.ROOT, "%.6f", micros / 1_000_000.0);
  }
}
