package com.vclick.media.janus;

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
import com.vclick.media.api.adapter.WorkingFiles;
import jakarta.json.spi.JsonProvider;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * A Janus instance reached over its HTTP transport. Holds one Janus session for all its calls
 * (created on the first call, created anew after Janus lost it), read by one long-poll thread and
 * kept alive by one scheduler thread; listeners are called on a small shared pool (in order per
 * call) and recordings are converted on one more thread.
 */
public final class JanusMediaServer implements MediaServer {

  private static final Logger LOG = Logger.getLogger(JanusMediaServer.class.getName());

  private static final Pattern VERSION = Pattern.compile("\"version_string\"\\s*:\\s*\"([^\"]+)\"");

  private final JanusSettings settings;
  private final Clock clock;
  private final HttpClient http;
  private final JanusApi api;
  private final RecordingConverter converter;
  private final ConferenceComposer composer;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService delivery;
  private final ExecutorService conversions;
  private final Map<String, JanusProxiedCall> calls = new ConcurrentHashMap<>();
  private final Map<String, JanusConference> conferences = new ConcurrentHashMap<>();
  private final Object sessionLock = new Object();
  private JanusSession session; // guarded by sessionLock
  private volatile boolean closed;

  public JanusMediaServer(JanusSettings settings) {
    this(settings, Clock.systemUTC(), null);
  }

  /**
   * @param converter converts recordings; null: {@code janus-pp-rec} and {@code ffmpeg}
   */
  JanusMediaServer(JanusSettings settings, Clock clock, RecordingConverter converter) {
    this(settings, clock, converter, null);
  }

