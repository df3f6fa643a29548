package com.vclick.media.kurento;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KurentoMediaServerTest {

  @Test
  void settingsHaveExplicitDefaults() {
    var settings = KurentoSettings.from(Map.of());
    assertEquals("ws://127.0.0.1:8888/kurento", settings.url().toString());
    assertEquals(Duration.ofSeconds(5), settings.connectTimeout());
    assertEquals(Duration.ofSeconds(10), settings.requestTimeout());
    assertEquals(Duration.ofSeconds(10), settings.heartbeat());
    assertEquals(Duration.ofSeconds(10), settings.reconnectWindow());
    assertEquals(Duration.ofSeconds(10), settings.recordingStopTimeout());
    assertEquals(Duration.ofSeconds(3), settings.gatheringTimeout());
    assertEquals(new KurentoSettings.Bandwidth(2000, 300, 2500, 300), settings.bandwidth());
    assertTrue(settings.recordingParts());
    assertEquals(
        "file:///var/lib/kurento/recordings/c1-both.webm", settings.recordingUri("c1-both.webm"));
  }

  @Test
  void settingsAreChecked() {
    assertThrows(
        IllegalArgumentException.class,
        () -> KurentoSettings.from(Map.of("url", "http://127.0.0.1:8888/kurento")));
    assertThrows(
        IllegalArgumentException.class,
        () -> KurentoSettings.from(Map.of("recordings-dir", "recordings")));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            KurentoSettings.from(
                Map.of("video-min-send-kbps", "3000", "video-max-send-kbps", "2000")));
    assertThrows(
        IllegalArgumentException.class,
        () -> KurentoSettings.from(Map.of("request-timeout-ms", "-1")));
    assertEquals(
        "file:///srv/rec/x.webm",
        KurentoSettings.from(Map.of("recordings-dir", "/srv/rec")).recordingUri("x.webm"));
  }

  @Test
  void sdpSummaryFindsMediaKindsAndMids() {
    var summary =
        SdpSummary.of(
            "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:a\r\n"
                + "m=video 0 UDP/TLS/RTP/SAVPF 96\r\na=mid:v\r\n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:d\r\na=inactive\r\n");
    assertTrue(summary.has("audio"));
    assertFalse(summary.has("video"), "port 0: rejected");
    assertFalse(summary.has("application"), "inactive");
    assertEquals(1, summary.indexOf("v"));
    assertEquals(-1, summary.indexOf("x"));
    assertEquals("d", summary.midAt(2));
    assertEquals(null, summary.midAt(3));
    assertEquals(0, SdpSummary.candidateCount("v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"));
    assertEquals(
        2,
        SdpSummary.candidateCount(
            "v=0\r\nm=audio 9 X 111\r\na=candidate:1 1 udp 1 10.0.0.1 9 typ host\r\n"
                + "m=video 9 X 96\na=candidate:2 1 udp 1 10.0.0.1 9 typ host\n"));
  }

  @Test
  void probeOfAnAbsentKurentoSaysDownWithoutThrowing() throws Exception {
    int port;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    try (var kurento =
        new KurentoMediaServerProvider()
            .create(
                Map.of(
                    "url", "ws://127.0.0.1:" + port + "/kurento",
                    "connect-timeout-ms", "500",
                    "request-timeout-ms", "500"))) {
      assertFalse(kurento.probe().reachable());
    }
  }
}
