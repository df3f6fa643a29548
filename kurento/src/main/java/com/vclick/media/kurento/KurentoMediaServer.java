package com.vclick.media.kurento;

import com.vclick.media.api.Conference;
import com.vclick.media.api.ConferenceListener;
import com.vclick.media.api.ConferenceRequest;
import com.vclick.media.api.MediaEvent;
import com.vclick.media.api.MediaEventListener;
import com.vclick.media.api.MediaServer;
import com.vclick.media.api.MediaServerException;
import com.vclick.media.api.MediaServerStatus;
import com.vclick.media.api.ProxiedCall;
import com.vclick.media.api.ProxiedCallRequest;
import com.vclick.media.api.ReleaseReason;
import com.vclick.media.api.adapter.SerialExecutor;
import com.vclick.media.api.adapter.WorkingFiles;
import com.vclick.media.kurento.KurentoGateway.Failure;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Kurento Media Server reached with {@code kurento-client}: the connection, and the calls on it.
 *
 * <p>The connection is opened on first use (explicit URI, timeouts, heartbeat and a connection
 * listener, see {@link KurentoClientGateway}). When the socket drops, the client tries to reconnect
 * for {@code reconnect-window-ms} while the calls go on (their media flows inside KMS); if it gives
 * up ({@code disconnected}/{@code connectionFailed}) every call on that connection gets {@code
 * LegFailed} for both legs and {@code CallReleased} ({@code media-server-lost}) and the connection
 * is dropped, so the next call connects anew. A reconnection to a new KMS session (KMS restarted)
 * ends the calls the same way ({@code media-server-restarted}).
 */
public final class KurentoMediaServer implements MediaServer {

  private static final Logger LOG = Logger.getLogger(KurentoMediaServer.class.getName());

  private final KurentoSettings settings;
  private final KurentoGateway.Connector connector;
  private final Clock clock;
  private final Executor eventThreads;
  private final ExecutorService ownedEventThreads;
  private final SerialExecutor.Pending pendingEvents = new SerialExecutor.Pending();
  private final ConcurrentMap<String, KurentoProxiedCall> calls = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, KurentoConference> conferences = new ConcurrentHashMap<>();
  private final Object connectLock = new Object();
  private Connection current;
  private boolean closed;

  /** Checks the recordings' files on disk ({@code recording-check-ms}); null when never. */
  private final ScheduledExecutorService fileChecks;

  public KurentoMediaServer(KurentoSettings settings) {
    this(settings, KurentoClientGateway.connector(settings), Clock.systemUTC(), null);
  }

  /**
   * @param eventThreads runs the calls' listeners (each call's in order); null: a pool of its own,
   *     shut down by {@link #close()}
   */
  KurentoMediaServer(
      KurentoSettings settings,
      KurentoGateway.Connector connector,
      Clock clock,
      Executor eventThreads) {
    this.settings = settings;
    this.connector = connector;
    this.clock = clock;
    this.ownedEventThreads = eventThreads == null ? newEventPool() : null;
    this.eventThreads = eventThreads == null ? ownedEventThreads : eventThreads;
    long check = settings.recordingCheck().toMillis();
    if (check > 0) {
      this.fileChecks =
          Executors.newSingleThreadScheduledExecutor(
              task -> {
                Thread thread = new Thread(task, "kurento-recording-files");
                thread.setDaemon(true);
                return thread;
              });
      fileChecks.scheduleWithFixedDelay(
          this::checkRecordingFiles, check, check, TimeUnit.MILLISECONDS);
    } else {
      this.fileChecks = null;
    }
  }

