package com.vclick.media.janus;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process Janus for unit tests: the HTTP transport (POST requests, long-poll GET with {@code
 * maxev}), sessions, handles, and the VideoCall plugin's register/call/accept/set/hangup/list as
 * Janus 1.1.2 answers them (every plugin answer an event with the request's transaction; the other
 * handle's event without). SDPs are passed on with Janus' own fingerprint and ICE credentials, as
 * the real one does. Scripted faults: {@link #restart()}, {@link #failNext}.
 */
final class FakeJanus implements AutoCloseable {

  static final String FINGERPRINT =
      "a=fingerprint:sha-256 FA:CE:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:01";

  private final HttpServer server;
  private final String secret;
  private final AtomicLong ids = new AtomicLong(1000);
  private final Map<Long, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, Handle> usernames = new ConcurrentHashMap<>();
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  final AtomicInteger keepalives = new AtomicInteger();
  volatile long pollHoldMillis = 100;
  volatile boolean writeRecordings = true;
  final FakeVideoRoom videoRoom =
      new FakeVideoRoom(
          new FakeVideoRoom.Events() {
            @Override
            public void push(Handle handle, String tx, JsonObjectBuilder data, JsonObject jsep) {
              JsonObjectBuilder event =
                  event(handle, tx)
                      .add(
                          "plugindata",
                          Json.createObjectBuilder()
                              .add("plugin", FakeVideoRoom.PLUGIN)
                              .add("data", data));
              if (jsep != null) {
                event.add("jsep", jsep);
              }
              handle.session.events.add(event.build());
            }

            @Override
            public void pushCore(Handle handle, JsonObjectBuilder event) {
              FakeJanus.this.push(handle.id, event);
            }
          });

  final class Session {
    final long id;
    final Map<Long, Handle> handles = new ConcurrentHashMap<>();
    final LinkedBlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();

    Session(long id) {
      this.id = id;
    }
  }

  final class Handle {
    final long id;
    final Session session;
    volatile String username;
    volatile Handle peer;
    final List<JsonObject> trickles = new CopyOnWriteArrayList<>();
    final List<String> recordings = new CopyOnWriteArrayList<>();
    volatile String plugin = VideoCallHandles.PLUGIN;

    Handle(long id, Session session) {
      this.id = id;
      this.session = session;
    }
  }

  FakeJanus(String secret) throws IOException {
    this.secret = secret;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/janus", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/janus";
  }

  @Override
  public void close() {
    server.stop(0);
  }

  // --- what tests look at ----------------------------------------------------------------------

  int sessionCount() {
    return sessions.size();
  }

  int handleCount() {
    return sessions.values().stream().mapToInt(s -> s.handles.size()).sum();
  }

  List<String> usernames() {
    return new ArrayList<>(usernames.keySet());
  }

  /** Requests seen, e.g. {@code "create"}, {@code "message:call"}, {@code "trickle"}. */
  List<String> log() {
    return List.copyOf(log);
  }

  long count(String request) {
    return log.stream().filter(request::equals).count();
  }

  Handle handle(long id) {
    for (Session session : sessions.values()) {
      Handle handle = session.handles.get(id);
      if (handle != null) {
        return handle;
      }
    }
    return null;
  }

  /** Janus restarted: every session and handle is gone. */
  void restart() {
    sessions.clear();
    usernames.clear();
  }

  /** The next plugin request {@code request} fails with a plugin error {@code code}. */
  void failNext(String request, int code) {
    failures.put(request, code);
  }

  /** Pushes a core event (webrtcup, media, hangup, trickle…) from a handle. */
  void push(long handleId, JsonObjectBuilder event) {
    Handle handle = handle(handleId);
    handle.session.events.add(
        event.add("session_id", handle.session.id).add("sender", handleId).build());
  }

  /**
   * VideoCall telling a handle "hangup" on its own (no transaction), as when a PeerConnection dies.
   */
  void pushHangup(long handleId, String reason) {
    push(
        handleId,
        Json.createObjectBuilder()
            .add("janus", "event")
            .add(
                "plugindata",
                Json.createObjectBuilder()
                    .add("plugin", VideoCallHandles.PLUGIN)
                    .add(
                        "data",
                        Json.createObjectBuilder()
                            .add("videocall", "event")
                            .add(
                                "result",
                                Json.createObjectBuilder()
                                    .add("event", "hangup")
                                    .add("reason", reason)))));
  }

  // --- HTTP ------------------------------------------------------------------------------------

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String[] path = exchange.getRequestURI().getPath().split("/");
      // "", "janus", [session], [handle]
      long sessionId = path.length > 2 ? Long.parseLong(path[2]) : 0;
      long handleId = path.length > 3 ? Long.parseLong(path[3]) : 0;
      if ("GET".equals(exchange.getRequestMethod())) {
        poll(exchange, sessionId);
        return;
      }
      JsonObject request;
      try (InputStream in = exchange.getRequestBody();
          var reader =
              Json.createReader(
                  new StringReader(new String(in.readAllBytes(), StandardCharsets.UTF_8)))) {
        request = reader.readObject();
      }
      send(exchange, 200, answer(request, sessionId, handleId));
    } catch (RuntimeException e) {
      e.printStackTrace();
      send(exchange, 500, Json.createObjectBuilder().add("janus", "error").build());
      throw e;
    }
  }

  private void poll(HttpExchange exchange, long sessionId) throws IOException {
    Session session = sessions.get(sessionId);
    String query = exchange.getRequestURI().getQuery();
    if (session == null || query == null || !query.contains("apisecret=" + secret)) {
      send(exchange, session == null ? 404 : 403, null);
      return;
    }
    int max = 1;
    for (String part : query.split("&")) {
      if (part.startsWith("maxev=")) {
        max = Integer.parseInt(part.substring(6));
      }
    }
    JsonArrayBuilder events = Json.createArrayBuilder();
    try {
      JsonObject first = session.events.poll(pollHoldMillis, TimeUnit.MILLISECONDS);
      if (first == null) {
        events.add(Json.createObjectBuilder().add("janus", "keepalive"));
      } else {
        events.add(first);
        for (int i = 1; i < max; i++) {
          JsonObject next = session.events.poll();
          if (next == null) {
            break;
          }
          events.add(next);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (sessions.get(sessionId) != session) {
      send(exchange, 404, null);
      return;
    }
    byte[] body = events.build().toString().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
  }

  private static void send(HttpExchange exchange, int status, JsonObject body) throws IOException {
    if (body == null) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private JsonObject answer(JsonObject request, long sessionId, long handleId) {
    String kind = request.getString("janus", "");
    String transaction = request.getString("transaction", "");
    if (!secret.equals(request.getString("apisecret", ""))) {
      return error(transaction, 403, "Unauthorized request (wrong or missing secret/token)");
    }
    if (kind.equals("create")) {
      log.add("create");
      long id = ids.incrementAndGet();
      sessions.put(id, new Session(id));
      return success(transaction, id);
    }
    Session session = sessions.get(sessionId);
    if (session == null) {
      return error(transaction, 458, "No such session " + sessionId);
    }
    if (handleId == 0) {
      switch (kind) {
        case "keepalive" -> {
          log.add("keepalive");
          keepalives.incrementAndGet();
          return ack(transaction, sessionId);
        }
        case "attach" -> {
          log.add("attach");
          long id = ids.incrementAndGet();
          Handle attached = new Handle(id, session);
          attached.plugin = request.getString("plugin", "");
          session.handles.put(id, attached);
          return success(transaction, id);
        }
        case "destroy" -> {
          log.add("destroy");
          for (Handle handle : session.handles.values()) {
            unregister(handle);
          }
          sessions.remove(sessionId);
          return Json.createObjectBuilder()
              .add("janus", "success")
              .add("transaction", transaction)
              .build();
        }
        default -> {
          return error(transaction, 453, "Unknown request '" + kind + "'");
        }
      }
    }
    Handle handle = session.handles.get(handleId);
    if (handle == null) {
      return error(transaction, 459, "No such handle " + handleId + " in session " + sessionId);
    }
    switch (kind) {
      case "message" -> {
        JsonObject body = request.getJsonObject("body");
        String name = body.getString("request", "");
        log.add("message:" + name);
        if (FakeVideoRoom.PLUGIN.equals(handle.plugin)) {
          Integer failure = failures.remove(name);
          if (failure != null) {
            JsonObject error =
                Json.createObjectBuilder()
                    .add("videoroom", "event")
                    .add("error_code", failure)
                    .add("error", "scripted failure")
                    .build();
            return pluginSuccess(transaction, sessionId, handleId, error);
          }
          JsonObject sync = videoRoom.synchronous(name, body);
          if (sync != null) {
            return pluginSuccess(transaction, sessionId, handleId, sync);
          }
          videoRoom.message(handle, name, body, request.getJsonObject("jsep"), transaction);
          return ack(transaction, sessionId);
        }
        message(handle, name, body, request.getJsonObject("jsep"), transaction);
        return ack(transaction, sessionId);
      }
      case "trickle" -> {
        log.add("trickle");
        handle.trickles.add(request.getJsonObject("candidate"));
        return ack(transaction, sessionId);
      }
      case "detach" -> {
        log.add("detach");
        videoRoom.detached(handle);
        hangup(handle, "Detached");
        unregister(handle);
        session.handles.remove(handleId);
        session.events.add(
            Json.createObjectBuilder()
                .add("janus", "detached")
                .add("session_id", sessionId)
                .add("sender", handleId)
                .build());
        return Json.createObjectBuilder()
            .add("janus", "success")
            .add("session_id", sessionId)
            .add("transaction", transaction)
            .build();
      }
      default -> {
        return error(transaction, 453, "Unknown request '" + kind + "'");
      }
    }
  }

  private void message(Handle handle, String request, JsonObject body, JsonObject jsep, String tx) {
    Integer failure = failures.remove(request);
    if (failure != null) {
      pluginError(handle, tx, failure, "scripted failure");
      return;
    }
    switch (request) {
      case "register" -> {
        String username = body.getString("username");
        if (usernames.putIfAbsent(username, handle) != null) {
          pluginError(handle, tx, 476, "Username '" + username + "' already taken");
          return;
        }
        handle.username = username;
        result(
            handle,
            tx,
            Json.createObjectBuilder().add("event", "registered").add("username", username),
            null);
      }
      case "call" -> {
        Handle peer = usernames.get(body.getString("username"));
        if (peer == null) {
          pluginError(handle, tx, 478, "Username doesn't exist");
          return;
        }
        if (jsep == null) {
          pluginError(handle, tx, 482, "Missing SDP");
          return;
        }
        handle.peer = peer;
        peer.peer = handle;
        result(
            peer,
            null,
            Json.createObjectBuilder()
                .add("event", "incomingcall")
                .add("username", handle.username),
            rewrite(jsep, peer));
        result(handle, tx, Json.createObjectBuilder().add("event", "calling"), null);
      }
      case "accept" -> {
        Handle peer = handle.peer;
        if (peer == null) {
          pluginError(handle, tx, 481, "No incoming call to accept");
          return;
        }
        result(
            peer,
            null,
            Json.createObjectBuilder().add("event", "accepted").add("username", handle.username),
            rewrite(jsep, peer));
        result(handle, tx, Json.createObjectBuilder().add("event", "accepted"), null);
      }
      case "set" -> {
        if (body.containsKey("record")) {
          if (body.getBoolean("record")) {
            String base = body.getString("filename");
            handle.recordings.add(base);
            if (writeRecordings) {
              for (String kind : List.of("audio", "video")) {
                try {
                  Files.writeString(Path.of(base + "-" + kind + ".mjr"), "MJR00002");
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }
            }
          } else {
            handle.recordings.add("stop");
          }
        }
        if (jsep != null && handle.peer != null) {
          result(
              handle.peer,
              null,
              Json.createObjectBuilder().add("event", "update"),
              rewrite(jsep, handle.peer));
        }
        result(handle, tx, Json.createObjectBuilder().add("event", "set"), null);
      }
      case "hangup" -> {
        result(
            handle,
            tx,
            Json.createObjectBuilder()
                .add("event", "hangup")
                .add("username", String.valueOf(handle.username))
                .add("reason", "Explicit hangup"),
            null);
        hangup(handle, "We did the hangup");
      }
      case "list" -> {
        JsonArrayBuilder list = Json.createArrayBuilder();
        usernames.keySet().forEach(list::add);
        handle.session.events.add(
            event(handle, tx)
                .add(
                    "plugindata",
                    Json.createObjectBuilder()
                        .add("plugin", VideoCallHandles.PLUGIN)
                        .add(
                            "data",
                            Json.createObjectBuilder()
                                .add("videocall", "event")
                                .add("result", Json.createObjectBuilder().add("list", list))))
                .build());
      }
      default -> pluginError(handle, tx, 472, "Unknown request (" + request + ")");
    }
  }

  private void hangup(Handle handle, String reason) {
    Handle peer = handle.peer;
    handle.peer = null;
    if (peer != null) {
      peer.peer = null;
      result(
          peer,
          null,
          Json.createObjectBuilder()
              .add("event", "hangup")
              .add("username", String.valueOf(handle.username))
              .add("reason", reason),
          null);
    }
  }

  private void unregister(Handle handle) {
    if (handle.username != null) {
      usernames.remove(handle.username, handle);
    }
  }

  private JsonObject rewrite(JsonObject jsep, Handle toward) {
    String sdp =
        jsep.getString("sdp")
            .replaceAll("a=fingerprint:[^\r\n]*", FINGERPRINT)
            .replaceAll("a=ice-ufrag:[^\r\n]*", "a=ice-ufrag:fk" + (toward.id % 100));
    return Json.createObjectBuilder().add("type", jsep.getString("type")).add("sdp", sdp).build();
  }

  private void result(Handle handle, String tx, JsonObjectBuilder result, JsonObject jsep) {
    JsonObjectBuilder event =
        event(handle, tx)
            .add(
                "plugindata",
                Json.createObjectBuilder()
                    .add("plugin", VideoCallHandles.PLUGIN)
                    .add(
                        "data",
                        Json.createObjectBuilder()
                            .add("videocall", "event")
                            .add("result", result)));
    if (jsep != null) {
      event.add("jsep", jsep);
    }
    handle.session.events.add(event.build());
  }

  private void pluginError(Handle handle, String tx, int code, String reason) {
    handle.session.events.add(
        event(handle, tx)
            .add(
                "plugindata",
                Json.createObjectBuilder()
                    .add("plugin", VideoCallHandles.PLUGIN)
                    .add(
                        "data",
                        Json.createObjectBuilder()
                            .add("videocall", "event")
                            .add("error_code", code)
                            .add("error", reason)))
            .build());
  }

  private static JsonObjectBuilder event(Handle handle, String tx) {
    JsonObjectBuilder event =
        Json.createObjectBuilder()
            .add("janus", "event")
            .add("session_id", handle.session.id)
            .add("sender", handle.id);
    if (tx != null) {
      event.add("transaction", tx);
    }
    return event;
  }

  private static JsonObject success(String transaction, long id) {
    return Json.createObjectBuilder()
        .add("janus", "success")
        .add("transaction", transaction)
        .add("data", Json.createObjectBuilder().add("id", id))
        .build();
  }

  private static JsonObject pluginSuccess(
      String transaction, long sessionId, long handleId, JsonObject data) {
    return Json.createObjectBuilder()
        .add("janus", "success")
        .add("session_id", sessionId)
        .add("sender", handleId)
        .add("transaction", transaction)
        .add(
            "plugindata",
            Json.createObjectBuilder().add("plugin", FakeVideoRoom.PLUGIN).add("data", data))
        .build();
  }

  private static JsonObject ack(String transaction, long sessionId) {
    return Json.createObjectBuilder()
        .add("janus", "ack")
        .add("session_id", sessionId)
        .add("transaction", transaction)
        .build();
  }

  private static JsonObject error(String transaction, int code, String reason) {
    return Json.createObjectBuilder()
        .add("janus", "error")
        .add("transaction", transaction)
        .add("error", Json.createObjectBuilder().add("code", code).add("reason", reason))
        .build();
  }
}
