package com.vclick.media.janus;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Asks a real Janus, on a session and VideoRoom handle of its own, about rooms: whether one exists
 * and who is in it ({@code exists}, {@code listparticipants}: synchronous requests, answered in the
 * HTTP response).
 */
final class VideoRoomProbe implements AutoCloseable {

  private final String url;
  private final String secret;
  private final HttpClient http = HttpClient.newHttpClient();
  private final long session;
  private final long handle;

  VideoRoomProbe(String url, String secret) throws Exception {
    this.url = url;
    this.secret = secret;
    session = id(post("", Json.createObjectBuilder().add("janus", "create").build()));
    handle =
        id(
            post(
                "/" + session,
                Json.createObjectBuilder()
                    .add("janus", "attach")
                    .add("plugin", VideoRoomRequests.PLUGIN)
                    .build()));
  }

  boolean exists(long room) throws Exception {
    return request(Json.createObjectBuilder().add("request", "exists").add("room", room).build())
        .getBoolean("exists");
  }

  /** The display names of the room's participants (publishers, active or not). */
  List<String> participants(long room) throws Exception {
    JsonObject data =
        request(
            Json.createObjectBuilder()
                .add("request", "listparticipants")
                .add("room", room)
                .build());
    List<String> names = new ArrayList<>();
    for (JsonValue value : data.getJsonArray("participants")) {
      names.add(value.asJsonObject().getString("display", "?"));
    }
    return names;
  }

  private JsonObject request(JsonObject body) throws Exception {
    JsonObject answer =
        post(
            "/" + session + "/" + handle,
            Json.createObjectBuilder().add("janus", "message").add("body", body).build());
    JsonObject data = VideoCallHandles.pluginData(answer);
    if (data == null || data.containsKey("error_code")) {
      throw new AssertionError("VideoRoom refused " + body + ": " + answer);
    }
    return data;
  }

  @Override
  public void close() throws Exception {
    post("/" + session, Json.createObjectBuilder().add("janus", "destroy").build());
  }

  private static long id(JsonObject answer) {
    return answer.getJsonObject("data").getJsonNumber("id").longValue();
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