  private void checkRecordingFiles() {
    for (KurentoProxiedCall call : calls.values()) {
      try {
        call.checkRecordingFiles();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "call " + call.callId() + ": its recording was not checked", e);
      }
    }
  }

  @Override
  public String name() {
    return KurentoMediaServerProvider.NAME;
  }

  @Override
  public MediaServerStatus probe() {
    Connection connection;
    try {
      connection = connection();
    } catch (MediaServerException e) {
      return MediaServerStatus.down(e.getMessage());
    } catch (IllegalStateException e) {
      return MediaServerStatus.down("closed");
    }
    long asked = System.nanoTime();
    try {
      String version = connection.gateway.serverVersion();
      connection.answered();
      return MediaServerStatus.up("Kurento " + version);
    } catch (Failure e) {
      if (e.unreachable()) {
        connection.unanswered(asked, e.errorType());
      }
      return MediaServerStatus.down(
          (e.unreachable() ? "unreachable: " : "error: ") + e.errorType());
    }
  }

  @Override
  public ProxiedCall createProxiedCall(ProxiedCallRequest request, MediaEventListener listener)
      throws MediaServerException {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    Connection connection = connection();
    var call =
        new KurentoProxiedCall(
            request.callId(),
            settings,
            clock,
            new SerialExecutor(eventThreads, pendingEvents),
            listener,
            connection,
            this::forget);
    // putIfAbsent before any KMS object exists: two requests for one id cannot both build one
    if (calls.putIfAbsent(request.callId(), call) != null) {
      throw new MediaServerException("a call with this id is already open");
    }
    long asked = System.nanoTime();
    try {
      call.open(connection.gateway, request.recorded());
      connection.answered();
    } catch (MediaServerException e) {
      calls.remove(request.callId(), call);
      if (e.unreachable()) {
        connection.unanswered(asked, e.getCause() instanceof Failure f ? f.errorType() : "");
      }
      throw e;
    } catch (RuntimeException e) {
      calls.remove(request.callId(), call);
      throw e;
    }
    synchronized (connectLock) {
      if (!closed) {
        return call;
      }
    }
    call.end(ReleaseReason.SHUTDOWN);
    throw new IllegalStateException("the Kurento adapter was closed");
  }

  @Override
  public Conference createConference(ConferenceRequest request, ConferenceListener listener)
      throws MediaServerException {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    Connection connection = connection();
    var conference =
        new KurentoConference(
            request.conferenceId(),
            request.maxParticipants(),
            settings,
            clock,
            new SerialExecutor(eventThreads, pendingEvents),
            listener,
            connection,
            this::forget);
    // putIfAbsent before any KMS object exists: two requests for one id cannot both build one
    if (conferences.putIfAbsent(request.conferenceId(), conference) != null) {
      throw new MediaServerException("a conference with this id is already open");
    }
    long asked = System.nanoTime();
    try {
      conference.open(connection.gateway, request.recorded());
      connection.answered();
    } catch (MediaServerException e) {
      conferences.remove(request.conferenceId(), conference);
      if (e.unreachable()) {
        connection.unanswered(asked, e.getCause() instanceof Failure f ? f.errorType() : "");
      }
      throw e;
    } catch (RuntimeException e) {
      conferences.remove(request.conferenceId(), conference);
      throw e;
    }
    synchronized (connectLock) {
      if (!closed) {
        return conference;
      }
    }
    conference.end(ReleaseReason.SHUTDOWN);
    throw new IllegalStateException("the Kurento adapter was closed");
  }

  @Override
  public int openConferences() {
    return conferences.size();
  }

  @Override
  public List<MediaEvent.RecordingStopped> recoverRecordings(String callId)
      throws MediaServerException {
    new ProxiedCallRequest(callId, true); // checks the id: it names files
    return new KurentoRecordingRecovery(Path.of(settings.recordingsDir())).recover(callId);
  }

  @Override
  public int purgeWorkingFiles(Instant cutoff) {
    return WorkingFiles.purge(Path.of(settings.recordingsDir()), cutoff);
  }

  @Override
  public int openCalls() {
    return calls.size();
  }

  @Override
  public void close() {
    synchronized (connectLock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (KurentoProxiedCall call : List.copyOf(calls.values())) {
      call.end(ReleaseReason.SHUTDOWN);
    }
    for (KurentoConference conference : List.copyOf(conferences.values())) {
      conference.end(ReleaseReason.SHUTDOWN);
    }
    Connection last;
    synchronized (connectLock) {
      last = current;
      current = null;
    }
    if (last != null) {
      closeQuietly(last.gateway);
    }
    try {
      if (!pendingEvents.awaitNone(Duration.ofSeconds(5))) {
        LOG.warning("media event listeners still busy at shutdown: later events are dropped");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownedEventThreads != null) {
      ownedEventThreads.shutdown();
    }
    if (fileChecks != null) {
      fileChecks.shutdownNow();
    }
  }

  /** The open connection, connecting when there is none. */
  private Connection connection() throws MediaServerException {
    synchronized (connectLock) {
      if (closed) {
        throw new IllegalStateException("the Kurento adapter was closed");
      }
      if (current != null && !current.gateway.isClosed() && !current.wedged()) {
        return current;
      }
      if (current != null) {
        lost(
            current,
            ReleaseReason.MEDIA_SERVER_LOST,
            current.gateway.isClosed()
                ? "client closed"
                : "requests unanswered for longer than the reconnect window");
      }
      var fresh = new Connection();
      try {
        fresh.gateway = connector.connect(fresh);
      } catch (Failure e) {
        throw new MediaServerException(
            "Kurento Media Server unreachable: " + e.errorType(), e.unreachable(), e);
      }
      current = fresh;
      return fresh;
    }
  }

  /** Drops {@code connection} (if still current) and ends its calls without asking KMS. */
  private void lost(Connection connection, ReleaseReason reason, String what) {
    boolean wasCurrent;
    synchronized (connectLock) {
      wasCurrent = current == connection;
      if (wasCurrent) {
        current = null;
      }
    }
    if (wasCurrent) {
      LOG.warning(
          () ->
              "Kurento "
                  + what
                  + ": ending its "
                  + callsOn(connection)
                  + " call(s) and conference(s)");
    }
    abortCalls(connection, reason);
    if (wasCurrent && connection.gateway != null) {
      // not on this thread: closing a client that does not answer waits for its own timeouts
      var closing = new Thread(() -> closeQuietly(connection.gateway), "vclick-kurento-close");
      closing.setDaemon(true);
      closing.start();
    }
  }

  private long callsOn(Connection connection) {
    return calls.values().stream().filter(call -> call.connection() == connection).count()
        + conferences.values().stream().filter(c -> c.connection() == connection).count();
  }

  private void abortCalls(Connection connection, ReleaseReason reason) {
    for (KurentoProxiedCall call : List.copyOf(calls.values())) {
      if (call.connection() == connection) {
        call.abort(reason);
      }
    }
    for (KurentoConference conference : List.copyOf(conferences.values())) {
      if (conference.connection() == connection) {
        conference.abort(reason);
      }
    }
  }

  private void forget(KurentoProxiedCall call) {
    calls.remove(call.callId(), call);
  }

  private void forget(KurentoConference conference) {
    conferences.remove(conference.conferenceId(), conference);
  }

  private static void closeQuietly(KurentoGateway gateway) {
    try {
      gateway.close();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "closing the Kurento connection failed", e);
    }
  }

  private static ExecutorService newEventPool() {
    var count = new AtomicInteger();
    return Executors.newCachedThreadPool(
        task -> {
          var thread = new Thread(task, "vclick-kurento-events-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  /**
   * One KurentoClient's life; its listener acts only while it is the current one.
   *
   * <p>kurento-client can end up unable to send without ever reporting a loss: after a heartbeat
   * failure it closes its socket and starts two reconnections at once (its own and its channel
   * listener's), and then every request waits for its connection lock until that times out ({@code
   * TimeoutRuntimeException}, 25 s). Such a connection is dropped like a lost one on its next use
   * (its calls end, {@code media-server-lost}, and a new client connects): after a lock timeout, or
   * after two or more requests in a row went unanswered over more than the reconnect window. (One
   * unanswered request alone is no loss: one sent just as the socket dropped is never answered
   * although the client reconnects.)
   */
  private final class Connection implements KurentoGateway.ConnectionEvents {
    volatile KurentoGateway gateway;

    private final Object streakLock = new Object();
    private long unansweredSince; // nanoTime the first unanswered request of the streak was sent
    private int unanswered;
    private boolean stuck;

    void answered() {
      synchronized (streakLock) {
        unanswered = 0;
        stuck = false;
      }
    }

    /** A request sent at {@code asked} ({@code System.nanoTime()}) failed as unreachable. */
    void unanswered(long asked, String errorType) {
      synchronized (streakLock) {
        if (unanswered++ == 0) {
          unansweredSince = asked;
        }
        stuck |= "TimeoutRuntimeException".equals(errorType);
      }
    }

    boolean wedged() {
      synchronized (streakLock) {
        return stuck
            || unanswered >= 2
                && System.nanoTime() - unansweredSince >= settings.reconnectWindow().toNanos();
      }
    }

    @Override
    public void connectionFailed() {
      lost(this, ReleaseReason.MEDIA_SERVER_LOST, "connection failed");
    }

    @Override
    public void disconnected() {
      lost(this, ReleaseReason.MEDIA_SERVER_LOST, "connection lost and not regained");
    }

    @Override
    public void reconnected(boolean sameServer) {
      if (sameServer) {
        LOG.info("Kurento connection regained, same session: calls go on");
      } else {
        LOG.warning(
            () ->
                "Kurento reconnected to a new session (KMS restarted): ending its "
                    + callsOn(this)
                    + " call(s) and conference(s)");
        abortCalls(this, ReleaseReason.MEDIA_SERVER_RESTARTED);
      }
    }
  }
}
