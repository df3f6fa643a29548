package com.vclick.core.calls;

import com.vclick.core.audit.AuditTrail;
import com.vclick.core.calls.CallBook.Invitee;
import com.vclick.core.calls.CallMessage.AddEnded;
import com.vclick.core.calls.CallMessage.Answered;
import com.vclick.core.calls.CallMessage.ConferenceCandidate;
import com.vclick.core.calls.CallMessage.ConferenceJoin;
import com.vclick.core.calls.CallMessage.ConferenceOffer;
import com.vclick.core.calls.CallMessage.ConferencePublished;
import com.vclick.core.calls.CallMessage.ConferenceSessionClosed;
import com.vclick.core.calls.CallMessage.Ended;
import com.vclick.core.calls.CallMessage.Incoming;
import com.vclick.core.calls.CallMessage.Merged;
import com.vclick.core.calls.CallMessage.Parties;
import com.vclick.core.calls.CallMessage.PartyView;
import com.vclick.core.calls.CallMessage.Ringing;
import com.vclick.core.calls.CallMessage.SourceView;
import com.vclick.core.directory.Directory;
import com.vclick.core.media.MediaServerHolder;
import com.vclick.core.presence.Presence;
import com.vclick.core.presence.PresenceBook;
import com.vclick.media.api.Conference;
import com.vclick.media.api.ConferenceEvent;
import com.vclick.media.api.ConferenceRequest;
import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.MediaServerException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The rules of a call with any number of parties, in one place: drives the {@link CallBook}, keeps
 * the {@link CallLog}, opens and feeds the media server's {@link Conference} once a third party
 * joins, and tells the parties through {@link CallNotice}s (the transport delivers them). Callers
 * pass who sends (user and connection); a refused step throws {@link CallRefusedException} and
 * changes nothing.
 */
@ApplicationScoped
public class CallService {

  private static final Logger LOG = Logger.getLogger(CallService.class.getName());

  /** The invitee's other connections, after one of them answered. */
  public static final String ANSWERED_ELSEWHERE = "answered-elsewhere";

  @Inject CallBook book;
  @Inject CallLog log;
  @Inject Directory directory;
  @Inject PresenceBook presence;
  @Inject MediaServerHolder media;
  @Inject Event<CallNotice> events;
  @Inject Clock clock;
  @Inject ConferenceRecordingPolicy recordingPolicy;
  @Inject AuditTrail auditTrail;
  @Inject ConferenceRecordings conferenceRecordings;

  private Function<String, Optional<Party>> people;
  private Consumer<CallNotice> out;
  private ConferenceRooms rooms;
  private ConferencePolicy policy;
  private Audit audit;
  private ConferenceRecorder recorder;

  /**
   * The calls whose conference is recorded, each as last known: kept after the call ended until the
   * media server released the room ({@code ConferenceReleased}, its last event), since the
   * recording stops as the room closes.
   */
  private final Map<String, Call> recordedRooms = new ConcurrentHashMap<>();

  /** The audit action when a conference that must be recorded cannot be: the call stays. */
  public static final String CONFERENCE_RECORDING_REFUSED = "conference.recording.refused";

  /**
   * Whether a conference is recorded: Secure Edge's recording decision of its parties (a conference
   * is recorded when the decision for any participant says {@code record}).
   */
  @FunctionalInterface
  public interface ConferencePolicy {
    /** Of these users, those whose decision says {@code record} (empty: none). */
    Set<String> recordedFor(Collection<String> userIds);
  }

  /** The audit action when a conference's recording failed or could not be stored. */
  public static final String RECORDING_FAILED = "recording.failed";

  /** The audit action when the media server released a recorded conference on its own. */
  public static final String RECORDING_INTERRUPTED = "recording.interrupted";

  /** Where a recorded conference's recording goes: the write-once recordings store. */
  public interface ConferenceRecorder {
    /** Whether a recording can be stored now (otherwise a conference to be recorded is refused). */
    boolean available();

    /**
     * Stores a finished recording of the call's conference, with everyone who took part, linked to
     * the call (its id).
     *
     * @throws RuntimeException the store failed (nothing was stored)
     */
    void store(Call call, ConferenceEvent.RecordingStopped recording);

    /**
     * Whether a failed recording ends the conference ({@code vclick.recording.fail-mode=block}).
     */
    boolean blocksOnFailure();
  }

