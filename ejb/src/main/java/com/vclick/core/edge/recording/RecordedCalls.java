package com.vclick.core.edge.recording;

import com.vclick.core.edge.EdgeDecisionKind;
import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.Leg;
import com.vclick.media.api.MediaEvent;
import com.vclick.media.api.MediaServer;
import com.vclick.media.api.MediaServerException;
import com.vclick.media.api.ProxiedCall;
import com.vclick.media.api.ProxiedCallRequest;
import com.vclick.media.api.ReleaseReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The live recorded calls and their rules, without container types (unit-tested with a fake media
 * server): a call is opened only under the caller's own recent {@code record} decision; every later
 * request must come from the same user; a user holds a bounded number of calls; a call unused for
 * the idle timeout is released; the fail mode decides what happens when the media server cannot be
 * had (never a silent unrecorded call: allowing one is audited).
 */
public final class RecordedCalls implements AutoCloseable {

  /** The stop reason when both legs failed on the media server during the call. */
  static final String MEDIA_PATH_LOST = "media-path-lost";

  /** How old a {@code record} decision may be when a call is opened under it (its relay TTL). */
  static final Duration MAX_DECISION_AGE = Duration.ofMinutes(15);

  private static final Logger LOG = Logger.getLogger(RecordedCalls.class.getName());

  /** What the decision log knows of one decision. */
  public record DecisionFacts(
      String userId, String origin, EdgeDecisionKind kind, Instant decidedAt) {}

  /** Who opens a call: the token's subject and names. */
  public record Owner(String userId, String username, String displayName) {}

  /** Looks a decision up by id. */
  @FunctionalInterface
  public interface Decisions {
    Optional<DecisionFacts> find(String decisionId);
  }

  /** Appends to the audit trail. */
  @FunctionalInterface
  public interface Audit {
    void append(String actor, String action, String target, String detail);
  }

  /**
   * Where every session is persisted, so that each ends in exactly one outcome (a stored recording
   * or an audited failure) whatever happens to this server: {@code RecordedCallJournal}.
   */
  public interface Journal {
    /** The session opened (its row, outcome open). */
    void opened(SessionFacts session);

    /** The fail mode refused or skipped recording at opening: the session fails at once. */
    void refused(SessionFacts session, String reason);

    /** These sessions are alive on this server (a crash is noticed when this stops). */
    void heartbeat(Collection<String> recordedCallIds, Instant at);

    /** Something went wrong with the session's recording (kept as its reason; audited apart). */
    void problem(String recordedCallId, String reason);

    /** A recording finished: queued for the store before this returns. */
    void recordingFinished(FinishedRecording recording);

    /**
     * The media server released the call (its last event): the session settles once its queued
     * recordings are stored, at once when there are none.
     */
    void callEnded(String recordedCallId, Instant at, Duration enterprise, Duration farEnd);
  }

  /**
   * Told of every live call the server stopped without its page asking ({@link
   * RecordedCallStopped}): the page must see its call end at once, not through ICE failing.
   */
  @FunctionalInterface
  public interface Stops {
    void stopped(RecordedCallStopped stop);
  }

  private final Supplier<MediaServer> server;
  private final Decisions decisions;
  private final Audit audit;
  private final RecordedCallConfig config;
  private final Clock clock;
  private final Journal journal;
  private final Stops stops;
  private final Map<String, RecordedCallSession> calls = new ConcurrentHashMap<>();

  /**
   * Every recorded call's facts until the media server released it ({@code CallReleased}, its last
   * event): its recordings finish after the call ended. Dropped by the idle sweep after that at the
   * latest (its heartbeat then stops and the reconciliation settles it).
   */
  private final Map<String, RecordedCallSession> awaitingRecording = new ConcurrentHashMap<>();

  public RecordedCalls(
      Supplier<MediaServer> server,
      Decisions decisions,
      Audit audit,
      RecordedCallConfig config,
      Clock clock,
      Journal journal) {
    this(server, decisions, audit, config, clock, journal, stop -> {});
  }

  public RecordedCalls(
      Supplier<MediaServer> server,
      Decisions decisions,
      Audit audit,
      RecordedCallConfig config,
      Clock clock,
      Journal journal,
      Stops stops) {
    this.server = server;
    this.decisions = decisions;
    this.audit = audit;
    this.config = config;
    this.clock = clock;
    this.journal = journal;
    this.stops = stops;
  }

