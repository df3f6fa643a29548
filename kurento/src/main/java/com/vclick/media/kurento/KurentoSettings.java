package com.vclick.media.kurento;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of the Kurento adapter (keys under {@code vclick.media.kurento.}).
 *
 * @param url WebSocket URI of Kurento Media Server, e.g. {@code ws://127.0.0.1:8888/kurento}
 * @param connectTimeout how long to wait for the WebSocket to open
 * @param requestTimeout how long to wait for one JSON-RPC answer
 */
public record KurentoSettings(URI url, Duration connectTimeout, Duration requestTimeout) {

  static KurentoSettings from(Map<String, String> settings) {
    return new KurentoSettings(
        URI.create(settings.getOrDefault("url", "ws://127.0.0.1:8888/kurento")),
        Duration.ofMillis(Long.parseLong(settings.getOrDefault("connect-timeout-ms", "5000"))),
        Duration.ofMillis(Long.parseLong(settings.getOrDefault("request-timeout-ms", "10000"))));
  }
}
