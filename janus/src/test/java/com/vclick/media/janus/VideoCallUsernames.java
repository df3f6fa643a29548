package com.vclick.media.janus;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Asks a real Janus, on a session of its own, which VideoCall usernames are registered. */
final class VideoCallUsernames {

  private final String url;
  private final String secret;
  private final HttpClient http = HttpClient.newHttpClient();

  VideoCallUsernames(String url, String secret) {
    this.url = url;
    this.secret = secret;
  }

  List<String> registered() throws Exception {
    long session =
        post("", Json.createObjectBuilder().add("janus", "create").build())
            .getJsonObject("data")
            .getJsonNumber("id")
            .longValue();
    try {
      long handle =
          post(
                  "/" + session,
                  Json.createObjectBuilder()
                      .add("janus", "attach")
                      .add("plugin", VideoCallHandles.PLUGIN)
                      .build())
              .getJsonObject("data")
              .getJsonNumber("id")
              .longValue();
      post(
          "/" + session + "/" + handle,
          Json.createObjectBuilder()
              .add("janus", "message")
              .add("body", Json.createObjectBuilder().add("request", "list"))
              .build());
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline) {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            url
                                + "/"
                                + session
                                + "?maxev=10&apisecret="
                                + java.net.URLEncoder.encode(
                                    secret, java.nio.charset.StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(40))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        for (var value : Json.createReader(new StringReader(response.body())).readArray()) {
          JsonObject event = value.asJsonObject();
          JsonObject data = VideoCallHandles.pluginData(event);
          if (data != null
              && data.containsKey("result")
              && data.getJsonObject("result").containsKey("list")) {
            return data
                .getJsonObject("result")
                .getJsonArray("list")
                .getValuesAs(JsonString.class)
                .stream()
                .map(JsonString::getString)
                .toList();
          }
        }
      }
      throw new AssertionError("no list from VideoCall");
    } finally {
      post("/" + session, Json.createObjectBuilder().add("janus", "destroy").build());
    }
  }

  private JsonObject post(String path, JsonObject body) throws Exception {
    JsonObject request =
        Json.createObjectBuilder(body)
            .add("transaction", "it-" + UUID.randomUUID())
            .add("apisecret", secret)
            .build();
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(request.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return Json.createReader(new StringReader(response.body())).readObject();
  }
}
