package com.vclick.bench;

import com.vclick.testkit.KeycloakLogin;
import com.vclick.testkit.RealmTestKey;
import com.vclick.testkit.SignalingClient;
import com.vclick.testkit.TestEnv;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Presence and signaling at scale on one Payara Micro: N WebSocket clients with validly signed
 * synthetic tokens (a test key registered in the realm), each watching K others and pinging every
 * 15 s; while C "churning" users go offline and online at a steady rate, it measures how long a
 * presence change takes to reach the watchers, and how long an invite between demo users takes to
 * reach the callee. Prints figures; asserts nothing. Run through {@code bench/run.sh presence}.
 */
public final class PresenceBenchmark {

  private record Options(
      String url,
      int clients,
      int watch,
      int churners,
      double changesPerSecond,
      int seconds,
      long serverPid) {

    static Options parse(String[] args) {
      Map<String, String> given = new java.util.HashMap<>();
      for (int i = 0; i + 1 < args.length; i += 2) {
        given.put(args[i].replaceFirst("^--", ""), args[i + 1]);
      }
      return new Options(
          given.getOrDefault("url", TestEnv.require("VCLICK_URL")),
          Integer.parseInt(given.getOrDefault("clients", "10000")),
          Integer.parseInt(given.getOrDefault("watch", "10")),
          Integer.parseInt(given.getOrDefault("churners", "100")),
          Double.parseDouble(given.getOrDefault("rate", "20")),
          Integer.parseInt(given.getOrDefault("duration", "30")),
          Long.parseLong(given.getOrDefault("server-pid", "0")));
    }
  }

  private static final Duration PING_EVERY = Duration.ofSeconds(15);
  private static final Duration INVITE_PAUSE = Duration.ofMillis(200);
  private static final int HANDSHAKE_CONCURRENCY = 16;

  private final Options options;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Latencies presenceLatency = new Latencies();
  private final Latencies inviteLatency = new Latencies();
  private final Map<String, Long> changeSentAt = new ConcurrentHashMap<>();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong handshakeRetries = new AtomicLong();
  private final AtomicLong changesMade = new AtomicLong();
  private final java.util.Set<Long> changesSeen = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
  private volatile boolean measuring;
  private RealmTestKey key;

  private PresenceBenchmark(Options options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    new PresenceBenchmark(Options.parse(args)).run();
  }

  private void run() throws Exception {
    key = RealmTestKey.register("vclick");
    try {
      measure();
    } finally {
      key.remove();
    }
  }

  private void measure() throws Exception {
    System.out.printf(
        "presence benchmark: %d clients watching %d each, %d churning users, %.0f changes/s, %d s%n",
        options.clients(),
        options.watch(),
        options.churners(),
        options.changesPerSecond(),
        options.seconds());
    awaitKeyAccepted();
    long rssBefore = rssKiB();
    List<Client> clients = new ArrayList<>(options.clients());
    for (int i = 0; i < options.clients(); i++) {
      clients.add(new Client(i));
    }
    long started = System.nanoTime();
    connectAll(clients);
    double connectSeconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "connected and authenticated %d clients in %.1f s (%.0f/s), %d handshakes retried%n",
        clients.size(), connectSeconds, clients.size() / connectSeconds, handshakeRetries.get());
    for (Client client : clients) {
      var users = Json.createArrayBuilder();
      for (int k = 1; k <= options.watch(); k++) {
        users.add(subject((client.index + k) % options.clients()));
      }
      client.send(message("presence.watch").add("users", users).build().toString());
    }
    awaitReceived((long) clients.size() * (options.watch() + 1), Duration.ofMinutes(2));
    reportShortClients(clients);
    long rssAfter = rssKiB();
    if (rssBefore > 0) {
      System.out.printf(
          "server RSS %d MiB before, %d MiB with the clients: %.1f KiB per connection%n",
          rssBefore / 1024, rssAfter / 1024, (rssAfter - rssBefore) / (double) clients.size());
    }

