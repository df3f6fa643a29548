package com.vclick.media.janus;

import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Composes a conference take with the real tools: {@code janus-pp-rec} turns each participant's
 * {@code .mjr} files into per-stream files (audio skew compensated, so that audio keeps to real
 * time), then one {@code ffmpeg} run makes <b>one Matroska file</b>: a grid ({@code xstack}) with
 * one tile per participant (its video scaled into the tile, black while it sends none) and one
 * audio track of everyone mixed ({@code amix}). Every stream is placed at its real start: the
 * first-packet time in its {@code .mjr} header (Janus' clock, not the file's mtime), relative to
 * the take's earliest stream; so a participant who joins late, turns the camera on later (a new
 * {@code .mjr} from Janus) or leaves and comes back lands where it happened. The composed file is
 * cut at the take's end, whatever a recorder may still have written after it.
 */
final class FfmpegConferenceComposer implements ConferenceComposer {

  /** A tile of the grid (16:9). */
  static final int TILE_WIDTH = 640;

  static final int TILE_HEIGHT = 360;

  static final int FRAME_RATE = 25;

  /** {@code janus-pp-rec -S}: audio skew (RTP clock vs arrival) compensated beyond this (ms). */
  static final int AUDIO_SKEW_MS = 80;

  private static final Pattern STREAM = Pattern.compile("(audio|video)-(\\d+)\\.mjr");

  private final String ppRec;
  private final String ffmpeg;
  private final Duration timeout;
  private final JsonProvider json;

  FfmpegConferenceComposer(String ppRec, String ffmpeg, Duration timeout) {
    this.ppRec = ppRec;
    this.ffmpeg = ffmpeg;
    this.timeout = timeout;
    this.json = JsonProvider.provider();
  }

  /** One converted stream: whose, audio or video, its file, its first packet (µs, Janus' clock). */
  record Track(String participantId, String kind, Path file, long startMicros) {}

