package com.vclick.core.edge.connections;

import com.vclick.core.Uuids;
import com.vclick.core.edge.CandidateType;
import com.vclick.core.edge.PageOrigin;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the body of {@code POST /api/edge/connections} ({@code {"events": [...]}}, web/EDGE-API.md)
 * strictly: unknown fields, fields of another kind of event, wrong types, bad ids, fingerprints,
 * enumerations and times out of bounds are refused with an {@link InvalidReportException} that
 * names the field ({@code events[3].at}). Either every event is valid or none is returned.
 */
public final class ConnectionReportJson {

  /** Most events of one batch: what the extension sends at once, small enough to stay quick. */
  public static final int MAX_EVENTS = 50;

  /** Longest origin, as for decisions. */
  public static final int MAX_ORIGIN_LENGTH = 2048;

  /** How far ahead of the server's clock an event may be: browsers' clocks drift a little. */
  public static final Duration MAX_AHEAD = Duration.ofMinutes(10);

  /** How old an event may be: the extension retries for a while, not for days. */
  public static final Duration MAX_AGE = Duration.ofHours(24);

  /** The fields of the body. */
  public static final Set<String> BODY_FIELDS = Set.of("events");

  private static final Set<String> COMMON =
      Set.of("connectionId", "pageId", "decisionId", "origin", "event", "at");
  private static final Set<String> CONNECTED =
      Set.of(
          "localFingerprint",
          "remoteFingerprint",
          "localCandidateType",
          "remoteCandidateType",
          "protocol");
  private static final Set<String> CLOSED = Set.of("bytesSent", "bytesReceived", "endReason");
  private static final Set<String> SAMPLE = Set.of("bytesSent", "bytesReceived");

  private static final Pattern UUID_V4 =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

  private ConnectionReportJson() {}

