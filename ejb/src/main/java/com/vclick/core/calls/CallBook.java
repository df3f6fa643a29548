package com.vclick.core.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The calls that are not over, and the state machine that moves them and their parties (documented
 * in web/SIGNALING.md). Thread-safe; pure logic: every method returns what it changed so the caller
 * can tell the parties and write the call log. Ended calls are forgotten at once.
 *
 * <p>A call rings at one or more invitees; the first answer makes it active. Any joined party of an
 * active call may invite more people, up to {@code maxParties} ringing or joined at once. An invite
 * that ends without an answer (declined, busy, offline, cancelled, no answer) ends only that invite
 * unless it was the last hope of a call that never became active. A joined party may leave; the
 * call ends when one party is left.
 */
public final class CallBook {

  /** The default of {@code vclick.calls.max-parties}. */
  public static final int DEFAULT_MAX_PARTIES = 6;

  private final Map<String, Call> calls = new HashMap<>();
  private final Supplier<String> ids;
  private final Duration ringTimeout;
  private final Duration reconnectGrace;
  private final int maxParties;

  public CallBook(Duration ringTimeout, Duration reconnectGrace, int maxParties) {
    this(() -> UUID.randomUUID().toString(), ringTimeout, reconnectGrace, maxParties);
  }

  public CallBook(Duration ringTimeout, Duration reconnectGrace) {
    this(ringTimeout, reconnectGrace, DEFAULT_MAX_PARTIES);
  }

  CallBook(Supplier<String> ids, Duration ringTimeout, Duration reconnectGrace) {
    this(ids, ringTimeout, reconnectGrace, DEFAULT_MAX_PARTIES);
  }

  CallBook(Supplier<String> ids, Duration ringTimeout, Duration reconnectGrace, int maxParties) {
    this.ids = Objects.requireNonNull(ids, "ids");
    this.ringTimeout = Objects.requireNonNull(ringTimeout, "ringTimeout");
    this.reconnectGrace = Objects.requireNonNull(reconnectGrace, "reconnectGrace");
    if (maxParties < 2) {
      throw new IllegalArgumentException("a call needs room for 2 or more parties");
    }
    this.maxParties = maxParties;
  }

  /** How many parties may ring or be joined in one call at once. */
  public int maxParties() {
    return maxParties;
  }

  /**
   * Someone calls someone.
   *
   * @param calleeReachable whether the callee has at least one connection
   * @throws CallRefusedException {@code invalid} for a call to oneself, {@code in-call} when the
   *     caller is already in a call
   */
  public synchronized InviteOutcome invite(
      Party caller,
      String callerConnection,
      Party callee,
      CallMedia media,
      boolean calleeReachable,
      Instant now) {
    return invite(
        caller, callerConnection, List.of(new Invitee(callee, calleeReachable)), null, media, now);
  }

  /** Someone to invite, and whether they have at least one connection. */
  public record Invitee(Party party, boolean reachable) {}