  /** Appends to the audit trail ({@code AuditTrail::append}). */
  @FunctionalInterface
  public interface Audit {
    void append(String actor, String action, String target, String detail);
  }

  CallService() {}

  /** For tests: every collaborator given. */
  CallService(
      CallBook book,
      CallLog log,
      Function<String, Optional<Party>> people,
      PresenceBook presence,
      ConferenceRooms.Opener opener,
      ConferencePolicy policy,
      Audit audit,
      ConferenceRecorder recorder,
      Consumer<CallNotice> out,
      Clock clock) {
    this.book = book;
    this.log = log;
    this.people = people;
    this.presence = presence;
    this.rooms = new ConferenceRooms(opener);
    this.policy = policy;
    this.audit = audit;
    this.recorder = recorder;
    this.out = out;
    this.clock = clock;
  }

  @PostConstruct
  void wire() {
    people = to -> directory.find(to).map(e -> new Party(e.id(), e.displayName()));
    out = events::fire;
    rooms =
        new ConferenceRooms(
            (request, listener) -> media.server().createConference(request, listener));
    policy = recordingPolicy;
    audit = auditTrail::append;
    recorder = conferenceRecordings;
  }

  /** Every conference is released when the server stops. */
  @PreDestroy
  void closeRooms() {
    rooms.closeAll();
  }

  // ---- two parties and more: the call's life ----

  /**
   * {@code me} on {@code connection} calls the people in {@code to} (ids, usernames or emails).
   *
   * @throws CallRefusedException {@code unknown-user} for a name the directory does not know, and
   *     the refusals of {@link CallBook#invite(Party, String, List, String, CallMedia, Instant)}
   */
  public void invite(Party me, String connection, List<String> to, String ref, CallMedia media) {
    List<Invitee> invitees = new ArrayList<>();
    for (String name : to) {
      Party person = resolve(name);
      invitees.add(new Invitee(person, isOnline(person.userId())));
    }
    InviteOutcome outcome = book.invite(me, connection, invitees, ref, media, clock.instant());
    Call call = outcome.call();
    record(call);
    if (outcome instanceof InviteOutcome.Ringing) {
      CallParty first = call.ringing().get(0);
      send(
          connection,
          new Ringing(call.id(), ref, first.userId(), first.party().name(), media.wireName()));
      for (CallParty party : call.parties()) {
        if (party.isRinging()) {
          toUser(party.userId(), incoming(call, me));
        } else if (party.state() == PartyState.LEFT) {
          send(connection, new AddEnded(call.id(), ref, party.userId(), party.reason().wireName()));
        }
      }
      if (call.grown()) {
        send(connection, partiesOf(call));
      }
    } else if (outcome instanceof InviteOutcome.Merged) {
      send(
          connection,
          new Merged(
              ref, call.id(), call.caller().userId(), call.caller().name(), media.wireName()));
      answered(call, call.callee().userId(), connection, true);
    } else {
      send(connection, new Ended(call.id(), call.endReason().wireName(), ref));
    }
  }

  /**
   * A joined party of an active call invites one more person.
   *
   * @throws CallRefusedException see {@link CallBook#add}
   */
  public void add(Party me, String connection, String callId, String to, String ref) {
    Party person = resolve(to);
    AddOutcome outcome =
        book.add(
            callId,
            me.userId(),
            connection,
            new Invitee(person, isOnline(person.userId())),
            ref,
            clock.instant());
    Call call = outcome.call();
    if (outcome instanceof AddOutcome.Ringing) {
      record(call);
      toUser(person.userId(), incoming(call, me));
      toJoined(call, partiesOf(call));
    } else {
      inviteEnded(call, outcome.invitee());
    }
  }

  /** A joined party gives up a ringing invite. */
  public void cancelAdd(String userId, String callId, String inviteeId) {
    changed(book.cancelInvite(callId, userId, inviteeId, clock.instant()));
  }

  /** An invitee answers on {@code connection}. */
  public void answer(String userId, String connection, String callId) {
    Instant now = clock.instant();
    Call call = book.answer(callId, userId, connection, now);
    boolean firstAnswer = userId.equals(call.firstAnswerer()) && now.equals(call.answeredAt());
    answered(call, userId, connection, firstAnswer);
  }

