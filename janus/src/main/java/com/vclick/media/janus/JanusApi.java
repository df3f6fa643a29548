package com.vclick.media.janus;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Janus HTTP transport: one JSON request per POST, events by long poll. Adds the transaction id
 * and the API secret to every request; turns Janus' errors into {@link JanusException}s. URLs are
 * never logged (the long poll carries the secret in its query).
 */
final class JanusApi {

  /** How long Janus holds a long poll open before answering with a keepalive. */
  private static final Duration LONG_POLL = Duration.ofSeconds(30);

  private final JanusSettings settings;
  private final HttpClient http;
  private final JsonProvider json;
  private final String transactionPrefix;
  private final AtomicLong transactions = new AtomicLong();

  JanusApi(JanusSettings settings, HttpClient http, JsonProvider json) {
    this.settings = settings;
    this.http = http;
    this.json = json;
    byte[] random = new byte[4];
    new SecureRandom().nextBytes(random);
    this.transactionPrefix = "vc" + Integer.toHexString(java.nio.ByteBuffer.wrap(random).getInt());
  }

  JsonProvider json() {
    return json;
  }

  /** A transaction id unique for this adapter instance. */
  String newTransaction() {
    return transactionPrefix + "-" + transactions.incrementAndGet();
  }

  /**
   * Sends one request; returns Janus' direct answer ({@code success} or {@code ack}).
   *
   * @param path {@code ""}, {@code "/<session>"} or {@code "/<session>/<handle>"}
   * @param what a short name of the request for error messages (never data)
   */
  JsonObject post(String path, String what, JsonObjectBuilder body, String transaction)
      throws JanusException {
    body.add("transaction", transaction);
    if (!settings.apiSecret().isEmpty()) {
      body.add("apisecret", settings.apiSecret());
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(settings.url() + path))
            .timeout(settings.timeout())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.build().toString()))
            .build();
    HttpResponse<String> response = send(request, what);
    if (response.statusCode() == 404) {
      throw JanusException.error(what, JanusException.SESSION_NOT_FOUND, "not found");
    }
    if (response.statusCode() != 200) {
      throw JanusException.error(what, response.statusCode(), "HTTP status");
    }
    JsonObject answer = parseObject(response.body(), what);
    if ("error".equals(answer.getString("janus", ""))) {
      JsonObject error = answer.getJsonObject("error");
      int code = error == null ? 0 : error.getInt("code", 0);
      String reason = error == null ? "?" : error.getString("reason", "?");
      throw JanusException.error(what, code, reason);
    }
    return answer;
  }

  /**
   * Long-polls the session's events (at most {@code maxEvents}); an empty list when Janus only said
   * it is alive.
   *
   * @throws JanusException with {@link JanusException#SESSION_NOT_FOUND} when the session is gone
   */
  List<JsonObject> poll(long sessionId, int maxEvents) throws JanusException {
    StringBuilder uri =
        new StringBuilder()
            .append(settings.url())
            .append('/')
            .append(sessionId)
            .append("?maxev=")
            .append(maxEvents)
            .append("&rid=")
            .append(System.currentTimeMillis());
    if (!settings.apiSecret().isEmpty()) {
      uri.append("&apisecret=")
          .append(URLEncoder.encode(settings.apiSecret(), StandardCharsets.UTF_8));
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(uri.toString()))
            .timeout(LONG_POLL.plus(settings.timeout()))
            .GET()
            .build();
    HttpResponse<String> response = send(request, "poll");
    if (response.statusCode() == 404) {
      throw JanusException.lostSession();
    }
    if (response.statusCode() != 200) {
      throw JanusException.error("poll", response.statusCode(), "HTTP status");
    }
    JsonValue value = parse(response.body(), "poll");
    List<JsonObject> events = new ArrayList<>();
    if (value instanceof JsonArray array) {
      for (JsonValue item : array) {
        if (item instanceof JsonObject event) {
          events.add(event);
        }
      }
    } else if (value instanceof JsonObject event) {
      events.add(event);
    }
    List<JsonObject> real = new ArrayList<>();
    for (JsonObject event : events) {
      String kind = event.getString("janus", "");
      if ("error".equals(kind)) {
        JsonObject error = event.getJsonObject("error");
        int code = error == null ? 0 : error.getInt("code", 0);
        if (code == JanusException.SESSION_NOT_FOUND) {
          throw JanusException.lostSession();
        }
        throw JanusException.error(
            "poll", code, error == null ? "?" : error.getString("reason", "?"));
      }
      if (!"keepalive".equals(kind)) {
        real.add(event);
      }
    }
    return real;
  }

  private HttpResponse<String> send(HttpRequest request, String what) throws JanusException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw JanusException.unreachable(what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JanusException("interrupted while asking Janus (" + what + ")", 0, false, e);
    }
  }

  private JsonObject parseObject(String body, String what) throws JanusException {
    if (parse(body, what) instanceof JsonObject object) {
      return object;
    }
    throw JanusException.error(what, 0, "answer is not a JSON object");
  }

  private JsonValue parse(String body, String what) throws JanusException {
    try (var reader = json.createReader(new StringReader(body))) {
      return reader.readValue();
    } catch (JsonException | IllegalStateException e) {
      throw JanusException.error(what, 0, "answer is not JSON");
    }
  }
}