  /**
   * Someone calls one or more people at once. Invitees who are busy or offline do not ring (their
   * entries are {@link PartyState#LEFT} with the reason); when none rings the call ends at once
   * with the first one's reason.
   *
   * @param ref the inviter's correlation id, kept on the invitees' entries
   * @throws CallRefusedException {@code invalid} for a call to oneself, to nobody or to someone
   *     twice; {@code in-call} when the caller is already in a call; {@code call-full} beyond the
   *     limit
   */
  public synchronized InviteOutcome invite(
      Party caller,
      String callerConnection,
      List<Invitee> callees,
      String ref,
      CallMedia media,
      Instant now) {
    if (callees.isEmpty()) {
      throw new CallRefusedException(CallRefusedException.INVALID, "Call at least one person.");
    }
    if (callees.stream().anyMatch(c -> c.party().userId().equals(caller.userId()))) {
      throw new CallRefusedException(CallRefusedException.INVALID, "You cannot call yourself.");
    }
    if (callees.stream().map(c -> c.party().userId()).distinct().count() < callees.size()) {
      throw new CallRefusedException(CallRefusedException.INVALID, "Each person once, please.");
    }
    if (callees.size() == 1) {
      Party callee = callees.get(0).party();
      Optional<Call> crossing =
          callOf(caller.userId())
              .filter(
                  c ->
                      c.state() == CallState.RINGING
                          && c.caller().equals(callee)
                          && c.parties().size() == 2);
      if (crossing.isPresent()) {
        return new InviteOutcome.Merged(
            store(crossing.get().answered(caller.userId(), callerConnection, now)));
      }
    }
    if (callOf(caller.userId()).isPresent()) {
      throw new CallRefusedException(
          CallRefusedException.IN_CALL, "Finish your current call first.");
    }
    if (callees.size() + 1 > maxParties) {
      throw full();
    }
    Call call =
        Call.ringing(
            ids.get(),
            caller,
            callerConnection,
            callees.stream().map(Invitee::party).toList(),
            ref,
            media,
            now);
    EndReason firstRefusal = null;
    for (Invitee callee : callees) {
      EndReason refusal = refusal(callee);
      if (refusal != null) {
        call = call.withParty(callee.party().userId(), p -> p.left(refusal, now));
        firstRefusal = firstRefusal == null ? refusal : firstRefusal;
      }
    }
    if (call.ringing().isEmpty()) {
      return new InviteOutcome.EndedAtOnce(call.ended(firstRefusal, now));
    }
    return new InviteOutcome.Ringing(store(call));
  }

  private EndReason refusal(Invitee invitee) {
    if (callOf(invitee.party().userId()).isPresent()) {
      return EndReason.BUSY;
    }
    return invitee.reachable() ? null : EndReason.OFFLINE;
  }

  /**
   * A joined party of an active call invites one more person.
   *
   * @throws CallRefusedException {@code not-in-call} unless {@code connection} is the one bound to
   *     a joined party; {@code wrong-state} unless the call is active; {@code invalid} for someone
   *     already in the call; {@code call-full} beyond the limit
   */
  public synchronized AddOutcome add(
      String callId, String userId, String connection, Invitee invitee, String ref, Instant now) {
    Call call = partyCall(callId, userId);
    if (!call.isJoined(userId)
        || !call.connectionOf(userId).filter(connection::equals).isPresent()) {
      throw CallRefusedException.notInCall();
    }
    requireState(call, CallState.ACTIVE, "People can be added to an answered call only.");
    String inviteeId = invitee.party().userId();
    if (call.isParty(inviteeId)) {
      throw new CallRefusedException(
          CallRefusedException.INVALID, "That person is in the call already.");
    }
    if (call.current().size() >= maxParties) {
      throw full();
    }
    Call grown = call.withInvitee(invitee.party(), userId, ref, now);
    EndReason refusal = refusal(invitee);
    if (refusal != null) {
      Call refused = grown.withParty(inviteeId, p -> p.left(refusal, now));
      return new AddOutcome.EndedAtOnce(call, refused.parties().get(refused.parties().size() - 1));
    }
    store(grown);
    return new AddOutcome.Ringing(grown, grown.partyOf(inviteeId).orElseThrow());
  }

  /** An invitee answers on one of their connections. */
  public synchronized Call answer(String callId, String userId, String connection, Instant now) {
    Call call = partyCall(callId, userId);
    if (call.isCaller(userId)) {
      throw new CallRefusedException(
          CallRefusedException.WRONG_STATE, "Only the person called can answer.");
    }
    if (!call.partyOf(userId).orElseThrow().isRinging()) {
      throw new CallRefusedException(
          CallRefusedException.WRONG_STATE, "The call was already answered or is over.");
    }
    return store(call.answered(userId, connection, now));
  }

  /** An invitee declines: their invite ends (the whole call when nobody else rings or joined). */
  public synchronized Call decline(String callId, String userId, Instant now) {
    return declineChange(callId, userId, now).call();
  }

