package com.vclick.testkit;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** Small java.net.http helpers shared by the test kit (package-private). */
final class Http {

  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private Http() {}

  /** A client that never follows redirects (redirects carry the authorization code). */
  static HttpClient newClient() {
    return HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  static HttpResponse<String> send(HttpClient client, HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + request.method() + " " + request.uri(), e);
    }
  }

  static HttpRequest.Builder request(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT);
  }

  static HttpRequest.BodyPublisher form(Map<String, String> params) {
    return HttpRequest.BodyPublishers.ofString(formEncode(params), StandardCharsets.UTF_8);
  }

  static String formEncode(Map<String, String> params) {
    StringJoiner joiner = new StringJoiner("&");
    params.forEach((k, v) -> joiner.add(urlEncode(k) + "=" + urlEncode(v == null ? "" : v)));
    return joiner.toString();
  }

  static String urlEncode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Query (or fragment) parameters of a URL, decoded. */
  static Map<String, String> queryParams(String url) {
    Map<String, String> params = new LinkedHashMap<>();
    int q = url.indexOf('?');
    int h = url.indexOf('#');
    String query;
    if (q >= 0) {
      query = h > q ? url.substring(q + 1, h) : url.substring(q + 1);
    } else if (h >= 0) {
      query = url.substring(h + 1);
    } else {
      return params;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      params.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return params;
  }

  static JsonObject json(String body) {
    try (JsonReader reader = Json.createReader(new StringReader(body))) {
      return reader.readObject();
    }
  }

  static JsonObject jsonOk(HttpResponse<String> response, String what) {
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          what + " failed: HTTP " + response.statusCode() + " " + abbreviate(response.body()));
    }
    return json(response.body());
  }

  static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    String t = s.strip();
    return t.length() <= 500 ? t : t.substring(0, 500) + "...";
  }
}
