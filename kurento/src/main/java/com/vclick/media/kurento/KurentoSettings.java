package com.vclick.media.kurento;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of the Kurento adapter (keys under {@code vclick.media.kurento.}); every key and its
 * default is documented in {@code kurento/README.md} and {@code CONFIG.md}.
 *
 * @param url WebSocket URI of Kurento Media Server, e.g. {@code ws://127.0.0.1:8888/kurento}
 * @param connectTimeout how long to wait for the WebSocket to open
 * @param requestTimeout how long to wait for one JSON-RPC answer (bounds every call's method)
 * @param heartbeat how often the client pings KMS, so that a silent KMS is noticed
 * @param reconnectWindow how long the client keeps trying to reconnect after the socket dropped
 *     before the open calls are failed ({@code 0}: one attempt)
 * @param recordingsDir folder on the KMS host where recordings are written
 * @param recordingParts whether each party is also recorded to its own file (besides the composite
 *     file of both)
 * @param recordingStopTimeout how long to wait for a recorder's {@code Stopped} event
 * @param gatheringTimeout how long {@code offer}/{@code answer} wait for an endpoint's candidate
 *     gathering to finish before returning its SDP with the candidates found so far
 * @param bandwidth video bandwidth limits set on every WebRtcEndpoint
 * @param recordingCheck how often the writing recorders' files are checked on disk (where this
 *     server shares KMS's recordings folder); zero: never
 */
public record KurentoSettings(
    URI url,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration heartbeat,
    Duration reconnectWindow,
    String recordingsDir,
    boolean recordingParts,
    Duration recordingStopTimeout,
    Duration gatheringTimeout,
    Bandwidth bandwidth,
    Duration recordingCheck) {

  /**
   * Video bandwidth limits of a WebRtcEndpoint in kbps (Kurento's {@code maxVideoSendBandwidth}
   * etc.). Kurento's own send maximum is very low (500 kbps), hence explicit values.
   */
  public record Bandwidth(int maxSendKbps, int minSendKbps, int maxRecvKbps, int minRecvKbps) {

    public Bandwidth {
      if (minSendKbps < 0 || maxSendKbps < minSendKbps || minRecvKbps < 0) {
        throw new IllegalArgumentException("video bandwidth: need 0 <= min <= max");
      }
      if (maxRecvKbps != 0 && maxRecvKbps < minRecvKbps) {
        throw new IllegalArgumentException("video bandwidth: need min <= max receive (0: no max)");
      }
    }
  }

  public KurentoSettings {
    if (!"ws".equals(url.getScheme()) && !"wss".equals(url.getScheme())) {
      throw new IllegalArgumentException("vclick.media.kurento.url must be ws:// or wss://");
    }
    if (!recordingsDir.startsWith("/")) {
      throw new IllegalArgumentException("vclick.media.kurento.recordings-dir must be absolute");
    }
    recordingsDir = recordingsDir.endsWith("/") ? recordingsDir : recordingsDir + "/";
  }

  static KurentoSettings from(Map<String, String> settings) {
    return new KurentoSettings(
        URI.create(settings.getOrDefault("url", "ws://127.0.0.1:8888/kurento")),
        millis(settings, "connect-timeout-ms", 5000),
        millis(settings, "request-timeout-ms", 10000),
        millis(settings, "heartbeat-ms", 10000),
        millis(settings, "reconnect-window-ms", 10000),
        settings.getOrDefault("recordings-dir", "/var/lib/kurento/recordings"),
        Boolean.parseBoolean(settings.getOrDefault("recording-parts", "true")),
        millis(settings, "recording-stop-timeout-ms", 10000),
        millis(settings, "gathering-timeout-ms", 3000),
        new Bandwidth(
            integer(settings, "video-max-send-kbps", 2000),
            integer(settings, "video-min-send-kbps", 300),
            integer(settings, "video-max-recv-kbps", 2500),
            integer(settings, "video-min-recv-kbps", 300)),
        millis(settings, "recording-check-ms", 2000));
  }

  /** The URI a recorder writes {@code fileName} to (on the KMS host). */
  String recordingUri(String fileName) {
    return "file://" + recordingsDir + fileName;
  }

  private static Duration millis(Map<String, String> settings, String key, long fallback) {
    long value = Long.parseLong(settings.getOrDefault(key, Long.toString(fallback)));
    if (value < 0) {
      throw new IllegalArgumentException("vclick.media.kurento." + key + " must not be negative");
    }
    return Duration.ofMillis(value);
  }

  private static int integer(Map<String, String> settings, String key, int fallback) {
    return Integer.parseInt(settings.getOrDefault(key, Integer.toString(fallback)));
  }
}
