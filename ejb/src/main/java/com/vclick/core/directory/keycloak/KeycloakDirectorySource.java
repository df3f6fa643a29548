package com.vclick.core.directory.keycloak;

import com.vclick.core.config.KeycloakConfig;
import com.vclick.core.directory.DirectoryEntry;
import com.vclick.core.directory.DirectorySource;
import com.vclick.core.directory.DirectoryUnavailableException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads people and their (top-level) groups from the realm through the admin REST API. */
@ApplicationScoped
public class KeycloakDirectorySource implements DirectorySource {

  static final int PAGE = 200;

  @Inject KeycloakConfig config;
  @Inject Clock clock;

  private HttpClient http;
  private KeycloakServiceAccount account;

  @PostConstruct
  void init() {
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    account = new KeycloakServiceAccount(config, http, clock);
  }

  @Override
  public List<DirectoryEntry> readAll() {
    Map<String, Set<String>> groupsByUser = readGroupMemberships();
    List<DirectoryEntry> entries = new ArrayList<>();
    for (JsonObject user : readPaged("/users?enabled=true&briefRepresentation=false")) {
      if (isServiceAccount(user)) {
        continue;
      }
      String id = user.getString("id");
      entries.add(
          new DirectoryEntry(
              id,
              user.getString("username"),
              fullName(user),
              user.getString("email", ""),
              firstAttribute(user, "phone_number"),
              groupsByUser.getOrDefault(id, Set.of())));
    }
    return entries;
  }

  private Map<String, Set<String>> readGroupMemberships() {
    Map<String, Set<String>> groupsByUser = new HashMap<>();
    for (JsonObject group : readPaged("/groups?briefRepresentation=true")) {
      String name = group.getString("name");
      for (JsonObject member :
          readPaged("/groups/" + group.getString("id") + "/members?briefRepresentation=true")) {
        groupsByUser.computeIfAbsent(member.getString("id"), k -> new HashSet<>()).add(name);
      }
    }
    return groupsByUser;
  }

  private List<JsonObject> readPaged(String path) {
    List<JsonObject> all = new ArrayList<>();
    String separator = path.contains("?") ? "&" : "?";
    for (int first = 0; ; first += PAGE) {
      JsonArray page = get(path + separator + "first=" + first + "&max=" + PAGE);
      page.forEach(value -> all.add(value.asJsonObject()));
      if (page.size() < PAGE) {
        return all;
      }
    }
  }

  private JsonArray get(String path) {
    URI uri = URI.create(config.adminRealmUrl() + path);
    for (int attempt = 0; ; attempt++) {
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(10))
              .header("Authorization", "Bearer " + account.token())
              .header("Accept", "application/json")
              .GET()
              .build();
      HttpResponse<String> response = KeycloakHttp.send(http, request);
      if (response.statusCode() == 401 && attempt == 0) {
        account.invalidate();
        continue;
      }
      if (response.statusCode() != 200) {
        throw new DirectoryUnavailableException(
            "Keycloak admin API answered HTTP " + response.statusCode());
      }
      return Json.createReader(new StringReader(response.body())).readArray();
    }
  }

  /** Clients' service accounts are users to Keycloak, but nobody to call. */
  static boolean isServiceAccount(JsonObject user) {
    return user.containsKey("serviceAccountClientLink")
        || user.getString("username", "").startsWith("service-account-");
  }

  static String fullName(JsonObject user) {
    String first = user.getString("firstName", "").strip();
    String last = user.getString("lastName", "").strip();
    return (first + " " + last).strip();
  }

  static String firstAttribute(JsonObject user, String name) {
    JsonObject attributes = user.getJsonObject("attributes");
    if (attributes == null || !attributes.containsKey(name)) {
      return "";
    }
    JsonValue value = attributes.get(name);
    if (value.getValueType() == JsonValue.ValueType.ARRAY && !value.asJsonArray().isEmpty()) {
      JsonValue first = value.asJsonArray().get(0);
      return first instanceof JsonString text ? text.getString() : "";
    }
    return "";
  }
}