  /**
   * Opens a recorded call for {@code userId} under its {@code record} decision.
   *
   * @throws RecordedCallRefusedException no such decision of this user, not {@code record}, too
   *     old, or too many live calls
   * @throws RecordedCallUnavailableException the media server cannot be had and the fail mode
   *     blocks
   */
  public RecordedCallOpened open(Owner owner, String decisionId, String connectionId)
      throws RecordedCallRefusedException, RecordedCallUnavailableException {
    String userId = owner.userId();
    Instant now = clock.instant();
    DecisionFacts decision =
        decisions
            .find(decisionId)
            .filter(d -> d.userId().equals(userId))
            .orElseThrow(
                () ->
                    new RecordedCallRefusedException(
                        400, "decisionId: No such decision of yours."));
    if (decision.kind() != EdgeDecisionKind.RECORD) {
      throw new RecordedCallRefusedException(400, "decisionId: The decision is not record.");
    }
    if (decision.decidedAt().plus(MAX_DECISION_AGE).isBefore(now)) {
      throw new RecordedCallRefusedException(
          400, "decisionId: The decision has expired; ask again.");
    }
    long held = calls.values().stream().filter(c -> c.userId.equals(userId)).count();
    if (held >= config.maxCallsPerUser()) {
      throw new RecordedCallRefusedException(429, "Too many recorded calls at once.");
    }
    String id = UUID.randomUUID().toString();
    var facts =
        new SessionFacts(
            id,
            userId,
            owner.username(),
            owner.displayName(),
            connectionId,
            decisionId,
            decision.origin(),
            failMode(),
            now);
    ProxiedCall call;
    try {
      call =
          server
              .get()
              .createProxiedCall(new ProxiedCallRequest(id, true), event -> onEvent(id, event));
    } catch (MediaServerException | RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "recorded call {0}: the media server cannot take it: {1}",
          new Object[] {id, e.getMessage()});
      if (config.failMode() == RecordingFailMode.ALLOW_UNRECORDED) {
        journal.refused(
            facts, "media-server-unavailable: the call went ahead unrecorded (allow-unrecorded)");
        audit.append(
            userId,
            "recording.skipped",
            "edge-decision:" + decisionId,
            "origin=" + decision.origin() + " reason=media-server-unavailable");
        return new RecordedCallOpened(null, false);
      }
      journal.refused(facts, "media-server-unavailable: the call was blocked (block)");
      audit.append(
          userId,
          "recording.blocked",
          "edge-decision:" + decisionId,
          "origin=" + decision.origin() + " reason=media-server-unavailable");
      throw new RecordedCallUnavailableException(
          "The recording media server is unavailable: the call is blocked by policy.");
    }
    var session =
        new RecordedCallSession(id, owner, connectionId, decision.origin(), decisionId, now, call);
    awaitingRecording.put(id, session);
    calls.put(id, session);
    try {
      journal.opened(facts);
    } catch (RuntimeException e) {
      // Never a recorded call that no row accounts for: without it the call does not start.
      calls.remove(id, session);
      awaitingRecording.remove(id, session);
      call.close();
      throw e;
    }
    audit.append(
        userId, "recording.call.opened", "recorded-call:" + id, "origin=" + decision.origin());
    return new RecordedCallOpened(id, true);
  }

  /** {@code from} offers; returns the media server's offer for the other leg. */
  public String offer(String userId, String id, Leg from, String sdp)
      throws RecordedCallRefusedException, MediaServerException {
    RecordedCallSession session = owned(userId, id);
    try {
      return session.call.offer(from, sdp);
    } catch (IllegalStateException e) {
      throw new RecordedCallRefusedException(409, e.getMessage());
    }
  }

  /** {@code from} answers; returns the media server's answer for the offering leg. */
  public String answer(String userId, String id, Leg from, String sdp)
      throws RecordedCallRefusedException, MediaServerException {
    RecordedCallSession session = owned(userId, id);
    try {
      return session.call.answer(from, sdp);
    } catch (IllegalStateException e) {
      throw new RecordedCallRefusedException(409, e.getMessage());
    }
  }

  /** A candidate of {@code from}'s peer. */
  public void candidate(String userId, String id, Leg from, IceCandidate candidate)
      throws RecordedCallRefusedException, MediaServerException {
    owned(userId, id).call.addCandidate(from, candidate);
  }

  /** Ends the call (idempotent for its owner: an unknown id is already ended). */
  public void hangUp(String userId, String id) {
    RecordedCallSession session = calls.get(id);
    if (session == null || !session.userId.equals(userId)) {
      return;
    }
    release(session, "hang-up");
  }

  /** Releases the calls unused for longer than the idle timeout; returns how many. */
  public int sweepIdle() {
    Instant limit = clock.instant().minus(config.idleTimeout());
    int released = 0;
    for (RecordedCallSession session : new ArrayList<>(calls.values())) {
      if (session.lastUsed().isBefore(limit)) {
        release(session, "idle");
        released++;
      }
    }
    awaitingRecording
        .values()
        .removeIf(s -> s.openedAt.isBefore(limit) && !calls.containsKey(s.id));
    var alive = new HashSet<>(calls.keySet());
    alive.addAll(awaitingRecording.keySet());
    if (!alive.isEmpty()) {
      journal.heartbeat(alive, clock.instant());
    }
    return released;
  }

  /** Live calls (health, leak checks). */
  public int openCalls() {
    return calls.size();
  }

  @Override
  public void close() {
    for (RecordedCallSession session : new ArrayList<>(calls.values())) {
      release(session, "shutdown");
    }
  }

  private RecordedCallSession owned(String userId, String id) throws RecordedCallRefusedException {
    RecordedCallSession session = id == null ? null : calls.get(id);
    if (session == null || !session.userId.equals(userId)) {
      throw new RecordedCallRefusedException(404, "No such recorded call of yours.");
    }
    session.touch(clock.instant());
    return session;
  }

  private void release(RecordedCallSession session, String reason) {
    if (calls.remove(session.id, session)) {
      session.call.close();
      audit.append(
          session.userId,
          "recording.call.closed",
          "recorded-call:" + session.id,
          "reason=" + reason);
    }
  }

  /**
   * A recording that could not be made or went on (no media reached the media server, the
   * conversion failed, the recorder broke) is never a log line: it is audited and the fail mode
   * applies. While the call is live, under {@code block} it is released (the media server hangs up
   * both legs, so the page's connection fails: never an unrecorded call), audited {@code
   * recording.failed}; under {@code allow-unrecorded} it goes on unrecorded, audited {@code
   * recording.interrupted}. After the call, {@code recording.failed}. Each entry names the origin,
   * decision, reason, fail mode and what happened to the call.
   */
  private void recordingFailed(
      String id, RecordedCallSession facts, RecordedCallSession live, String reason) {
    RecordingFailMode mode = config.failMode();
    boolean goesOn = live != null && mode == RecordingFailMode.ALLOW_UNRECORDED;
    String action = goesOn ? "recording.interrupted" : "recording.failed";
    String outcome = live == null ? "call-over" : goesOn ? "call-goes-on-unrecorded" : "call-ended";
    LOG.log(
        Level.WARNING,
        "recorded call {0}: recording failed: {1} (audited; fail mode {2}: {3})",
        new Object[] {id, reason, failMode(), outcome});
    audit.append(
        facts != null ? facts.userId : "system",
        action,
        "recorded-call:" + id,
        facts(facts)
            + "reason="
            + oneLine(reason)
            + " failMode="
            + failMode()
            + " callLive="
            + (live != null)
            + " call="
            + outcome);
    journal.problem(id, action + ": " + oneLine(reason) + " (" + outcome + ")");
    if (live != null && mode == RecordingFailMode.BLOCK) {
      release(live, RecordedCallStopped.RECORDING_FAILED);
      stopped(live, RecordedCallStopped.RECORDING_FAILED);
    }
  }

  /**
   * The media server was lost (or restarted) while the call was live: both legs ended with it and
   * what was recorded until then is all there is. Audited {@code recording.interrupted}.
   */
  private void mediaServerGone(String id, RecordedCallSession live, String reason) {
    audit.append(
        live.userId,
        "recording.interrupted",
        "recorded-call:" + id,
        facts(live) + "reason=media-server:" + oneLine(reason) + " call=call-ended");
    journal.problem(id, "recording.interrupted: media-server:" + oneLine(reason) + " (call-ended)");
  }

  /**
   * Tells the page's side, once, that its live call was stopped (a failure changes nothing else).
   */
  private void stopped(RecordedCallSession session, String reason) {
    if (session.stopAnnounced.getAndSet(true)) {
      return;
    }
    try {
      stops.stopped(new RecordedCallStopped(session.userId, session.id, oneLine(reason)));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "recorded call " + session.id + ": the stop was not announced", e);
    }
  }

  private String failMode() {
    return config.failMode() == RecordingFailMode.BLOCK ? "block" : "allow-unrecorded";
  }

  private static String facts(RecordedCallSession facts) {
    return facts == null ? "" : "origin=" + facts.origin + " decision=" + facts.decisionId + " ";
  }

  /**
   * A leg that fails before any of its media reached the media server is a failed media path (ICE
   * or DTLS never completed: e.g. the relay cannot reach the media server's address), not a
   * hang-up: audited ({@code recording.leg.failed}) so the trail says why the recording lacks that
   * party or does not exist (a later {@code recording.failed} applies the fail mode). A leg that
   * carried media and then ends is an ordinary hang-up and is not audited here.
   */
  private void legFailed(String id, RecordedCallSession facts, MediaEvent.LegFailed failed) {
    if (facts == null || facts.media.flowed(failed.leg())) {
      return;
    }
    audit.append(
        facts.userId,
        "recording.leg.failed",
        "recorded-call:" + id,
        "origin="
            + facts.origin
            + " decision="
            + facts.decisionId
            + " leg="
            + failed.leg().name().toLowerCase(Locale.ROOT).replace('_', '-')
            + " mediaFlowed=false reason="
            + oneLine(failed.reason()));
  }

  /** {@code text} on one line, bounded (it comes from the media server). */
  private static String oneLine(String text) {
    String flat = text == null ? "unknown" : text.replaceAll("\\s+", " ").strip();
    return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
  }

  private void onEvent(String id, MediaEvent event) {
    try {
      handle(id, event);
    } catch (RuntimeException e) {
      // The session's row stays open: its heartbeat stops and the reconciliation settles it.
      LOG.log(
          Level.SEVERE,
          "recorded call " + id + ": event " + event.getClass().getSimpleName() + " not handled",
          e);
    }
  }

  private void handle(String id, MediaEvent event) {
    RecordedCallSession live = calls.get(id);
    RecordedCallSession session = awaitingRecording.get(id);
    RecordedCallSession facts = session != null ? session : live;
    Instant now = clock.instant();
    if (event instanceof MediaEvent.RecordingStopped stopped) {
      if (facts == null) {
        LOG.log(Level.WARNING, "recording of {0} finished after the call was forgotten", id);
        return;
      }
      facts.unfiled = true; // until the journal has it: a failure here leaves it to reconciling
      journal.recordingFinished(
          new FinishedRecording(
              id,
              facts.userId,
              facts.username,
              facts.displayName,
              facts.connectionId,
              facts.origin,
              facts.decisionId,
              stopped,
              facts.media.within(Leg.ENTERPRISE, stopped.startedAt(), stopped.stoppedAt()),
              facts.media.within(Leg.FAR_END, stopped.startedAt(), stopped.stoppedAt()),
              false));
      facts.unfiled = false;
    } else if (event instanceof MediaEvent.RecordingFailed failed) {
      recordingFailed(id, facts, live, failed.reason());
    } else if (event instanceof MediaEvent.MediaFlowing flowing) {
      if (facts != null) {
        facts.media.flowing(flowing.leg(), now);
      }
    } else if (event instanceof MediaEvent.LegFailed failed) {
      LOG.log(
          Level.INFO,
          "recorded call {0}: {1} leg failed: {2}",
          new Object[] {id, failed.leg(), failed.reason()});
      legFailed(id, facts, failed);
      if (facts != null) {
        facts.media.ended(failed.leg(), now);
      }
      // Both legs gone while live (the media server lost its session): the page is told now, not
      // once the media server has finished the recording and released the call.
      if (live != null
          && live.failedLegs.add(failed.leg())
          && live.failedLegs.size() == Leg.values().length) {
        stopped(live, MEDIA_PATH_LOST);
      }
    } else if (event instanceof MediaEvent.CallReleased released) {
      awaitingRecording.remove(id);
      if (live != null && calls.remove(id, live)) {
        audit.append(
            live.userId,
            "recording.call.closed",
            "recorded-call:" + id,
            "reason=media-server:" + released.reason());
        if (isMediaServerGone(released.reason())) {
          mediaServerGone(id, live, released.reason());
        }
        // Released by the media server while live (ours are removed before they close).
        stopped(live, released.reason());
      } else if (live == null && facts != null && isMediaServerGone(released.reason())) {
        // Closed by the page or the server, but the media server had already lost the call (the
        // close only found that out): what was recorded ends where the media server went away.
        mediaServerGone(id, facts, released.reason());
      }
      if (facts != null && !facts.unfiled) {
        journal.callEnded(
            id,
            now,
            facts.media.within(Leg.ENTERPRISE, facts.openedAt, now),
            facts.media.within(Leg.FAR_END, facts.openedAt, now));
      }
    }
    // Candidates are not needed here: the media server's SDPs carry its candidates.
  }

  private static boolean isMediaServerGone(String reason) {
    return ReleaseReason.MEDIA_SERVER_LOST.wire().equals(reason)
        || ReleaseReason.MEDIA_SERVER_RESTARTED.wire().equals(reason);
  }
}
