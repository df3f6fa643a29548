package com.vclick.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Requests to the deployed API and the checks every answer shares (for the API ITs). */
final class ApiCalls {

  static final String JSON = "application/json";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ApiCalls() {}

  /**
   * Sends one request to {@code path} (relative to the deployment's {@code base}); a null token,
   * body or content type leaves that out.
   */
  static HttpResponse<String> send(
      URL base, String method, String path, String token, String body, String type)
      throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(base.toString()).resolve(path))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (type != null) {
      request.header("Content-Type", type);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonValue json(String body) {
    try (var reader = Json.createReader(new StringReader(body))) {
      return reader.readValue();
    }
  }

  /** Checks the RFC 9457 shape (no exception names, no stack trace) and returns the detail. */
  static String assertProblem(HttpResponse<String> response, int status) {
    assertTrue(
        response
            .headers()
            .firstValue("Content-Type")
            .orElse("")
            .startsWith("application/problem+json"),
        "problem content type, was " + response.headers().firstValue("Content-Type"));
    JsonObject problem = json(response.body()).asJsonObject();
    assertEquals(status, problem.getInt("status"));
    String detail = problem.getString("detail");
    assertFalse(detail.isBlank());
    assertFalse(response.body().contains("Exception"), "no exception names: " + response.body());
    assertFalse(response.body().contains("at com."), "no stack trace: " + response.body());
    return detail;
  }
}