  public void decline(String userId, String callId) {
    changed(book.declineChange(callId, userId, clock.instant()));
  }

  public void cancel(String userId, String callId) {
    ended(book.cancel(callId, userId, clock.instant()));
  }

  /** Hang up: in a call of more than two, leave it (the others go on). */
  public void hangup(String userId, String callId) {
    changed(book.leave(callId, userId, EndReason.HANGUP, clock.instant()));
  }

  /** After a reconnect: {@code connection} takes over the user's place in the call. */
  public void resume(String userId, String connection, String callId) {
    book.resume(callId, userId, connection, clock.instant());
  }

  public void mediaPath(String userId, String connection, String callId, MediaPath path) {
    record(book.mediaPath(callId, userId, connection, path));
  }

  /**
   * Where a two-party SDP or candidate of {@code connection} goes.
   *
   * @throws CallRefusedException {@code not-in-call}; {@code peer-away} while the peer reconnects
   */
  public String relayTarget(String userId, String connection, String callId) {
    return book.relayTarget(callId, userId, connection)
        .orElseThrow(
            () ->
                new CallRefusedException(
                    CallRefusedException.PEER_AWAY,
                    "The other party is reconnecting; send again shortly."));
  }

  /** The calls of a user that are not over (one at most), for the welcome after (re)connecting. */
  public Optional<Call> callOf(String userId) {
    return book.callOf(userId);
  }

  /** A user (re)connected: busy again if joined in an active call. */
  public void reconnected(String userId) {
    if (book.callOf(userId)
        .filter(c -> c.state() == CallState.ACTIVE && c.isJoined(userId))
        .isPresent()) {
      out.accept(new CallNotice.Busy(userId, true));
    }
  }

  public void connectionClosed(String connectionId) {
    book.connectionClosed(connectionId, clock.instant()).forEach(this::ended);
  }

  /** Ends what timed out; called by the transport's ticker once a second. */
  public void sweep(Instant now) {
    book.sweepChanges(now).forEach(this::changed);
  }

  // ---- the conference ----

  /**
   * A joined party's publish offer (first or again); the media server's answer goes back.
   *
   * @throws CallRefusedException {@code not-in-call} unless sent on the party's bound connection of
   *     a call that is a conference; {@code media-unavailable} when the media server failed
   */
  public void publish(String userId, String connection, String callId, String sdp) {
    Conference room = roomOf(userId, connection, callId);
    String answer;
    try {
      answer =
          room.participants().contains(userId)
              ? room.republish(userId, sdp)
              : room.join(userId, sdp);
    } catch (MediaServerException | IllegalStateException e) {
      throw mediaRefused(callId, e);
    }
    send(connection, new ConferencePublished(callId, answer));
  }

  /** A joined party's answer to a receive session's offer. */
  public void conferenceAnswer(
      String userId, String connection, String callId, String sessionId, String sdp) {
    Conference room = roomOf(userId, connection, callId);
    try {
      room.answer(userId, sessionId, sdp);
    } catch (MediaServerException | IllegalStateException e) {
      throw mediaRefused(callId, e);
    }
  }

  /** A joined party's candidate for one of its conference sessions. */
  public void conferenceCandidate(
      String userId, String connection, String callId, String sessionId, IceCandidate candidate) {
    Conference room = roomOf(userId, connection, callId);
    try {
      room.addCandidate(userId, sessionId, candidate);
    } catch (MediaServerException | IllegalStateException e) {
      throw mediaRefused(callId, e);
    }
  }