  /**
   * @param converter converts call recordings; null: {@code janus-pp-rec} and {@code ffmpeg}
   * @param composer composes conference recordings; null: {@code janus-pp-rec} and {@code ffmpeg}
   */
  JanusMediaServer(
      JanusSettings settings,
      Clock clock,
      RecordingConverter converter,
      ConferenceComposer composer) {
    this.settings = settings;
    this.clock = clock;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // Janus (libmicrohttpd) speaks HTTP/1.1 only
            .connectTimeout(settings.timeout())
            .build();
    // Looked up once, on the application's thread: the adapter's threads may not see it.
    JsonProvider json = JsonProvider.provider();
    this.api = new JanusApi(settings, http, json);
    this.converter =
        converter != null
            ? converter
            : new FfmpegRecordingConverter(
                settings.ppRec(), settings.ffmpeg(), settings.conversionTimeout(), json);
    this.composer =
        composer != null
            ? composer
            : new FfmpegConferenceComposer(
                settings.ppRec(), settings.ffmpeg(), settings.conversionTimeout());
    this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("janus-keepalive"));
    this.delivery = Executors.newCachedThreadPool(daemon("janus-events"));
    this.conversions = Executors.newSingleThreadExecutor(daemon("janus-recordings"));
    settings.recordingsDir().ifPresent(PrivateFolder::ensure);
    long check = settings.recordingCheck().toMillis();
    if (settings.recordingsDir().isPresent() && check > 0) {
      scheduler.scheduleWithFixedDelay(this::watchRecordings, check, check, TimeUnit.MILLISECONDS);
    }
  }

  /** Checks every recorded call's files on disk (the scheduler thread: quick, never blocking). */
  private void watchRecordings() {
    Instant now = clock.instant();
    for (JanusProxiedCall call : calls.values()) {
      try {
        call.watchRecording(now);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "call " + call.callId() + ": its recording was not checked", e);
      }
    }
  }

  @Override
  public String name() {
    return JanusMediaServerProvider.NAME;
  }

  @Override
  public MediaServerStatus probe() {
    var request =
        HttpRequest.newBuilder(URI.create(settings.url() + "/info"))
            .timeout(settings.timeout())
            .GET()
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200 || !response.body().contains("\"server_info\"")) {
        return MediaServerStatus.down("unexpected answer " + response.statusCode());
      }
      var version = VERSION.matcher(response.body());
      return MediaServerStatus.up(version.find() ? "Janus " + version.group(1) : "Janus");
    } catch (IOException e) {
      return MediaServerStatus.down("unreachable: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return MediaServerStatus.down("interrupted");
    }
  }

  @Override
  public ProxiedCall createProxiedCall(ProxiedCallRequest request, MediaEventListener listener)
      throws MediaServerException {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    if (closed) {
      throw new MediaServerException("the Janus adapter is closed");
    }
    if (calls.containsKey(request.callId())) {
      throw new MediaServerException("a call with this id is open already");
    }
    JanusProxiedCall call;
    try {
      call = open(request, listener);
    } catch (JanusException e) {
      if (!e.isSessionLost()) {
        throw e;
      }
      call = open(request, listener); // the session was lost meanwhile: once more, on a new one
    }
    if (calls.putIfAbsent(request.callId(), call) != null) {
      call.close();
      throw new MediaServerException("a call with this id is open already");
    }
    if (closed || call.session().isLost()) {
      calls.remove(request.callId(), call);
      call.close();
      throw new MediaServerException("the Janus session ended while the call was created");
    }
    return call;
  }

  @Override
  public Conference createConference(ConferenceRequest request, ConferenceListener listener)
      throws MediaServerException {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    if (closed) {
      throw new MediaServerException("the Janus adapter is closed");
    }
    if (conferences.containsKey(request.conferenceId())) {
      throw new MediaServerException("a conference with this id is open already");
    }
    JanusConference conference;
    try {
      conference = JanusConference.open(this, session(), request, listener);
    } catch (JanusException e) {
      if (!e.isSessionLost()) {
        throw e;
      }
      conference = JanusConference.open(this, session(), request, listener); // on a new session
    }
    if (conferences.putIfAbsent(request.conferenceId(), conference) != null) {
      conference.close();
      throw new MediaServerException("a conference with this id is open already");
    }
    if (closed || conference.session().isLost()) {
      conferences.remove(request.conferenceId(), conference);
      conference.close();
      throw new MediaServerException("the Janus session ended while the conference was created");
    }
    return conference;
  }

  @Override
  public int openConferences() {
    return conferences.size();
  }

  private JanusProxiedCall open(ProxiedCallRequest request, MediaEventListener listener)
      throws JanusException {
    return JanusProxiedCall.open(this, session(), request.callId(), request.recorded(), listener);
  }

  private JanusSession session() throws JanusException {
    synchronized (sessionLock) {
      if (session == null || !session.isUsable()) {
        session = JanusSession.create(api, settings, scheduler, this::sessionLost);
        LOG.log(Level.INFO, "janus: session {0} created", Long.toString(session.id()));
      }
      return session;
    }
  }

  private void sessionLost(JanusSession lost) {
    synchronized (sessionLock) {
      if (session == lost) {
        session = null;
      }
    }
    for (JanusProxiedCall call : new ArrayList<>(calls.values())) {
      if (call.session() == lost) {
        call.sessionLost();
      }
    }
    for (JanusConference conference : new ArrayList<>(conferences.values())) {
      if (conference.session() == lost) {
        conference.sessionLost();
      }
    }
  }

  @Override
  public List<MediaEvent.RecordingStopped> recoverRecordings(String callId)
      throws MediaServerException {
    new ProxiedCallRequest(callId, true); // checks the id: it names files
    Optional<Path> dir = settings.recordingsDir();
    if (dir.isEmpty() || !Files.isDirectory(dir.get())) {
      return List.of();
    }
    return new JanusRecordingRecovery(dir.get(), converter).recover(callId);
  }

  @Override
  public int purgeWorkingFiles(Instant cutoff) {
    return settings.recordingsDir().map(dir -> WorkingFiles.purge(dir, cutoff)).orElse(0);
  }

  @Override
  public int openCalls() {
    return calls.size();
  }

  /** The handles the current session holds, or 0 (leak checks). */
  int handles() {
    synchronized (sessionLock) {
      return session == null ? 0 : session.handles();
    }
  }

  /** The current session's id, or 0 (tests). */
  long sessionId() {
    synchronized (sessionLock) {
      return session == null ? 0 : session.id();
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (JanusProxiedCall call : new ArrayList<>(calls.values())) {
      call.end(ReleaseReason.SHUTDOWN);
    }
    for (JanusConference conference : new ArrayList<>(conferences.values())) {
      conference.end(ReleaseReason.SHUTDOWN);
    }
    conversions.shutdown();
    await(conversions, settings.conversionTimeout().toMillis());
    delivery.shutdown();
    await(delivery, settings.timeout().toMillis());
    JanusSession last;
    synchronized (sessionLock) {
      last = session;
      session = null;
    }
    if (last != null) {
      last.destroy();
    }
    scheduler.shutdownNow();
  }

  // --- for the calls ---------------------------------------------------------------------------

  JanusSettings settings() {
    return settings;
  }

  Clock clock() {
    return clock;
  }

  RecordingConverter converter() {
    return converter;
  }

  ConferenceComposer composer() {
    return composer;
  }

  ExecutorService deliveryPool() {
    return delivery;
  }

  /** Runs a recording's conversion on the conversion thread (here when already shut down). */
  void convert(Runnable conversion) {
    try {
      conversions.execute(conversion);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      conversion.run();
    }
  }

  /** The conference released its Janus room and handles (or lost them). */
  void forget(JanusConference conference) {
    conferences.remove(conference.conferenceId(), conference);
  }

  /** The call released its Janus handles (or lost them). */
  void forget(JanusProxiedCall call) {
    calls.remove(call.callId(), call);
  }

  private static void await(ExecutorService executor, long millis) {
    try {
      if (!executor.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
        LOG.warning("janus: adapter threads still busy at close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemon(String name) {
    var count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
