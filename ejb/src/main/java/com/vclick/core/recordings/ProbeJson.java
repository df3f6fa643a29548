package com.vclick.core.recordings;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * Turns the output of {@code ffprobe -v error -show_streams -show_format -of json} into what is
 * stored: the duration and a small, stable JSON summary of the streams — {@code {"format":
 * "matroska,webm", "streams": [{"index": 0, "type": "video", "codec": "vp8", "width": 160,
 * "height": 120, "frameRate": "10/1"}, {"index": 1, "type": "audio", "codec": "opus", "sampleRate":
 * 48000, "channels": 1}]}} — without ffprobe's tags (encoder names, file names).
 */
final class ProbeJson {

  /** Most streams summarised; a recording has a handful. */
  static final int MAX_STREAMS = 32;

  private ProbeJson() {}

  static ProbeResult parse(String output) {
    JsonObject probe;
    try (var reader = Json.createReader(new StringReader(output))) {
      probe = reader.readObject();
    } catch (JsonException | IllegalStateException e) {
      return ProbeResult.failed("ffprobe's output is not the expected JSON.");
    }
    JsonObject format = object(probe, "format");
    JsonObjectBuilder summary = Json.createObjectBuilder();
    text(format, "format_name").ifPresent(name -> summary.add("format", name));
    JsonArrayBuilder streams = Json.createArrayBuilder();
    var list = probe.get("streams");
    int count = 0;
    if (list != null && list.getValueType() == JsonValue.ValueType.ARRAY) {
      for (JsonValue value : list.asJsonArray()) {
        if (value.getValueType() == JsonValue.ValueType.OBJECT && count < MAX_STREAMS) {
          streams.add(stream(value.asJsonObject()));
          count++;
        }
      }
    }
    summary.add("streams", streams);
    Long duration = durationMillis(format);
    String codecs = count == 0 ? null : summary.build().toString();
    String error =
        count == 0
            ? "ffprobe found no streams."
            : duration == null ? "ffprobe gave no duration." : null;
    return new ProbeResult(duration, codecs, error);
  }

  private static JsonObject stream(JsonObject stream) {
    JsonObjectBuilder json = Json.createObjectBuilder();
    number(stream, "index").ifPresent(n -> json.add("index", n));
    text(stream, "codec_type").ifPresent(t -> json.add("type", t));
    text(stream, "codec_name").ifPresent(t -> json.add("codec", t));
    text(stream, "profile").ifPresent(t -> json.add("profile", t));
    number(stream, "width").ifPresent(n -> json.add("width", n));
    number(stream, "height").ifPresent(n -> json.add("height", n));
    text(stream, "avg_frame_rate")
        .filter(rate -> !rate.startsWith("0/"))
        .ifPresent(t -> json.add("frameRate", t));
    text(stream, "sample_rate")
        .flatMap(ProbeJson::decimal)
        .ifPresent(rate -> json.add("sampleRate", rate));
    number(stream, "channels").ifPresent(n -> json.add("channels", n));
    return json.build();
  }

  /** The container's duration ({@code format.duration}, seconds as text) in milliseconds. */
  private static Long durationMillis(JsonObject format) {
    return text(format, "duration")
        .flatMap(ProbeJson::decimal)
        .filter(seconds -> seconds.signum() >= 0)
        .map(seconds -> seconds.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValue())
        .orElse(null);
  }

  private static JsonObject object(JsonObject parent, String name) {
    JsonValue value = parent.get(name);
    return value != null && value.getValueType() == JsonValue.ValueType.OBJECT
        ? value.asJsonObject()
        : JsonValue.EMPTY_JSON_OBJECT;
  }

  private static Optional<String> text(JsonObject object, String name) {
    JsonValue value = object.get(name);
    return value instanceof JsonString text && !text.getString().isBlank()
        ? Optional.of(limit(text.getString()))
        : Optional.empty();
  }

  private static Optional<Long> number(JsonObject object, String name) {
    JsonValue value = object.get(name);
    return value instanceof JsonNumber number && number.isIntegral()
        ? Optional.of(number.longValue())
        : Optional.empty();
  }

  private static Optional<BigDecimal> decimal(String text) {
    try {
      return Optional.of(new BigDecimal(text));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** ffprobe's strings are short; a long one is not worth keeping whole. */
  private static String limit(String text) {
    return text.length() <= 100 ? text : text.substring(0, 100);
  }
}