  /** What the media server tells about a call's conference (on an adapter thread). */
  void onConferenceEvent(ConferenceEvent event) {
    String callId = event.conferenceId();
    try {
      if (event instanceof ConferenceEvent.ReceiveOffer offer) {
        List<SourceView> sources =
            offer.sources().stream()
                .map(s -> new SourceView(s.mid(), s.publisherId(), s.kind()))
                .toList();
        toBound(
            callId,
            offer.participantId(),
            new ConferenceOffer(callId, offer.sessionId(), offer.sdp(), sources));
      } else if (event instanceof ConferenceEvent.LocalCandidate local) {
        IceCandidate c = local.candidate();
        toBound(
            callId,
            local.participantId(),
            new ConferenceCandidate(
                callId, local.sessionId(), c.candidate(), c.sdpMid(), c.sdpMLineIndex()));
      } else if (event instanceof ConferenceEvent.SessionClosed closed) {
        toBound(
            callId,
            closed.participantId(),
            new ConferenceSessionClosed(callId, closed.sessionId()));
      } else if (event instanceof ConferenceEvent.ParticipantFailed failed) {
        LOG.log(
            Level.INFO,
            "Conference {0}: a participant failed on the media server ({1})",
            new Object[] {callId, failed.reason()});
        book.failed(callId, failed.participantId(), clock.instant()).ifPresent(this::changed);
      } else if (event instanceof ConferenceEvent.RecordingStopped stopped) {
        recordingStopped(callId, stopped);
      } else if (event instanceof ConferenceEvent.RecordingFailed failed) {
        recordingFailed(callId, "the media server's recording failed: " + failed.reason());
      } else if (event instanceof ConferenceEvent.ConferenceReleased released) {
        released(callId, released.reason());
      }
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Conference event of call " + callId + " failed", e);
    }
  }

  /** How many conferences are open on the media server (health, leak checks). */
  public int openConferences() {
    return rooms.size();
  }

  private void released(String callId, String reason) {
    boolean recorded = recordedRooms.remove(callId) != null;
    Optional<Call> call = book.find(callId).filter(Call::conference);
    if (call.isEmpty() || rooms.of(callId).isEmpty()) {
      return; // we closed it: the call is over
    }
    LOG.log(
        Level.WARNING,
        "The media server released the conference of call {0} on its own ({1}); the call ends",
        new Object[] {callId, reason});
    if (recorded) {
      audit(
          "system",
          RECORDING_INTERRUPTED,
          callId,
          "the media server released the recorded conference on its own (" + reason + ")");
    }
    List<Call> ended = new ArrayList<>();
    for (CallParty party : call.get().joined()) {
      book.failed(callId, party.userId(), clock.instant())
          .filter(CallChange.Ended.class::isInstance)
          .ifPresent(change -> ended.add(change.call()));
    }
    ended.forEach(this::ended);
  }

  private void closeRoom(String callId) {
    rooms.close(callId);
  }

  /** Ends a conference for every joined party, each told. */
  private void endConference(String callId) {
    Optional<Call> call = book.find(callId);
    if (call.isEmpty()) {
      return;
    }
    for (CallParty party : call.get().joined()) {
      book.failed(callId, party.userId(), clock.instant()).ifPresent(this::changed);
    }
  }

  private Conference roomOf(String userId, String connection, String callId) {
    Call call = book.requireBound(callId, userId, connection);
    if (!call.conference()) {
      throw CallRefusedException.notInCall();
    }
    return rooms.of(callId).orElseThrow(CallRefusedException::notInCall);
  }

  private CallRefusedException mediaRefused(String callId, Exception e) {
    LOG.log(Level.WARNING, "Conference of call {0}: {1}", new Object[] {callId, e.getMessage()});
    return new CallRefusedException(
        CallRefusedException.MEDIA_UNAVAILABLE, "The media server could not do this; try again.");
  }

  /**
   * Someone answered: the caller makes the two-party offer (first answer), the parties learn who is
   * in, and a third joined party takes the call onto the media server.
   */
  private void answered(Call call, String userId, String connection, boolean firstAnswer) {
    record(call);
    toOtherConnections(userId, connection, new Ended(call.id(), ANSWERED_ELSEWHERE, null));
    if (firstAnswer) {
      send(call.callerConnection(), new Answered(call.id()));
      out.accept(new CallNotice.Busy(call.caller().userId(), true));
    }
    out.accept(new CallNotice.Busy(userId, true));
    if (call.grown()) {
      toJoined(call, partiesOf(call));
    }
    if (call.joined().size() > 2) {
      toConference(call, userId);
    }
  }

