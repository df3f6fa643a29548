package com.vclick.testkit;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * Minimal Keycloak admin REST client on java.net.http, authenticated as the bootstrap admin of the
 * master realm (package-private; tests that need more use keycloak-admin-client).
 */
final class KeycloakAdminApi {

  private final String baseUrl;
  private final String username;
  private final String password;
  private final HttpClient http = Http.newClient();

  KeycloakAdminApi(String baseUrl, String username, String password) {
    this.baseUrl = TestEnv.stripTrailingSlash(baseUrl);
    this.username = username;
    this.password = password;
  }

  String baseUrl() {
    return baseUrl;
  }

  /** A fresh admin access token (master tokens live 60 s: never cache one across a test). */
  private String token() {
    HttpResponse<String> response =
        Http.send(
            http,
            Http.request(baseUrl + "/realms/master/protocol/openid-connect/token")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    Http.form(
                        Map.of(
                            "grant_type",
                            "password",
                            "client_id",
                            "admin-cli",
                            "username",
                            username,
                            "password",
                            password)))
                .build());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "Keycloak admin login as '"
              + username
              + "' failed (HTTP "
              + response.statusCode()
              + "): check KC_BOOTSTRAP_ADMIN_USERNAME / KC_BOOTSTRAP_ADMIN_PASSWORD. "
              + Http.abbreviate(response.body()));
    }
    return Http.json(response.body()).getString("access_token");
  }

  private HttpRequest.Builder adminRequest(String path) {
    return Http.request(baseUrl + "/admin" + path)
        .header("Authorization", "Bearer " + token())
        .header("Accept", "application/json");
  }

  JsonObject getObject(String path) {
    return Http.jsonOk(Http.send(http, adminRequest(path).GET().build()), "GET " + path);
  }

  JsonArray getArray(String path) {
    HttpResponse<String> response = Http.send(http, adminRequest(path).GET().build());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "GET " + path + " failed: HTTP " + response.statusCode() + " " + response.body());
    }
    try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
      return reader.readArray();
    }
  }

  HttpResponse<String> post(String path, JsonStructure body) {
    return Http.send(
        http,
        adminRequest(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build());
  }

  HttpResponse<String> delete(String path) {
    return Http.send(http, adminRequest(path).DELETE().build());
  }
}