  /**
   * The events of a body, in the order sent.
   *
   * @param now the server's clock, which bounds {@code at}
   * @throws InvalidReportException naming the first invalid field
   */
  public static List<ConnectionEvent> events(JsonObject body, Instant now) {
    for (String name : body.keySet()) {
      if (!BODY_FIELDS.contains(name)) {
        throw new InvalidReportException(quoted(name), "This field is unknown.");
      }
    }
    JsonValue value = body.get("events");
    if (value == null) {
      throw new InvalidReportException("events", "This field is required.");
    }
    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_EVENTS) {
      throw new InvalidReportException(
          "events", "An array of 1 to " + MAX_EVENTS + " events is expected.");
    }
    List<ConnectionEvent> events = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      events.add(event(array.get(i), "events[" + i + "]", now));
    }
    return List.copyOf(events);
  }

  private static ConnectionEvent event(JsonValue value, String path, Instant now) {
    if (!(value instanceof JsonObject object)) {
      throw new InvalidReportException(path, "A JSON object is expected.");
    }
    Fields json = new Fields(object, path);
    String kind = json.string("event");
    Set<String> own =
        switch (kind) {
          case "created" -> Set.of();
          case "connected" -> CONNECTED;
          case "closed" -> CLOSED;
          case "sample" -> SAMPLE;
          default ->
              throw new InvalidReportException(
                  json.path("event"), "created, connected, sample or closed is expected.");
        };
    for (String name : object.keySet()) {
      if (CONNECTED.contains(name) && own != CONNECTED) {
        throw new InvalidReportException(json.path(name), "Only connected events have this field.");
      }
      if (CLOSED.contains(name) && !own.contains(name)) {
        throw new InvalidReportException(
            json.path(name),
            SAMPLE.contains(name)
                ? "Only sample and closed events have this field."
                : "Only closed events have this field.");
      }
      if (!COMMON.contains(name) && !CONNECTED.contains(name) && !CLOSED.contains(name)) {
        throw new InvalidReportException(json.path(quoted(name)), "This field is unknown.");
      }
    }
    String connectionId = json.uuid("connectionId", UUID_V4);
    String pageId = json.uuid("pageId", UUID_V4);
    String decisionId =
        json.has("decisionId") && !json.isNull("decisionId")
            ? json.uuid("decisionId", Uuids.LOWER_CASE)
            : null;
    String origin = origin(json);
    Instant at = at(json, now);
    return switch (kind) {
      case "created" -> new ConnectionEvent.Created(connectionId, pageId, decisionId, origin, at);
      case "connected" ->
          new ConnectionEvent.Connected(
              connectionId,
              pageId,
              decisionId,
              origin,
              at,
              json.fingerprint("localFingerprint"),
              json.fingerprint("remoteFingerprint"),
              json.oneOf(
                  "localCandidateType", CandidateType::fromWireName, "host, srflx, prflx or relay"),
              json.oneOf(
                  "remoteCandidateType",
                  CandidateType::fromWireName,
                  "host, srflx, prflx or relay"),
              json.oneOf("protocol", TransportProtocol::fromWireName, "udp or tcp"));
      case "sample" ->
          new ConnectionEvent.Sample(
              connectionId,
              pageId,
              decisionId,
              origin,
              at,
              json.count("bytesSent"),
              json.count("bytesReceived"));
      default ->
          new ConnectionEvent.Closed(
              connectionId,
              pageId,
              decisionId,
              origin,
              at,
              json.count("bytesSent"),
              json.count("bytesReceived"),
              json.oneOf(
                  "endReason",
                  name ->
                      ConnectionEndReason.fromWireName(name)
                          .filter(ConnectionEndReason::reportable),
                  "closed-by-page, page-unloaded, failed, blocked or unknown"));
    };
  }

  private static String origin(Fields json) {
    String origin = json.string("origin");
    if (origin.isBlank() || origin.length() > MAX_ORIGIN_LENGTH) {
      throw new InvalidReportException(
          json.path("origin"),
          "The page's origin (1 to " + MAX_ORIGIN_LENGTH + " characters) is expected.");
    }
    return PageOrigin.tryParse(origin).map(PageOrigin::toString).orElse(origin);
  }

  private static Instant at(Fields json, Instant now) {
    Instant at;
    try {
      at = Instant.parse(json.string("at")).truncatedTo(ChronoUnit.MILLIS);
    } catch (DateTimeParseException e) {
      throw new InvalidReportException(
          json.path("at"), "An ISO-8601 instant such as 2026-11-24T10:15:30.123Z is expected.");
    }
    if (at.isAfter(now.plus(MAX_AHEAD))) {
      throw new InvalidReportException(
          json.path("at"), "More than 10 minutes ahead of the server's clock.");
    }
    if (at.isBefore(now.minus(MAX_AGE))) {
      throw new InvalidReportException(json.path("at"), "More than 24 hours ago.");
    }
    return at;
  }

  private static String quoted(String name) {
    String shown = name.length() <= 40 ? name : name.substring(0, 40) + "…";
    return shown.matches("[A-Za-z][A-Za-z0-9_-]*") ? shown : "\"" + shown + "\"";
  }

  /** Typed, required fields of one event object; every error names the field's path. */
  private record Fields(JsonObject object, String path) {

    String path(String name) {
      return path + "." + name;
    }

    boolean has(String name) {
      return object.containsKey(name);
    }

    boolean isNull(String name) {
      return object.get(name) == JsonValue.NULL;
    }

    String string(String name) {
      JsonValue value = object.get(name);
      if (value == null) {
        throw new InvalidReportException(path(name), "This field is required.");
      }
      if (!(value instanceof JsonString text)) {
        throw new InvalidReportException(path(name), "A string is expected.");
      }
      return text.getString();
    }

    String uuid(String name, Pattern syntax) {
      String id = string(name).toLowerCase(Locale.ROOT);
      if (!syntax.matcher(id).matches()) {
        throw new InvalidReportException(
            path(name),
            syntax == UUID_V4
                ? "A UUID v4 such as 3b241101-e2bb-4255-8caf-4136c566a962 is expected."
                : "A UUID such as 3b241101-e2bb-4255-8caf-4136c566a962 or null is expected.");
      }
      return id;
    }

    Fingerprint fingerprint(String name) {
      return Fingerprint.parse(string(name))
          .orElseThrow(
              () ->
                  new InvalidReportException(
                      path(name),
                      "A fingerprint such as \"sha-256 AB:CD:…\" (at most "
                          + Fingerprint.MAX_LENGTH
                          + " characters) is expected."));
    }

    <T> T oneOf(String name, Function<String, Optional<T>> parse, String expected) {
      return parse
          .apply(string(name))
          .orElseThrow(() -> new InvalidReportException(path(name), expected + " is expected."));
    }

    long count(String name) {
      JsonValue value = object.get(name);
      if (value == null) {
        throw new InvalidReportException(path(name), "This field is required.");
      }
      if (value instanceof JsonNumber number && number.isIntegral()) {
        try {
          long count = number.longValueExact();
          if (count >= 0) {
            return count;
          }
        } catch (ArithmeticException e) {
          // answered below
        }
      }
      throw new InvalidReportException(path(name), "A whole number of at least 0 is expected.");
    }
  }
}
