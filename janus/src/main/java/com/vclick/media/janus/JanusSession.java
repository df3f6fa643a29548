package com.vclick.media.janus;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Janus session: its handles, the one long-poll thread that reads its events, and the keepalive
 * that stops Janus from dropping it. Events go to whoever {@link #expect expects} them (register
 * before sending the request: an event can beat the HTTP answer) and to the listener of the handle
 * that sent them. When Janus forgets the session (restart, expiry) or stays unreachable for {@link
 * JanusSettings#sessionLossAfter()}, the session is lost: every expectation fails and the owner is
 * told once.
 */
final class JanusSession {

  private static final Logger LOG = Logger.getLogger(JanusSession.class.getName());

  /** Events read per long poll. */
  private static final int MAX_EVENTS = 16;

  /** Pause between two failed polls. */
  private static final Duration RETRY = Duration.ofMillis(500);

  /** What an {@link Expectation} holds once the session is lost. */
  private static final JsonObject LOST = JsonValue.EMPTY_JSON_OBJECT;

  private final JanusApi api;
  private final JanusSettings settings;
  private final long id;
  private final Consumer<JanusSession> onLost;
  private final Map<Long, Consumer<JsonObject>> handles = new ConcurrentHashMap<>();
  private final Set<Expectation> expectations = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean lost = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread poller;
  private final ScheduledFuture<?> keepalive;
  private volatile long lastContact = System.nanoTime();

  private JanusSession(
      JanusApi api,
      JanusSettings settings,
      long id,
      ScheduledExecutorService scheduler,
      Consumer<JanusSession> onLost) {
    this.api = api;
    this.settings = settings;
    this.id = id;
    this.onLost = onLost;
    long period = settings.keepalive().toMillis();
    this.keepalive =
        scheduler.scheduleWithFixedDelay(this::keepalive, period, period, TimeUnit.MILLISECONDS);
    this.poller = new Thread(this::pollLoop, "janus-events-" + id);
    poller.setDaemon(true);
  }

  /** Creates a session on Janus and starts reading its events. */
  static JanusSession create(
      JanusApi api,
      JanusSettings settings,
      ScheduledExecutorService scheduler,
      Consumer<JanusSession> onLost)
      throws JanusException {
    JsonObject answer =
        api.post(
            "",
            "create",
            api.json().createObjectBuilder().add("janus", "create"),
            api.newTransaction());
    long id = dataId(answer, "create");
    var session = new JanusSession(api, settings, id, scheduler, onLost);
    session.poller.start();
    return session;
  }

  long id() {
    return id;
  }

  boolean isLost() {
    return lost.get();
  }

  boolean isUsable() {
    return !lost.get() && !closed.get();
  }

  /** The handles attached and not yet detached. */
  int handles() {
    return handles.size();
  }

  JanusApi api() {
    return api;
  }

  /** Attaches a handle of {@code plugin}; its events go to {@code events} (on the poll thread). */
  long attach(String plugin, Consumer<JsonObject> events) throws JanusException {
    checkUsable();
    JsonObject answer =
        post(
            "/" + id,
            "attach",
            api.json().createObjectBuilder().add("janus", "attach").add("plugin", plugin),
            api.newTransaction());
    long handle = dataId(answer, "attach");
    handles.put(handle, events);
    return handle;
  }

  /** Sends a plugin message (with a JSEP when {@code jsep} is not null); returns Janus' ack. */
  JsonObject message(long handle, String what, JsonObject body, JsonObject jsep, String transaction)
      throws JanusException {
    checkUsable();
    JsonObjectBuilder request =
        api.json().createObjectBuilder().add("janus", "message").add("body", body);
    if (jsep != null) {
      request.add("jsep", jsep);
    }
    return post("/" + id + "/" + handle, what, request, transaction);
  }

  /** Trickles one candidate (or {@code {"completed":true}}) to a handle. */
  void trickle(long handle, JsonObject candidate) throws JanusException {
    checkUsable();
    post(
        "/" + id + "/" + handle,
        "trickle",
        api.json().createObjectBuilder().add("janus", "trickle").add("candidate", candidate),
        api.newTransaction());
  }

  /** Detaches a handle; a handle Janus no longer knows counts as detached. */
  void detach(long handle) throws JanusException {
    handles.remove(handle);
    if (!isUsable()) {
      return;
    }
    try {
      post(
          "/" + id + "/" + handle,
          "detach",
          api.json().createObjectBuilder().add("janus", "detach"),
          api.newTransaction());
    } catch (JanusException e) {
      if (e.code() != JanusException.HANDLE_NOT_FOUND) {
        throw e;
      }
    }
  }

  /**
   * Starts collecting the events {@code filter} accepts; call before sending the request that
   * causes them, close when done.
   */
  Expectation expect(Predicate<JsonObject> filter) {
    var expectation = new Expectation(filter);
    expectations.add(expectation);
    if (lost.get()) {
      expectation.events.add(LOST);
    }
    return expectation;
  }

  /** Stops polling and keeping alive, and destroys the session on Janus (best effort). */
  void destroy() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    keepalive.cancel(false);
    if (!lost.get()) {
      try {
        api.post(
            "/" + id,
            "destroy",
            api.json().createObjectBuilder().add("janus", "destroy"),
            api.newTransaction());
      } catch (JanusException e) {
        LOG.log(
            Level.FINE,
            "janus session {0}: destroy failed: {1}",
            new Object[] {Long.toString(id), e.getMessage()});
      }
    }
    poller.interrupt();
    for (Expectation expectation : expectations) {
      expectation.events.add(LOST);
    }
    handles.clear();
  }

  private JsonObject post(String path, String what, JsonObjectBuilder body, String transaction)
      throws JanusException {
    try {
      JsonObject answer = api.post(path, what, body, transaction);
      lastContact = System.nanoTime();
      return answer;
    } catch (JanusException e) {
      if (e.isSessionLost()) {
        markLost("Janus no longer knows the session");
      }
      throw e;
    }
  }

  private void checkUsable() throws JanusException {
    if (!isUsable()) {
      throw JanusException.lostSession();
    }
  }

  private void pollLoop() {
    while (isUsable()) {
      try {
        List<JsonObject> events = api.poll(id, MAX_EVENTS);
        lastContact = System.nanoTime();
        for (JsonObject event : events) {
          dispatch(event);
        }
      } catch (JanusException e) {
        if (!isUsable()) {
          return;
        }
        if (e.isSessionLost()) {
          markLost("Janus no longer knows the session");
          return;
        }
        if (unreachableTooLong()) {
          markLost("Janus unreachable for " + settings.sessionLossAfter().toSeconds() + " s");
          return;
        }
        LOG.log(
            Level.FINE,
            "janus session {0}: poll failed: {1}",
            new Object[] {Long.toString(id), e.getMessage()});
        try {
          Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException interrupted) {
          return;
        }
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "janus session " + id + ": event handling failed", e);
      }
    }
  }

  private void keepalive() {
    if (!isUsable()) {
      return;
    }
    try {
      api.post(
          "/" + id,
          "keepalive",
          api.json().createObjectBuilder().add("janus", "keepalive"),
          api.newTransaction());
      lastContact = System.nanoTime();
    } catch (JanusException e) {
      if (e.isSessionLost()) {
        markLost("Janus no longer knows the session");
      } else if (unreachableTooLong()) {
        markLost("Janus unreachable for " + settings.sessionLossAfter().toSeconds() + " s");
      } else {
        LOG.log(
            Level.FINE,
            "janus session {0}: keepalive failed: {1}",
            new Object[] {Long.toString(id), e.getMessage()});
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "janus session " + id + ": keepalive failed", e);
    }
  }

  private boolean unreachableTooLong() {
    return System.nanoTime() - lastContact > settings.sessionLossAfter().toNanos();
  }

  void dispatch(JsonObject event) {
    if ("timeout".equals(event.getString("janus", ""))) {
      markLost("Janus timed the session out");
      return;
    }
    for (Expectation expectation : expectations) {
      if (expectation.filter.test(event)) {
        expectation.events.add(event);
      }
    }
    long sender = sender(event);
    Consumer<JsonObject> listener = handles.get(sender);
    if (listener != null) {
      listener.accept(event);
    }
  }

  private void markLost(String why) {
    if (closed.get() || !lost.compareAndSet(false, true)) {
      return;
    }
    LOG.log(Level.WARNING, "janus session {0} lost: {1}", new Object[] {Long.toString(id), why});
    keepalive.cancel(false);
    for (Expectation expectation : expectations) {
      expectation.events.add(LOST);
    }
    handles.clear();
    if (Thread.currentThread() != poller) {
      poller.interrupt(); // it may wait 30 s in a long poll of the session that is gone
    }
    onLost.accept(this);
  }

  /** The handle an event comes from, or 0. */
  static long sender(JsonObject event) {
    JsonValue sender = event.get("sender");
    return sender instanceof jakarta.json.JsonNumber number ? number.longValue() : 0;
  }

  private static long dataId(JsonObject answer, String what) throws JanusException {
    JsonObject data = answer.getJsonObject("data");
    if (!"success".equals(answer.getString("janus", ""))
        || data == null
        || !data.containsKey("id")) {
      throw JanusException.error(what, 0, "unexpected answer");
    }
    return data.getJsonNumber("id").longValue();
  }

  /** Events collected for one request; see {@link #expect}. */
  final class Expectation implements AutoCloseable {

    private final Predicate<JsonObject> filter;
    private final LinkedBlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();

    private Expectation(Predicate<JsonObject> filter) {
      this.filter = filter;
    }

    /**
     * The next accepted event, waiting until {@code deadline} ({@link System#nanoTime()}).
     *
     * @throws JanusException on time-out ({@code what} names the wait) or session loss
     */
    JsonObject next(long deadline, String what) throws JanusException {
      try {
        JsonObject event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (event == null) {
          throw new JanusException(
              "Janus did not answer " + what + " within " + settings.timeout().toMillis() + " ms",
              0,
              false,
              null);
        }
        if (event == LOST) {
          events.add(LOST);
          throw JanusException.lostSession();
        }
        return event;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new JanusException("interrupted while waiting for Janus (" + what + ")", 0, false, e);
      }
    }

    @Override
    public void close() {
      expectations.remove(this);
    }
  }
}