    ScheduledExecutorService load = Executors.newScheduledThreadPool(2);
    long pingSliceMs = 100;
    int slices = (int) (PING_EVERY.toMillis() / pingSliceMs);
    AtomicLong slice = new AtomicLong();
    load.scheduleAtFixedRate(
        guarded(
            () -> {
              int s = (int) (slice.getAndIncrement() % slices);
              for (int i = s; i < clients.size(); i += slices) {
                clients.get(i).send(message("ping").build().toString());
              }
            }),
        0,
        pingSliceMs,
        TimeUnit.MILLISECONDS);
    AtomicLong turn = new AtomicLong();
    long periodMicros = (long) (1_000_000 / options.changesPerSecond());
    measuring = true;
    load.scheduleAtFixedRate(
        guarded(
            () -> churn(clients.get(churner((int) (turn.getAndIncrement() % options.churners()))))),
        0,
        periodMicros,
        TimeUnit.MICROSECONDS);
    Thread invites = new Thread(this::invites, "invites");
    invites.start();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.seconds());
    invites.join(TimeUnit.SECONDS.toMillis(options.seconds() + 30));
    long remaining = end - System.nanoTime();
    if (remaining > 0) {
      TimeUnit.NANOSECONDS.sleep(remaining); // the measured window runs its course
    }
    measuring = false;
    load.shutdownNow();
    System.out.printf(
        "messages received by the clients: %d; errors: %d%n", received.get(), errors.get());
    System.out.printf(
        "presence changes made: %d (%.1f/s), reached at least one watcher: %d%n",
        changesMade.get(), changesMade.get() / (double) options.seconds(), changesSeen.size());
    presenceLatency.print("presence change → watcher");
    inviteLatency.print("invite → callee's call.incoming");
    System.out.printf("server RSS at the end: %d MiB%n", rssKiB() / 1024);
    clients.forEach(Client::abort);
    retries.shutdownNow();
  }

  /**
   * The server fetches the realm's keys at most every 30 s: wait until it knows the new test key (a
   * refused hello closes the socket; try again once a second).
   */
  private void awaitKeyAccepted() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (true) {
      try (var probe = SignalingClient.connect(http, options.url())) {
        probe.send(message("hello").add("token", token(0)));
        JsonObject reply =
            probe.next(
                m -> !m.getString("type").equals("pong"),
                "welcome or error",
                Duration.ofSeconds(10));
        if (reply.getString("type").equals("welcome")) {
          return;
        }
      } catch (AssertionError | RuntimeException e) {
        System.out.println("probe: " + e.getMessage() + "; trying again");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the server never accepted the benchmark's test key");
      }
      TimeUnit.SECONDS.sleep(1);
    }
  }

  /**
   * The k-th churning client, spread out so that no churner watches another: a watch lasts as long
   * as its connection, and a churner's watches would vanish with its first churn.
   */
  private int churner(int k) {
    return k * Math.max(1, options.clients() / options.churners());
  }

  /** A churning user goes offline (its only socket closes) or comes back (a new socket, hello). */
  private void churn(Client client) {
    long now = System.nanoTime();
    if (client.socket != null) {
      changeSentAt.put(client.subject + "/offline", now);
      client.closeSocket();
    } else {
      changeSentAt.put(client.subject + "/online", now);
      client.open();
    }
    changesMade.incrementAndGet();
  }

  /** Clients that did not get their welcome and one update per watched user, and why. */
  private void reportShortClients(List<Client> clients) {
    long expected = options.watch() + 1L;
    List<Client> shortOnes = clients.stream().filter(c -> c.messages.get() < expected).toList();
    long retried = shortOnes.stream().filter(c -> c.retried).count();
    long sockets = shortOnes.stream().mapToLong(c -> c.opened.get()).sum();
    System.out.printf(
        "clients short of initial messages: %d (missing %d messages; %d of them retried a"
            + " handshake; %d sockets opened by them)%n",
        shortOnes.size(),
        shortOnes.stream().mapToLong(c -> expected - c.messages.get()).sum(),
        retried,
        sockets);
  }

  /** Demo users call each other in pairs, each invite cancelled once it rang. */
  private void invites() {
    var login = KeycloakLogin.vclick();
    String[][] pairs = {{"alice", "bob"}, {"carol", "dave"}, {"erin", "frank"}};
    List<Thread> threads = new ArrayList<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.seconds());
    for (String[] pair : pairs) {
      String callerToken = login.loginToWebApp(pair[0]).accessToken();
      String calleeToken = login.loginToWebApp(pair[1]).accessToken();
      Thread thread =
          new Thread(
              () -> {
                try (var caller = SignalingClient.signIn(http, options.url(), callerToken);
                    var callee = SignalingClient.signIn(http, options.url(), calleeToken)) {
                  int n = 0;
                  while (System.nanoTime() < end) {
                    String ref = "r" + n++;
                    long sent = System.nanoTime();
                    caller.send(
                        SignalingClient.message("call.invite")
                            .add("ref", ref)
                            .add("to", pair[1])
                            .add("media", "video"));
                    JsonObject reply =
                        caller.next(
                            m ->
                                ref.equals(m.getString("ref", null))
                                    || m.getString("type").equals("error"),
                            "the reply to " + ref,
                            Duration.ofSeconds(10));
                    if (!reply.getString("type").equals("call.ringing")) {
                      errors.incrementAndGet();
                      System.out.println("invite refused: " + reply);
                      continue;
                    }
                    callee.next("call.incoming");
                    inviteLatency.add(System.nanoTime() - sent);
                    caller.send(
                        SignalingClient.message("call.cancel")
                            .add("callId", reply.getString("callId")));
                    caller.next("call.ended");
                    callee.next("call.ended");
                    pace(INVITE_PAUSE); // a steady rate, far below the per-connection limit
                  }
                }
              });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A periodic task that survives its own failures (an executor stops a task that throws). */
  private Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        if (errors.incrementAndGet() < 5) {
          System.out.println("load task failed: " + e);
        }
      }
    };
  }

  /** Waits until the clients received this many messages (welcomes and first presence). */
  private void awaitReceived(long count, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (received.get() < count && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    System.out.printf("initial presence delivered: %d of %d messages%n", received.get(), count);
  }

  private static void pace(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void connectAll(List<Client> clients) throws InterruptedException {
    Semaphore handshakes = new Semaphore(HANDSHAKE_CONCURRENCY);
    CountDownLatch welcomed = new CountDownLatch(clients.size());
    for (Client client : clients) {
      handshakes.acquire();
      client.welcomed = welcomed;
      client.open().whenComplete((ok, error) -> handshakes.release());
    }
    if (!welcomed.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException(welcomed.getCount() + " clients were never welcomed");
    }
  }

  private String token(int index) {
    long now = Instant.now().getEpochSecond();
    return key.sign(
        Json.createObjectBuilder()
            .add("iss", key.issuer())
            .add("aud", "vclick-api")
            .add("sub", subject(index))
            .add("typ", "Bearer")
            .add("iat", now)
            .add("exp", now + 3600)
            .add("preferred_username", "bench-" + index)
            .add("groups", Json.createArrayBuilder().add("caller"))
            .build());
  }

  private static String subject(int index) {
    return "bench-user-" + index;
  }

  private static jakarta.json.JsonObjectBuilder message(String type) {
    return SignalingClient.message(type);
  }

  private long rssKiB() {
    if (options.serverPid() <= 0) {
      return -1;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + options.serverPid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  /** One synthetic user with one socket; messages are counted, presence ones timed. */
  private final class Client implements WebSocket.Listener {
    final int index;
    final String subject;
    final String token;
    volatile WebSocket socket;
    volatile CountDownLatch welcomed;
    private final StringBuilder partial = new StringBuilder();
    final AtomicLong messages = new AtomicLong();
    final AtomicLong opened = new AtomicLong();
    volatile boolean retried;

    Client(int index) {
      this.index = index;
      this.subject = subject(index);
      this.token = token(index);
    }

    CompletableFuture<WebSocket> open() {
      opened.incrementAndGet();
      return http.newWebSocketBuilder()
          .buildAsync(SignalingClient.wsUri(options.url()), this)
          .whenComplete(
              (ws, error) -> {
                if (error != null) {
                  retryLater();
                  return;
                }
                socket = ws;
                send(message("hello").add("token", token).build().toString());
              });
    }

    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

    /**
     * Queues a message behind the previous one (one send at a time per socket) without blocking: a
     * blocking send inside a completion callback would stall the HttpClient's selector thread.
     */
    void send(String text) {
      WebSocket ws = socket;
      if (ws != null) {
        synchronized (this) {
          lastSend = lastSend.thenCompose(done -> ws.sendText(text, true)).exceptionally(e -> null);
        }
      }
    }

    /** A handshake the server failed, or a socket it closed before the welcome: again soon. */
    void retryLater() {
      if (welcomed != null) {
        retried = true;
        handshakeRetries.incrementAndGet();
        retries.schedule(this::open, 200, TimeUnit.MILLISECONDS);
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      retryLater();
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      retryLater();
    }

    void closeSocket() {
      WebSocket ws = socket;
      socket = null;
      if (ws != null) {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "churn");
      }
    }

    void abort() {
      WebSocket ws = socket;
      if (ws != null) {
        ws.abort();
      }
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        handle(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    private void handle(String text) {
      received.incrementAndGet();
      messages.incrementAndGet();
      JsonObject message;
      try (var reader = Json.createReader(new StringReader(text))) {
        message = reader.readObject();
      }
      switch (message.getString("type")) {
        case "welcome" -> {
          CountDownLatch latch = welcomed;
          if (latch != null) {
            welcomed = null;
            latch.countDown();
          }
        }
        case "presence.update" -> {
          Long sentAt =
              changeSentAt.get(message.getString("user") + "/" + message.getString("presence"));
          if (measuring && sentAt != null) {
            presenceLatency.add(System.nanoTime() - sentAt);
            changesSeen.add(sentAt);
          }
        }
        case "error" -> errors.incrementAndGet();
        default -> {
          // pongs
        }
      }
    }
  }

  /** Latency samples in nanoseconds. */
  private static final class Latencies {
    private final List<Long> samples = new ArrayList<>();

    synchronized void add(long nanos) {
      samples.add(nanos);
    }

    synchronized void print(String what) {
      if (samples.isEmpty()) {
        System.out.printf("%s: no samples%n", what);
        return;
      }
      List<Long> sorted = samples.stream().sorted().toList();
      System.out.printf(
          "%s: %d samples, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          what,
          sorted.size(),
          at(sorted, 0.50),
          at(sorted, 0.99),
          sorted.get(sorted.size() - 1) / 1e6);
    }

    private static double at(List<Long> sorted, double quantile) {
      return sorted.get(Math.min(sorted.size() - 1, (int) (quantile * sorted.size()))) / 1e6;
    }
  }
}
