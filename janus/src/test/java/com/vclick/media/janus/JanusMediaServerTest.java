package com.vclick.media.janus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JanusMediaServerTest {

  @Test
  void probeReadsTheVersionOfARunningJanus() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/janus/info",
        exchange -> {
          byte[] body =
              "{\"janus\":\"server_info\",\"version_string\":\"1.1.2\"}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try (var janus =
        new JanusMediaServerProvider()
            .create(
                Map.of("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/janus"))) {
      var status = janus.probe();
      assertTrue(status.reachable());
      assertEquals("Janus 1.1.2", status.detail());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void probeOfANonListeningPortSaysDownWithoutThrowing() throws Exception {
    int port;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    try (var janus =
        new JanusMediaServerProvider()
            .create(Map.of("url", "http://127.0.0.1:" + port + "/janus", "timeout-ms", "500"))) {
      assertFalse(janus.probe().reachable());
    }
  }

  @Test
  void settingsNeverPrintTheApiSecret() {
    var settings = JanusSettings.from(Map.of("api-secret", "s3cr3t"));
    assertFalse(settings.toString().contains("s3cr3t"));
  }
}
