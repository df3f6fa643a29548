package com.vclick.media.janus;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of the Janus adapter (keys under {@code vclick.media.janus.}).
 *
 * @param url base URL of the Janus HTTP transport, e.g. {@code http://127.0.0.1:8088/janus}
 * @param apiSecret the Janus {@code api_secret}; empty when Janus has none
 * @param timeout timeout of one request to Janus
 */
public record JanusSettings(URI url, String apiSecret, Duration timeout) {

  static JanusSettings from(Map<String, String> settings) {
    return new JanusSettings(
        URI.create(settings.getOrDefault("url", "http://127.0.0.1:8088/janus")),
        settings.getOrDefault("api-secret", ""),
        Duration.ofMillis(Long.parseLong(settings.getOrDefault("timeout-ms", "5000"))));
  }

  @Override
  public String toString() {
    return "JanusSettings[url=" + url + ", timeout=" + timeout + "]";
  }
}
