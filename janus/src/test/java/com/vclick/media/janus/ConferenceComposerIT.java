package com.vclick.media.janus;

import static com.vclick.media.janus.RecordingConverterIT.audio;
import static com.vclick.media.janus.RecordingConverterIT.count;
import static com.vclick.media.janus.RecordingConverterIT.rtpToMjr;
import static com.vclick.media.janus.RecordingConverterIT.run;
import static com.vclick.media.janus.RecordingConverterIT.video;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.media.api.ConferenceEvent.Attendance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code janus-pp-rec} and {@code ffmpeg} composing a three-party take from {@code .mjr}
 * files as Janus' VideoRoom writes them ({@code <stint>-audio-<mindex>.mjr}, {@code
 * <stint>-video-<mindex>.mjr}; RTP from ffmpeg's own payloaders, as in {@link
 * RecordingConverterIT}): alice from the start, bob joining a second late, carol with her camera
 * turned on 1.5 s late (a new video section: a new file). The composed file is checked with
 * ffprobe, and each tile is looked at before and after its party's video started.
 */
class ConferenceComposerIT {

  private static final long SECOND = 1_000_000;

  @TempDir Path dir;

  @Test
  void threePartiesBecomeOneGridWithTheirAudioMixedEachAtItsRealStart() throws Exception {
    long start = System.currentTimeMillis() * 1000;
    Instant startedAt = Instant.ofEpochMilli(start / 1000);
    String base = ConferenceTake.base("conf-it", startedAt);
    String alice = dir.resolve(base + "-alice-1").toString();
    String bob = dir.resolve(base + "-bob-1").toString();
    String carol = dir.resolve(base + "-carol-1").toString();
    var tracks =
        List.of(
            mjr(video("testsrc"), alice + "-video-1.mjr", "v", "vp8", start, 0),
            mjr(audio(440), alice + "-audio-0.mjr", "a", "opus", start, 0),
            mjr(video("testsrc2"), bob + "-video-1.mjr", "v", "vp8", start, SECOND),
            mjr(audio(660), bob + "-audio-0.mjr", "a", "opus", start, SECOND),
            mjr(audio(880), carol + "-audio-0.mjr", "a", "opus", start, 0),
            mjr(video("smptebars"), carol + "-video-2.mjr", "v", "vp8", start, SECOND * 3 / 2));
    for (var track : tracks) {
      assertTrue(track.get(90, TimeUnit.SECONDS) > 10, "RTP packets captured");
    }
    Files.writeString(Path.of(carol + "-video-1.mjr"), "MJR00002"); // camera off: no packet
    Instant stoppedAt = startedAt.plusMillis(3500);
    var take =
        new ConferenceTake(
            "conf-it",
            dir,
            base,
            startedAt,
            stoppedAt,
            List.of(
                new ConferenceTake.Stint("alice", alice),
                new ConferenceTake.Stint("bob", bob),
                new ConferenceTake.Stint("carol", carol)),
            List.of(
                new Attendance("alice", startedAt, null),
                new Attendance("bob", startedAt.plusSeconds(1), null),
                new Attendance("carol", startedAt, null)));

    var composer = new FfmpegConferenceComposer("janus-pp-rec", "ffmpeg", Duration.ofMinutes(3));
    ConferenceComposer.Composed composed = composer.compose(take);

    assertEquals(dir.resolve(base + ".mkv"), composed.file());
    assertEquals(
        7 + 6, composed.parts().size(), "7 .mjr + 6 per-stream files: " + composed.parts());
    assertTrue(
        composed.parts().contains(Path.of(carol + "-video-2.webm")), composed.parts().toString());
    String probe =
        run(
            List.of(
                "ffprobe",
                "-v",
                "error",
                "-show_entries",
                "stream=codec_type,codec_name,width,height:format=duration",
                "-of",
                "compact",
                composed.file().toString()));
    assertEquals(1, count(probe, "codec_name=vp8|codec_type=video|width=1280|height=720"), probe);
    assertEquals(1, count(probe, "codec_name=opus|codec_type=audio"), probe);
    double duration =
        Double.parseDouble(probe.replaceAll("(?s).*format\\|duration=([0-9.]+).*", "$1"));
    assertTrue(duration > 3.0 && duration < 4.2, "about the 3.5 s of the take: " + duration);

    // Tiles (2 columns): alice top left, bob top right, carol bottom left.
    assertTrue(luma(composed.file(), 0.5, 0, 0) > 40, "alice's video from the start");
    assertTrue(luma(composed.file(), 0.5, 640, 0) < 20, "bob's tile black before he joined");
    assertTrue(luma(composed.file(), 2.0, 640, 0) > 40, "bob's video after he joined");
    assertTrue(luma(composed.file(), 0.7, 0, 360) < 20, "carol's tile black, camera off");
    assertTrue(luma(composed.file(), 2.5, 0, 360) > 40, "carol's video once her camera is on");
    assertTrue(luma(composed.file(), 2.0, 640, 360) < 20, "the fourth tile stays black");

    var again = assertThrows(IOException.class, () -> composer.compose(take));
    assertTrue(again.getMessage().contains("never overwritten"), again.getMessage());
  }

  @Test
  void aTakeWithoutPacketsIsNothingRecorded() throws Exception {
    Instant now = Instant.now();
    String base = ConferenceTake.base("conf-it2", now);
    String alice = dir.resolve(base + "-alice-1").toString();
    Files.writeString(Path.of(alice + "-audio-0.mjr"), "MJR00002");
    var take =
        new ConferenceTake(
            "conf-it2",
            dir,
            base,
            now,
            now.plusSeconds(1),
            List.of(new ConferenceTake.Stint("alice", alice)),
            List.of());
    var composer = new FfmpegConferenceComposer("janus-pp-rec", "ffmpeg", Duration.ofMinutes(1));
    assertTrue(
        assertThrows(IOException.class, () -> composer.compose(take))
            .getMessage()
            .contains("no media"));
  }

  private static CompletableFuture<Integer> mjr(
      List<String> encode, String file, String type, String codec, long start, long shift) {
    return CompletableFuture.supplyAsync(
        () -> rtpToMjr(encode, Path.of(file), type, codec, start, start + shift));
  }

  /** The mean luma of the 640x360 tile at (x, y) in the frame at {@code seconds}. */
  private static double luma(Path file, double seconds, int x, int y) throws Exception {
    String out =
        run(
            List.of(
                "ffmpeg",
                "-hide_banner",
                "-nostdin",
                "-ss",
                String.format(Locale.ROOT, "%.2f", seconds),
                "-i",
                file.toString(),
                "-frames:v",
                "1",
                "-vf",
                "crop=640:360:" + x + ":" + y + ",signalstats,metadata=print",
                "-f",
                "null",
                "-"));
    String value = out.replaceAll("(?s).*lavfi\\.signalstats\\.YAVG=([0-9.]+).*", "$1");
    return Double.parseDouble(value);
  }
}
