package com.vclick.media.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MediaServersTest {

  private record FakeServer(String name, Map<String, String> settings) implements MediaServer {
    @Override
    public MediaServerStatus probe() {
      return MediaServerStatus.up(settings.getOrDefault("version", "?"));
    }

    @Override
    public ProxiedCall createProxiedCall(ProxiedCallRequest request, MediaEventListener listener)
        throws MediaServerException {
      throw new MediaServerException("not in this test");
    }

    @Override
    public int openCalls() {
      return 0;
    }

    @Override
    public void close() {}
  }

  private static MediaServerProvider provider(String name) {
    return new MediaServerProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public MediaServer create(Map<String, String> settings) {
        return new FakeServer(name, settings);
      }
    };
  }

  @Test
  void picksTheAdapterNamedByConfiguration() {
    var server =
        MediaServers.create(
            "kurento", Map.of("version", "7"), List.of(provider("janus"), provider("kurento")));
    assertEquals("kurento", server.name());
    assertEquals("7", server.probe().detail());
  }

  @Test
  void unknownAdapterIsAClearError() {
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () -> MediaServers.create("mediasoup", Map.of(), List.of(provider("janus"))));
    assertTrue(error.getMessage().contains("mediasoup"));
    assertTrue(error.getMessage().contains("janus"));
  }
}