  /** Opens the call's room if it has none and tells who is to publish into it. */
  private void toConference(Call call, String joiner) {
    Optional<Boolean> recorded = recordingOf(call, joiner);
    if (recorded.isEmpty()) {
      return;
    }
    ConferenceRooms.Opened opened;
    try {
      opened =
          rooms.open(
              new ConferenceRequest(call.id(), recorded.get(), book.maxParties()),
              this::onConferenceEvent);
    } catch (MediaServerException e) {
      LOG.log(
          Level.WARNING,
          "Call {0} cannot grow: the media server could not open a conference ({1})",
          new Object[] {call.id(), e.getMessage()});
      book.mediaUnavailable(call.id(), joiner, clock.instant()).ifPresent(this::changed);
      return;
    }
    if (opened.now() && recorded.get()) {
      recordedRooms.put(call.id(), call);
    }
    Call now = book.escalated(call.id()).orElse(null);
    if (now == null) {
      closeRoom(call.id()); // the call ended meanwhile
      return;
    }
    ConferenceJoin join = new ConferenceJoin(now.id(), views(now.joined()));
    if (opened.now()) {
      now.joined().forEach(p -> send(p.connection(), join));
    } else {
      now.partyOf(joiner).ifPresent(p -> send(p.connection(), join));
    }
  }

  /**
   * Never a silent unrecorded conference: whether the call's room is to be recorded, decided for
   * everyone joined when the room opens and for the joiner of a room already open. When a decision
   * says {@code record} (or none can be had) and the recording cannot be stored, or the open room
   * is not recorded, the joiner is not taken in ({@link EndReason#RECORDING_UNAVAILABLE}), audited,
   * and the call goes on as it was: empty then.
   */
  private Optional<Boolean> recordingOf(Call call, String joiner) {
    boolean open = rooms.of(call.id()).isPresent();
    List<String> deciding =
        open ? List.of(joiner) : call.joined().stream().map(CallParty::userId).toList();
    Set<String> recorded;
    try {
      recorded = policy.recordedFor(deciding);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Recording decision for call " + call.id() + " failed", e);
      recorded = Set.copyOf(deciding); // fail closed
    }
    if (open) {
      return recorded.isEmpty() || recordedRooms.containsKey(call.id())
          ? Optional.of(false)
          : refuseRecording(call, joiner, recorded, "the conference is not recorded");
    }
    if (recorded.isEmpty()) {
      return Optional.of(false);
    }
    boolean available;
    try {
      available = recorder.available();
    } catch (RuntimeException e) {
      available = false;
    }
    return available
        ? Optional.of(true)
        : refuseRecording(call, joiner, recorded, "the recordings store is unavailable");
  }

  private Optional<Boolean> refuseRecording(
      Call call, String joiner, Set<String> recorded, String why) {
    LOG.log(
        Level.WARNING,
        "Call {0}: {1} not taken in: the decision of {2} says record and {3}",
        new Object[] {call.id(), joiner, recorded, why});
    audit(
        joiner,
        CONFERENCE_RECORDING_REFUSED,
        call.id(),
        "the recording decision of "
            + String.join(", ", new TreeSet<>(recorded))
            + " says record and "
            + why
            + ": "
            + joiner
            + " was not taken in, the call went on as it was");
    book.notTakenIn(call.id(), joiner, EndReason.RECORDING_UNAVAILABLE, clock.instant())
        .ifPresent(this::changed);
    return Optional.empty();
  }

  /** A recorded conference's recording stopped: into the store, or an audited failure. */
  private void recordingStopped(String callId, ConferenceEvent.RecordingStopped stopped) {
    Optional<Call> call =
        book.find(callId).or(() -> Optional.ofNullable(recordedRooms.get(callId)));
    if (call.isEmpty()) {
      LOG.log(Level.SEVERE, "Conference recording of unknown call {0}: not stored", callId);
      audit("system", RECORDING_FAILED, callId, "a recording of a call this server does not know");
      return;
    }
    try {
      recorder.store(call.get(), stopped);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Conference recording of call " + callId + " could not be stored", e);
      recordingFailed(callId, "the recording could not be stored: " + e.getMessage());
    }
  }

  /**
   * The conference's recording failed: audited; under {@code block} the conference ends for
   * everyone, under {@code allow-unrecorded} it goes on (audited as such).
   */
  private void recordingFailed(String callId, String reason) {
    boolean block = recorder.blocksOnFailure();
    LOG.log(
        Level.WARNING,
        "Conference recording of call {0} failed ({1}); {2}",
        new Object[] {
          callId, reason, block ? "the conference ends (block)" : "it goes on (allow-unrecorded)"
        });
    audit(
        "system",
        RECORDING_FAILED,
        callId,
        reason
            + (block
                ? "; the conference was ended (fail mode block)"
                : "; the conference went on unrecorded (fail mode allow-unrecorded)"));
    if (block && rooms.of(callId).isPresent()) {
      endConference(callId);
    }
  }

