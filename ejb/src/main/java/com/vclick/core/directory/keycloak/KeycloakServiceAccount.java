package com.vclick.core.directory.keycloak;

import com.vclick.core.config.KeycloakConfig;
import com.vclick.core.directory.DirectoryUnavailableException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Obtains and caches the server's own access token (client-credentials grant). */
final class KeycloakServiceAccount {

  private static final Duration EARLY_RENEWAL = Duration.ofSeconds(30);

  private final KeycloakConfig config;
  private final HttpClient http;
  private final Clock clock;
  private String token;
  private Instant renewAt = Instant.EPOCH;

  KeycloakServiceAccount(KeycloakConfig config, HttpClient http, Clock clock) {
    this.config = config;
    this.http = http;
    this.clock = clock;
  }

  synchronized String token() {
    if (token == null || !clock.instant().isBefore(renewAt)) {
      fetch();
    }
    return token;
  }

  synchronized void invalidate() {
    token = null;
  }

  private void fetch() {
    if (config.clientSecret().isEmpty()) {
      throw new DirectoryUnavailableException("VCLICK_KEYCLOAK_CLIENT_SECRET is not set");
    }
    String form =
        "grant_type=client_credentials&client_id="
            + URLEncoder.encode(config.clientId(), StandardCharsets.UTF_8)
            + "&client_secret="
            + URLEncoder.encode(config.clientSecret(), StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(config.tokenEndpoint())
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    HttpResponse<String> response = KeycloakHttp.send(http, request);
    if (response.statusCode() != 200) {
      throw new DirectoryUnavailableException(
          "Keycloak refused the service account (HTTP " + response.statusCode() + ")");
    }
    JsonObject body = Json.createReader(new StringReader(response.body())).readObject();
    token = body.getString("access_token");
    long expiresIn = body.getJsonNumber("expires_in").longValue();
    renewAt = clock.instant().plusSeconds(expiresIn).minus(EARLY_RENEWAL);
  }
}
