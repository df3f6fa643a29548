package com.vclick.media.janus;

import com.vclick.media.api.Leg;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * are aligned by the time of each {@code .mjr} file's first packet; the segments of a recording
 * join the same way (a party's video pieces into one track, every audio piece into the mix).
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

  /** One party's converted track of one segment. */
  private record Track(Leg leg, String kind, Path file, String extension, long firstPacketMicros) {}

  @Override
  public Converted convert(List<RecordingSegment> segments) throws IOException {
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("no segment to convert");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Path output = segments.get(0).output();
    RecordingTools.requireAbsent(output);
    List<Path> parts = new ArrayList<>();
    List<Track> video = new ArrayList<>();
    List<Track> audio = new ArrayList<>();
    for (RecordingSegment segment : segments) {
      unpack(segment, deadline, parts, video, audio);
    }
    if (video.isEmpty() && audio.isEmpty()) {
      throw new IOException("no media was recorded");
    }
    List<Path> lists = new ArrayList<>();
    try {
      RecordingTools.run(muxCommand(video, audio, output, lists), deadline, "ffmpeg");
    } catch (IOException e) {
      Files.deleteIfExists(output); // ours: it did not exist before
      throw e;
    } finally {
      for (Path list : lists) {
        Files.deleteIfExists(list);
      }
    }
    if (!Files.isRegularFile(output) || Files.size(output) == 0) {
      throw new IOException("ffmpeg wrote no file");
    }
    return new Converted(output, parts);
  }

  /** {@code janus-pp-rec} on each of the segment's non-empty media files. */
  private void unpack(
      RecordingSegment segment,
      long deadline,
      List<Path> parts,
      List<Track> video,
      List<Track> audio)
      throws IOException {
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
        String extension = RecordingTools.extension(kind, codec);
        Path target = segment.converted(leg, kind, extension);
        RecordingTools.requireAbsent(target);
        RecordingTools.run(
            List.of(ppRec, mjr.toString(), target.toString()), deadline, "janus-pp-rec");
        if (!Files.isRegularFile(target) || Files.size(target) == 0) {
          Files.deleteIfExists(target);
          continue; // packets but no frame (e.g. only padding): nothing playable
        }
        parts.add(target);
        var track = new Track(leg, kind, target, extension, RecordingTools.firstPacket(header));
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
  }

  /**
   * One party's video: its segments' pieces in time order, consecutive pieces of one codec joined
   * into one track (ffmpeg's concat demuxer, each piece placed at its first packet's time).
   */
  private static List<List<Track>> videoRuns(List<Track> video) {
    List<List<Track>> runs = new ArrayList<>();
    for (Leg leg : Leg.values()) {
      List<Track> run = null;
      for (Track track : video) {
        if (track.leg != leg) {
          continue;
        }
        if (run == null || !run.get(run.size() - 1).extension.equals(track.extension)) {
          run = new ArrayList<>();
          runs.add(run);
        }
        run.add(track);
      }
    }
    return runs;
  }

  private List<String> muxCommand(
      List<Track> video, List<Track> audio, Path output, List<Path> lists) throws IOException {
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
    List<Leg> videoParties = new ArrayList<>();
    for (List<Track> run : videoRuns(video)) {
      long offset = run.get(0).firstPacketMicros - start;
      if (offset > 0) {
        command.addAll(List.of("-itsoffset", seconds(offset)));
      }
      if (run.size() == 1) {
        command.addAll(List.of("-i", run.get(0).file.toString()));
      } else {
        Path list = concatList(run);
        lists.add(list);
        command.addAll(List.of("-f", "concat", "-safe", "0", "-i", list.toString()));
      }
      videoInputs.add(input++ + ":v:0");
      videoParties.add(run.get(0).leg);
    }
    // Every party's audio of every segment, each placed at its first packet's time and mixed: the
    // segments of one party follow each other, so the mix is the whole call's audio.
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
    for (int i = 0; i < videoParties.size(); i++) {
      command.addAll(
          List.of("-metadata:s:v:" + i, "title=" + RecordingSegment.party(videoParties.get(i))));
    }
    command.addAll(List.of("-f", "matroska", output.toString()));
    return command;
  }

  /**
   * An ffconcat list of a party's pieces: each piece lasts until the next one's first packet, so
   * that the next one starts at its real time.
   */
  private static Path concatList(List<Track> run) throws IOException {
    StringBuilder list = new StringBuilder("ffconcat version 1.0\n");
    for (int i = 0; i < run.size(); i++) {
      Track track = run.get(i);
      list.append("file '").append(track.file.toString().replace("'", "'\\''")).append("'\n");
      if (i + 1 < run.size()) {
        long duration = Math.max(1, run.get(i + 1).firstPacketMicros - track.firstPacketMicros);
        list.append("duration ").append(seconds(duration)).append('\n');
      }
    }
    Path file = Files.createTempFile("vclick-concat-", ".ffconcat");
    Files.writeString(file, list, StandardCharsets.UTF_8);
    return file;
  }

  private static String seconds(long micros) {
    return String.format(Locale.ROOT, "%.6f", micros / 1_000_000.0);
  }
}