  private void audit(String actor, String action, String target, String detail) {
    try {
      audit.append(actor, action, target, detail);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Audit of " + action + " for call " + target + " failed", e);
    }
  }

  /** Tells the parties what a change did. */
  private void changed(CallChange change) {
    if (change instanceof CallChange.Ended ended) {
      ended(ended.call());
    } else if (change instanceof CallChange.InviteEnded invite) {
      record(invite.call());
      inviteEnded(invite.call(), invite.invitee());
    } else if (change instanceof CallChange.Left left) {
      record(left.call());
      CallParty party = left.party();
      rooms.of(left.call().id()).ifPresent(room -> room.leave(party.userId()));
      toUser(party.userId(), new Ended(left.call().id(), party.reason().wireName(), null));
      out.accept(new CallNotice.Busy(party.userId(), false));
      toJoined(left.call(), partiesOf(left.call()));
    }
  }

  private void inviteEnded(Call call, CallParty invitee) {
    String reason = invitee.reason().wireName();
    if (invitee.reason() != EndReason.BUSY && invitee.reason() != EndReason.OFFLINE) {
      toUser(invitee.userId(), new Ended(call.id(), reason, null));
    }
    if (invitee.joinedAt() != null) {
      out.accept(new CallNotice.Busy(invitee.userId(), false));
    }
    for (CallParty party : call.joined()) {
      boolean inviter = party.userId().equals(invitee.invitedBy());
      toUser(
          party.userId(),
          new AddEnded(call.id(), inviter ? invitee.ref() : null, invitee.userId(), reason));
    }
    if (call.grown()) {
      toJoined(call, partiesOf(call));
    }
  }

  private void ended(Call call) {
    record(call);
    recordedRooms.computeIfPresent(call.id(), (id, before) -> call);
    closeRoom(call.id());
    Ended message = new Ended(call.id(), call.endReason().wireName(), null);
    for (CallParty party : call.current()) {
      toUser(party.userId(), message);
      if (call.answeredAt() != null && party.isJoined()) {
        out.accept(new CallNotice.Busy(party.userId(), false));
      }
    }
  }

  private Incoming incoming(Call call, Party inviter) {
    return new Incoming(
        call.id(),
        inviter.userId(),
        inviter.name(),
        call.media().wireName(),
        call.grown() ? views(call.joined()) : null);
  }

  private static Parties partiesOf(Call call) {
    return new Parties(
        call.id(),
        views(call.parties().stream().filter(p -> p.isIn() || p.joinedAt() != null).toList()));
  }

  private static List<PartyView> views(List<CallParty> parties) {
    return parties.stream()
        .map(p -> new PartyView(p.userId(), p.party().name(), p.state().wireName()))
        .toList();
  }

  private Party resolve(String name) {
    return people
        .apply(name)
        .orElseThrow(
            () ->
                new CallRefusedException(
                    CallRefusedException.UNKNOWN_USER, "Nobody with that name or email."));
  }

  private boolean isOnline(String userId) {
    return presence.presenceOf(userId) != Presence.OFFLINE;
  }

  private void toBound(String callId, String userId, CallMessage message) {
    book.find(callId)
        .flatMap(call -> call.partyOf(userId))
        .map(CallParty::connection)
        .ifPresent(connection -> send(connection, message));
  }

  private void toJoined(Call call, CallMessage message) {
    call.joined().forEach(p -> toUser(p.userId(), message));
  }

  private void toUser(String userId, CallMessage message) {
    out.accept(new CallNotice.ToUser(userId, message));
  }

  private void toOtherConnections(String userId, String except, CallMessage message) {
    out.accept(new CallNotice.ToOtherConnections(userId, except, message));
  }

  private void send(String connection, CallMessage message) {
    if (connection != null) {
      out.accept(new CallNotice.ToConnection(connection, message));
    }
  }

  /** Writes the call log; a database failure is logged and the call goes on. */
  private void record(Call call) {
    try {
      log.record(call);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Call log write failed for call " + call.id(), e);
    }
  }
}