  /** {@link #decline}, saying whether the call or only this invite ended. */
  public synchronized CallChange declineChange(String callId, String userId, Instant now) {
    Call call = partyCall(callId, userId);
    if (call.isCaller(userId)) {
      throw new CallRefusedException(
          CallRefusedException.WRONG_STATE, "The caller cancels, the person called declines.");
    }
    if (!call.partyOf(userId).orElseThrow().isRinging()) {
      throw new CallRefusedException(
          CallRefusedException.WRONG_STATE, "Only a ringing call can be declined.");
    }
    return endInvite(call, userId, EndReason.DECLINED, now);
  }

  /** The caller gives up before any answer: the call ends for every invitee. */
  public synchronized Call cancel(String callId, String userId, Instant now) {
    Call call = partyCall(callId, userId);
    requireState(call, CallState.RINGING, "Only a ringing call can be cancelled.");
    if (!call.isCaller(userId)) {
      throw new CallRefusedException(
          CallRefusedException.WRONG_STATE, "The caller cancels, the person called declines.");
    }
    return end(call, EndReason.CANCELLED, now);
  }

  /**
   * A joined party gives up one ringing invite of an active call.
   *
   * @throws CallRefusedException {@code not-in-call} unless a joined party asks; {@code
   *     wrong-state} unless that person's invite rings
   */
  public synchronized CallChange cancelInvite(
      String callId, String userId, String inviteeId, Instant now) {
    Call call = partyCall(callId, userId);
    if (!call.isJoined(userId)) {
      throw CallRefusedException.notInCall();
    }
    if (call.state() != CallState.ACTIVE
        || !call.partyOf(inviteeId).filter(CallParty::isRinging).isPresent()) {
      throw new CallRefusedException(
          CallRefusedException.WRONG_STATE, "That person's invite does not ring.");
    }
    return endInvite(call, inviteeId, EndReason.CANCELLED, now);
  }

  /** A party ends the call; while it rings this is a cancel (caller) or a decline (callee). */
  public synchronized Call hangup(String callId, String userId, Instant now) {
    return leave(callId, userId, EndReason.HANGUP, now).call();
  }

  /**
   * A party hangs up or leaves: a ringing invitee declines, the caller of a call nobody answered
   * cancels it, a joined party leaves and the call ends when one is left.
   */
  public synchronized CallChange leave(String callId, String userId, EndReason why, Instant now) {
    Call call = partyCall(callId, userId);
    CallParty party = call.partyOf(userId).orElseThrow();
    if (party.isRinging()) {
      return endInvite(call, userId, EndReason.DECLINED, now);
    }
    if (call.state() == CallState.RINGING) {
      return new CallChange.Ended(end(call, EndReason.CANCELLED, now));
    }
    return partyLeaves(call, userId, why, now);
  }

  /**
   * A party of a conference failed on the media server (its connection there broke): it leaves.
   * Nothing when the person is not joined (left meanwhile).
   */
  public synchronized Optional<CallChange> failed(String callId, String userId, Instant now) {
    Call call = calls.get(callId);
    if (call == null || !call.isJoined(userId)) {
      return Optional.empty();
    }
    return Optional.of(partyLeaves(call, userId, EndReason.CONNECTION_LOST, now));
  }

  /**
   * The media server could not take the party who just answered: that person is out again ({@link
   * EndReason#MEDIA_UNAVAILABLE}), the call goes on as it was.
   */
  public synchronized Optional<CallChange> mediaUnavailable(
      String callId, String userId, Instant now) {
    return notTakenIn(callId, userId, EndReason.MEDIA_UNAVAILABLE, now);
  }