  @Override
  public Composed compose(ConferenceTake take) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Path> parts = new ArrayList<>();
    List<Track> tracks = new ArrayList<>();
    for (ConferenceTake.Stint stint : take.stints()) {
      for (Path mjr : streamsOf(stint)) {
        parts.add(mjr);
        if (Files.size(mjr) <= RecordingTools.EMPTY_MJR) {
          continue; // no packet reached Janus on this stream
        }
        JsonObject header = RecordingTools.header(mjr, json);
        String kind = header.getString("t", "").equals("a") ? "audio" : "video";
        String codec = header.getString("c", "").toLowerCase(Locale.ROOT);
        String name = mjr.getFileName().toString();
        Path target =
            mjr.resolveSibling(
                name.substring(0, name.length() - 4) + "." + RecordingTools.extension(kind, codec));
        RecordingTools.requireAbsent(target);
        List<String> command = new ArrayList<>(List.of(ppRec));
        if (kind.equals("audio")) {
          command.addAll(List.of("-S", Integer.toString(AUDIO_SKEW_MS)));
        }
        command.addAll(List.of(mjr.toString(), target.toString()));
        RecordingTools.run(command, deadline, "janus-pp-rec");
        if (!Files.isRegularFile(target) || Files.size(target) == 0) {
          Files.deleteIfExists(target);
          continue; // packets but nothing playable
        }
        parts.add(target);
        tracks.add(
            new Track(stint.participantId(), kind, target, RecordingTools.firstPacket(header)));
      }
    }
    if (tracks.isEmpty()) {
      throw new IOException("no media was recorded");
    }
    Path output = take.output();
    RecordingTools.requireAbsent(output);
    try {
      RecordingTools.run(command(take, tracks, output), deadline, "ffmpeg");
    } catch (IOException e) {
      Files.deleteIfExists(output); // ours: it did not exist before
      throw e;
    }
    if (!Files.isRegularFile(output) || Files.size(output) == 0) {
      throw new IOException("ffmpeg wrote no file");
    }
    return new Composed(output, parts);
  }

  /** The {@code .mjr} files Janus wrote for a stint ({@code <janusBase>-audio|video-<mindex>}). */
  private static List<Path> streamsOf(ConferenceTake.Stint stint) throws IOException {
    Path base = Path.of(stint.janusBase());
    String prefix = base.getFileName() + "-";
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(base.getParent(), prefix + "*.mjr")) {
      for (Path file : files) {
        String rest = file.getFileName().toString().substring(prefix.length());
        if (STREAM.matcher(rest).matches()) {
          found.add(file);
        }
      }
    }
    found.sort(null);
    return found;
  }

  /** The ffmpeg command: the tiles, the grid, the mix, cut at the take's length. */
  List<String> command(ConferenceTake take, List<Track> tracks, Path output) {
    long origin = tracks.stream().mapToLong(Track::startMicros).min().orElse(0);
    long lengthMicros =
        Math.max(
            1_000_000,
            take.stoppedAt().toEpochMilli() * 1000 - origin); // Janus and we share the clock
    Map<String, List<Track>> videoOf = new LinkedHashMap<>();
    for (ConferenceTake.Stint stint : take.stints()) {
      videoOf.putIfAbsent(stint.participantId(), new ArrayList<>());
    }
    List<String> command =
        new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-n"));
    for (Track track : tracks) {
      command.addAll(List.of("-i", track.file().toString()));
    }
    StringBuilder filter = new StringBuilder();
    String length = seconds(lengthMicros);
    List<String> audio = new ArrayList<>();
    for (int i = 0; i < tracks.size(); i++) {
      Track track = tracks.get(i);
      String offset = seconds(track.startMicros() - origin);
      if (track.kind().equals("video")) {
        videoOf.get(track.participantId()).add(track);
        filter
            .append('[')
            .append(i)
            .append(":v:0]setpts=PTS-STARTPTS+")
            .append(offset)
            .append("/TB,scale=")
            .append(TILE_WIDTH)
            .append(':')
            .append(TILE_HEIGHT)
            .append(":force_original_aspect_ratio=decrease,pad=")
            .append(TILE_WIDTH)
            .append(':')
            .append(TILE_HEIGHT)
            .append(":(ow-iw)/2:(oh-ih)/2,setsar=1[v")
            .append(i)
            .append("];");
      } else {
        // async: audio follows its timestamps (gaps filled, drift stretched), then its real start
        filter
            .append('[')
            .append(i)
            .append(":a:0]aresample=48000:async=1:first_pts=0,adelay=delays=")
            .append((track.startMicros() - origin) / 1000)
            .append(":all=1[a")
            .append(i)
            .append("];");
        audio.add("[a" + i + "]");
      }
    }
    int tile = 0;
    for (Map.Entry<String, List<Track>> participant : videoOf.entrySet()) {
      String canvas = "t" + tile + "c0";
      filter
          .append("color=c=black:s=")
          .append(TILE_WIDTH)
          .append('x')
          .append(TILE_HEIGHT)
          .append(":r=")
          .append(FRAME_RATE)
          .append(":d=")
          .append(length)
          .append('[')
          .append(canvas)
          .append("];");
      int layer = 0;
      for (Track track : participant.getValue()) {
        String next = "t" + tile + "c" + ++layer;
        filter
            .append('[')
            .append(canvas)
            .append("][v")
            .append(tracks.indexOf(track))
            .append("]overlay=eof_action=pass:repeatlast=0[")
            .append(next)
            .append("];");
        canvas = next;
      }
      filter.append('[').append(canvas).append("]null[tile").append(tile++).append("];");
    }
    if (tile == 1) {
      filter.append("[tile0]format=yuv420p[grid]");
    } else {
      int columns = (int) Math.ceil(Math.sqrt(tile));
      for (int i = 0; i < tile; i++) {
        filter.append("[tile").append(i).append(']');
      }
      filter.append("xstack=inputs=").append(tile).append(":fill=black:layout=");
      for (int i = 0; i < tile; i++) {
        int x = (i % columns) * TILE_WIDTH;
        int y = (i / columns) * TILE_HEIGHT;
        filter.append(i == 0 ? "" : "|").append(x).append('_').append(y);
      }
      filter.append(",format=yuv420p[grid]");
    }
    if (!audio.isEmpty()) {
      filter.append(';').append(String.join("", audio));
      filter
          .append("amix=inputs=")
          .append(audio.size())
          .append(":duration=longest:normalize=0,apad[mix]");
    }
    command.addAll(List.of("-filter_complex", filter.toString(), "-map", "[grid]"));
    command.addAll(
        List.of(
            "-c:v",
            "libvpx",
            "-deadline",
            "realtime",
            "-cpu-used",
            "8",
            "-b:v",
            "1500k",
            "-r",
            Integer.toString(FRAME_RATE)));
    if (!audio.isEmpty()) {
      command.addAll(List.of("-map", "[mix]", "-c:a", "libopus", "-b:a", "96k"));
      command.addAll(List.of("-metadata:s:a:0", "title=everyone"));
    }
    command.addAll(List.of("-t", length));
    command.addAll(List.of("-metadata", "title=" + take.conferenceId()));
    command.addAll(List.of("-f", "matroska", output.toString()));
    return command;
  }

  private static String seconds(long micros) {
    return String.format(Locale.ROOT, "%.6f", Math.max(0, micros) / 1_000_000.0);
  }
}
