package com.vclick.media.kurento;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