  /**
   * A party who just answered cannot be taken into the conference for {@code reason} ({@link
   * EndReason#MEDIA_UNAVAILABLE}, {@link EndReason#RECORDING_UNAVAILABLE}): their invite ends with
   * it, the call goes on as it was.
   */
  public synchronized Optional<CallChange> notTakenIn(
      String callId, String userId, EndReason reason, Instant now) {
    Call call = calls.get(callId);
    if (call == null || !call.isJoined(userId)) {
      return Optional.empty();
    }
    Call without = store(call.withParty(userId, p -> p.left(reason, now)));
    return Optional.of(new CallChange.InviteEnded(without, lastEntryOf(without, userId)));
  }

  /** The call runs on the media server from now on. */
  public synchronized Optional<Call> escalated(String callId) {
    Call call = calls.get(callId);
    return call == null ? Optional.empty() : Optional.of(store(call.asConference()));
  }

  /**
   * Where a party's two-party SDP or candidate goes: the other peer-to-peer party's bound
   * connection, empty while that party is reconnecting. The caller and the first answerer keep
   * their peer-to-peer path after a call grew, until they close it themselves.
   *
   * @throws CallRefusedException {@code not-in-call} unless the call is active, {@code connection}
   *     is the one bound to {@code userId}, and the peer-to-peer peer is still joined
   */
  public synchronized Optional<String> relayTarget(
      String callId, String userId, String connection) {
    Call call = boundCall(callId, userId, connection);
    String peer;
    if (call.isCaller(userId)) {
      peer = call.firstAnswerer();
    } else if (userId.equals(call.firstAnswerer())) {
      peer = call.caller().userId();
    } else {
      throw CallRefusedException.notInCall();
    }
    if (peer == null || !call.isJoined(peer)) {
      throw CallRefusedException.notInCall();
    }
    return call.connectionOf(peer);
  }

  /**
   * Checks that {@code connection} is the one bound to a joined party of an active call.
   *
   * @throws CallRefusedException {@code not-in-call} otherwise
   */
  public synchronized Call requireBound(String callId, String userId, String connection) {
    return boundCall(callId, userId, connection);
  }

  /** A party reports how the media flows. */
  public synchronized Call mediaPath(
      String callId, String userId, String connection, MediaPath path) {
    return store(boundCall(callId, userId, connection).withMediaPath(path));
  }

  /** A party's new connection (after a reconnect) takes over the call. */
  public synchronized Call resume(String callId, String userId, String connection, Instant now) {
    Call call = partyCall(callId, userId);
    if (call.partyOf(userId).orElseThrow().isRinging()) {
      return call; // an invitee is not bound before answering
    }
    return store(call.withConnection(userId, connection, now));
  }

  /**
   * A connection closed: a call it was ringing from ends ({@link EndReason#CONNECTION_LOST}); an
   * active call it was bound to waits for a resume.
   *
   * @return the calls that ended
   */
  public synchronized List<Call> connectionClosed(String connection, Instant now) {
    List<Call> ended = new ArrayList<>();
    for (Call call : List.copyOf(calls.values())) {
      if (call.state() == CallState.RINGING && connection.equals(call.callerConnection())) {
        ended.add(end(call, EndReason.CONNECTION_LOST, now));
        continue;
      }
      for (CallParty party : call.joined()) {
        if (connection.equals(party.connection())) {
          call = store(call.withConnection(party.userId(), null, now));
        }
      }
    }
    return ended;
  }

  /**
   * Ends what timed out: unanswered calls ({@link EndReason#NO_ANSWER}) and active calls whose
   * missing party did not come back ({@link EndReason#CONNECTION_LOST}).
   *
   * @return the calls that ended
   */
  public synchronized List<Call> sweep(Instant now) {
    return sweepChanges(now).stream()
        .filter(CallChange.Ended.class::isInstance)
        .map(CallChange::call)
        .toList();
  }

