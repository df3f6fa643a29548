package com.vclick.media.janus;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of the Janus adapter (keys under {@code vclick.media.janus.}); every key and its default
 * is listed in {@code janus/README.md} and {@code CONFIG.md}.
 *
 * @param url base URL of the Janus HTTP transport, e.g. {@code http://127.0.0.1:8088/janus}
 * @param apiSecret the Janus {@code api_secret}; empty when Janus has none (never logged)
 * @param timeout how long one request to Janus, and one wait for the event it causes, may take
 * @param keepalive how often the session is kept alive (Janus drops it after 60 s of silence)
 * @param sessionLossAfter how long Janus may stay unreachable before the session counts as lost
 * @param recordingsDir folder where Janus writes the {@code .mjr} files and the adapter writes the
 *     converted recordings; the same path must be valid for Janus and for this server (same host or
 *     shared mount); empty: recording is not possible
 * @param ppRec the {@code janus-pp-rec} program (Debian package {@code janus-tools})
 * @param ffmpeg the {@code ffmpeg} program
 * @param conversionTimeout how long converting one recording may take
 * @param recordingCheck how often the running recordings' files are checked on disk ({@link
 *     RecordingWatch}); zero: never
 * @param recordingStallAfter how long a party's video recording file may stay the same size while
 *     its media reaches Janus before the recording counts as failed
 * @param recordingAudioStallAfter the same for an audio-only party's audio file (Opus with DTX
 *     fills Janus' 4 KiB write buffer only every minute or so in silence)
 */
public record JanusSettings(
    URI url,
    String apiSecret,
    Duration timeout,
    Duration keepalive,
    Duration sessionLossAfter,
    Optional<Path> recordingsDir,
    String ppRec,
    String ffmpeg,
    Duration conversionTimeout,
    Duration recordingCheck,
    Duration recordingStallAfter,
    Duration recordingAudioStallAfter) {

  public JanusSettings {
    String scheme = url.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException("vclick.media.janus.url must be http:// or https://");
    }
    String path = url.toString();
    if (path.endsWith("/")) {
      url = URI.create(path.substring(0, path.length() - 1));
    }
    if (recordingsDir.isPresent() && !recordingsDir.get().isAbsolute()) {
      throw new IllegalArgumentException("vclick.media.janus.recordings-dir must be absolute");
    }
    if (timeout.isZero()
        || keepalive.isZero()
        || recordingStallAfter.isZero()
        || recordingAudioStallAfter.isZero()) {
      throw new IllegalArgumentException("vclick.media.janus timeouts must be positive");
    }
  }

  static JanusSettings from(Map<String, String> settings) {
    String dir = settings.getOrDefault("recordings-dir", "").strip();
    return new JanusSettings(
        URI.create(settings.getOrDefault("url", "http://127.0.0.1:8088/janus")),
        settings.getOrDefault("api-secret", ""),
        millis(settings, "timeout-ms", 5000),
        millis(settings, "keepalive-ms", 25000),
        millis(settings, "session-loss-ms", 60000),
        dir.isEmpty() ? Optional.empty() : Optional.of(Path.of(dir)),
        settings.getOrDefault("janus-pp-rec", "janus-pp-rec"),
        settings.getOrDefault("ffmpeg", "ffmpeg"),
        millis(settings, "conversion-timeout-ms", 600000),
        millis(settings, "recording-check-ms", 2000),
        millis(settings, "recording-stall-ms", 20000),
        millis(settings, "recording-audio-stall-ms", 180000));
  }

  private static Duration millis(Map<String, String> settings, String key, long fallback) {
    long value = Long.parseLong(settings.getOrDefault(key, Long.toString(fallback)).strip());
    if (value < 0) {
      throw new IllegalArgumentException("vclick.media.janus." + key + " must not be negative");
    }
    return Duration.ofMillis(value);
  }

  @Override
  public String toString() {
    return "JanusSettings[url="
        + url
        + ", timeout="
        + timeout
        + ", keepalive="
        + keepalive
        + ", recordingsDir="
        + recordingsDir.map(Path::toString).orElse("-")
        + "]";
  }
}
