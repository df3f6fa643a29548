package com.vclick.core.recordings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ProbeJsonTest {

  /** What ffprobe 5.1 writes for a WebRTC-like recording (abridged: tags and dispositions). */
  static final String FFPROBE =
      """
      {"streams": [
        {"index": 0, "codec_name": "vp8", "codec_type": "video", "profile": "0",
         "width": 160, "height": 120, "avg_frame_rate": "10/1",
         "tags": {"ENCODER": "Lavc59.37.100 libvpx", "DURATION": "00:00:02.007000000"}},
        {"index": 1, "codec_name": "opus", "codec_type": "audio", "sample_rate": "48000",
         "channels": 1, "avg_frame_rate": "0/0", "tags": {"ENCODER": "Lavc59.37.100 libopus"}}],
       "format": {"filename": "/var/lib/vclick/recordings/2026/11/x.mkv", "nb_streams": 2,
         "format_name": "matroska,webm", "duration": "2.008000", "size": "27969",
         "tags": {"ENCODER": "Lavf59.27.100"}}}
      """;

  @Test
  void durationAndAStableSummaryWithoutTagsOrFileNames() {
    ProbeResult result = ProbeJson.parse(FFPROBE);

    assertEquals(2008L, result.durationMillis());
    assertNull(result.error());
    assertEquals(
        "{\"format\":\"matroska,webm\",\"streams\":["
            + "{\"index\":0,\"type\":\"video\",\"codec\":\"vp8\",\"profile\":\"0\","
            + "\"width\":160,\"height\":120,\"frameRate\":\"10/1\"},"
            + "{\"index\":1,\"type\":\"audio\",\"codec\":\"opus\",\"sampleRate\":48000,"
            + "\"channels\":1}]}",
        result.codecs());
    assertFalse(result.codecs().contains("ENCODER"));
    assertFalse(result.codecs().contains("/var/lib"));
  }

  @Test
  void whatIsUnknownIsSaid() {
    assertEquals(
        ProbeResult.failed("ffprobe's output is not the expected JSON."),
        ProbeJson.parse("Invalid data found when processing input"));
    assertEquals(ProbeResult.failed("ffprobe found no streams."), ProbeJson.parse("{}"));
    ProbeResult noDuration =
        ProbeJson.parse(
            "{\"streams\":[{\"codec_type\":\"audio\",\"codec_name\":\"opus\"}],"
                + "\"format\":{\"duration\":\"N/A\"}}");
    assertNull(noDuration.durationMillis());
    assertEquals("ffprobe gave no duration.", noDuration.error());
    assertEquals("{\"streams\":[{\"type\":\"audio\",\"codec\":\"opus\"}]}", noDuration.codecs());
  }

  @Test
  void longErrorsAreCut() {
    assertEquals(
        ProbeResult.MAX_ERROR_LENGTH, ProbeResult.failed("x".repeat(2000)).error().length());
  }
}