  /**
   * Ends what timed out, one party at a time: unanswered invites ({@link EndReason#NO_ANSWER}),
   * joined parties that did not come back ({@link EndReason#CONNECTION_LOST}), and with them the
   * calls that have nobody left to talk to.
   */
  public synchronized List<CallChange> sweepChanges(Instant now) {
    List<CallChange> changes = new ArrayList<>();
    Predicate<CallParty> rangOut =
        p -> p.isRinging() && !now.isBefore(p.invitedAt().plus(ringTimeout));
    Predicate<CallParty> gone =
        p -> p.detachedSince() != null && !now.isBefore(p.detachedSince().plus(reconnectGrace));
    for (Call call : List.copyOf(calls.values())) {
      Call current = call;
      for (CallParty party : call.parties()) {
        if (current.isOver()) {
          break;
        }
        CallChange change = null;
        if (rangOut.test(party)) {
          change = endInvite(current, party.userId(), EndReason.NO_ANSWER, now);
        } else if (party.isJoined() && gone.test(party) && current.state() == CallState.ACTIVE) {
          change = partyLeaves(current, party.userId(), EndReason.CONNECTION_LOST, now);
        }
        if (change != null) {
          changes.add(change);
          current = change.call();
        }
      }
    }
    return changes;
  }

  /** The call a person is in or being called in, if any (one at a time). */
  public synchronized Optional<Call> callOf(String userId) {
    return calls.values().stream().filter(c -> c.isParty(userId)).findFirst();
  }

  public synchronized Optional<Call> find(String callId) {
    return Optional.ofNullable(calls.get(callId));
  }

  /** Every call that is not over (for shutting down). */
  public synchronized List<Call> all() {
    return List.copyOf(calls.values());
  }

  /** How many calls are ringing or active (for health and benchmarks). */
  public synchronized int size() {
    return calls.size();
  }

  private CallChange endInvite(Call call, String userId, EndReason why, Instant now) {
    Call without = call.withParty(userId, p -> p.left(why, now));
    CallParty invitee = lastEntryOf(without, userId);
    if (call.state() == CallState.RINGING && without.ringing().isEmpty()) {
      // The last invitee stays in the ended call's parties: it hears the end like the caller.
      return new CallChange.Ended(end(call, why, now));
    }
    return new CallChange.InviteEnded(store(without), invitee);
  }

  private CallChange partyLeaves(Call call, String userId, EndReason why, Instant now) {
    Call without = call.withParty(userId, p -> p.left(why, now));
    CallParty left = lastEntryOf(without, userId);
    if (without.joined().size() <= 1) {
      // The one leaving stays in the ended call's parties: it hears the end like the others.
      return new CallChange.Ended(end(call, why, now));
    }
    return new CallChange.Left(store(without), left);
  }

  private static CallParty lastEntryOf(Call call, String userId) {
    List<CallParty> parties = call.parties();
    for (int i = parties.size() - 1; i >= 0; i--) {
      if (parties.get(i).userId().equals(userId)) {
        return parties.get(i);
      }
    }
    throw new IllegalArgumentException("not a party: " + userId);
  }

  private Call partyCall(String callId, String userId) {
    Call call = calls.get(callId);
    if (call == null || !call.isParty(userId)) {
      throw CallRefusedException.notInCall();
    }
    return call;
  }

  private Call boundCall(String callId, String userId, String connection) {
    Call call = partyCall(callId, userId);
    if (call.state() != CallState.ACTIVE
        || !call.isJoined(userId)
        || !call.connectionOf(userId).filter(connection::equals).isPresent()) {
      throw CallRefusedException.notInCall();
    }
    return call;
  }

  private static void requireState(Call call, CallState state, String detail) {
    if (call.state() != state) {
      throw new CallRefusedException(CallRefusedException.WRONG_STATE, detail);
    }
  }

  private static CallRefusedException full() {
    return new CallRefusedException(
        CallRefusedException.CALL_FULL, "The call has as many people as it may.");
  }

  private Call store(Call call) {
    calls.put(call.id(), call);
    return call;
  }

  private Call end(Call call, EndReason reason, Instant now) {
    calls.remove(call.id());
    return call.ended(reason, now);
  }
}
