package com.vclick.testkit;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A test client of the signaling WebSocket ({@code /ws}, web/SIGNALING.md) on java.net.http: sends
 * JSON messages, and waits for received ones by type with a deadline (never by sleeping).
 */
public final class SignalingClient implements AutoCloseable {

  /** How long {@link #next} and {@link #awaitClose} wait unless told otherwise. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

  private final WebSocket socket;
  private final List<JsonObject> received = new ArrayList<>(); // guarded by this
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();

  private SignalingClient(HttpClient http, URI uri, String origin) {
    WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    if (origin != null) {
      builder.header("Origin", origin);
    }
    this.socket = builder.buildAsync(uri, new Listener()).join();
  }

  /**
   * Opens {@code ws://…/ws} of the app at {@code baseUrl} without an Origin header.
   *
   * @throws java.util.concurrent.CompletionException when the handshake is refused
   */
  public static SignalingClient connect(HttpClient http, String baseUrl) {
    return connect(http, baseUrl, null);
  }

  /** As {@link #connect(HttpClient, String)}, sending this Origin like a browser would. */
  public static SignalingClient connect(HttpClient http, String baseUrl, String origin) {
    return new SignalingClient(http, wsUri(baseUrl), origin);
  }

  /**
   * Opens the socket and authenticates; returns once the welcome arrived. A socket that the server
   * closes before the hello could even be sent is opened once more, as real clients reconnect:
   * Payara 6.2025.10 occasionally drops a WebSocket upgrade (BENCHMARKS.md, "Handshakes"); the
   * retry is printed so that it never goes unnoticed.
   */
  public static SignalingClient signIn(HttpClient http, String baseUrl, String token) {
    SignalingClient client = connect(http, baseUrl);
    try {
      client.send(message("hello").add("token", token));
    } catch (java.util.concurrent.CompletionException e) {
      System.err.println(
          "SignalingClient: socket closed before the hello ("
              + e.getMessage()
              + "); opening it again");
      client.close();
      client = connect(http, baseUrl);
      client.send(message("hello").add("token", token));
    }
    client.next("welcome");
    return client;
  }

  public static URI wsUri(String baseUrl) {
    String base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
    return URI.create(base.replaceFirst("^http", "ws") + "ws");
  }

  /** A message builder with type and protocol version already set. */
  public static JsonObjectBuilder message(String type) {
    return Json.createObjectBuilder().add("type", type).add("v", 1);
  }

  public void send(JsonObjectBuilder message) {
    sendText(message.build().toString());
  }

  public void sendText(String text) {
    socket.sendText(text, true).join();
  }

  /** Removes and returns the first received message of this type, waiting for it if needed. */
  public JsonObject next(String type) {
    return next(type, DEFAULT_WAIT);
  }

  public JsonObject next(String type, Duration wait) {
    return next(m -> type.equals(m.getString("type", "")), "a '" + type + "' message", wait);
  }

  /** Removes and returns the first received message that matches, waiting for it if needed. */
  public synchronized JsonObject next(Predicate<JsonObject> match, String what, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      for (Iterator<JsonObject> it = received.iterator(); it.hasNext(); ) {
        JsonObject message = it.next();
        if (match.test(message)) {
          it.remove();
          return message;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0 || closed.isDone() && received.isEmpty()) {
        throw new AssertionError(
            "no " + what + " within " + wait + "; received " + received + closeState());
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }

  /** Everything received and not yet taken by {@link #next}. */
  public synchronized List<JsonObject> pending() {
    return List.copyOf(received);
  }

  /** Waits for the server to close the socket and returns the close code. */
  public int awaitClose(Duration wait) {
    try {
      return closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the server did not close the socket within " + wait);
    } catch (Exception e) {
      throw new AssertionError("waiting for the close failed", e);
    }
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  /** Drops the connection without a close handshake, like a network failure. */
  public void abort() {
    socket.abort();
    closed.complete(1006);
  }

  /** Closes politely: sends a close frame and waits (at most 5 s) for the server's reply. */
  @Override
  public void close() {
    try {
      if (!closed.isDone() && !socket.isOutputClosed()) {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        closed.get(5, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      // fall through to abort: the socket goes away either way
    } finally {
      socket.abort();
    }
  }

  private String closeState() {
    return closed.isDone() ? " (socket closed with " + closed.join() + ")" : "";
  }

  private synchronized void add(JsonObject message) {
    received.add(message);
    notifyAll();
  }

  private synchronized void wakeUp() {
    notifyAll();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try (var reader = Json.createReader(new StringReader(partial.toString()))) {
          add(reader.readObject());
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      wakeUp();
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(1006);
      wakeUp();
    }
  }
}
