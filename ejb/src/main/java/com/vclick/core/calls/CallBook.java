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
import java.util.function.Supplier;

/**
 * The calls that are not over, and the state machine that moves them (documented in
 * web/SIGNALING.md). Thread-safe; pure logic: every method returns the calls it changed so the
 * caller can tell the parties and write the call log. Ended calls are forgotten at once.
 */
public final class CallBook {

  private final Map<String, Call> calls = new HashMap<>();
  private final Supplier<String> ids;
  private final Duration ringTimeout;
  private final Duration reconnectGrace;

  public CallBook(Duration ringTimeout, Duration reconnectGrace) {
    this(() -> UUID.randomUUID().toString(), ringTimeout, reconnectGrace);
  }

  CallBook(Supplier<String> ids, Duration ringTimeout, Duration reconnectGrace) {
    this.ids = Objects.requireNonNull(ids, "ids");
    this.ringTimeout = Objects.requireNonNull(ringTimeout, "ringTimeout");
    this.reconnectGrace = Objects.requireNonNull(reconnectGrace, "reconnectGrace");
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
    if (caller.userId().equals(callee.userId())) {
      throw new CallRefusedException(CallRefusedException.INVALID, "You cannot call yourself.");
    }
    Optional<Call> crossing =
        callOf(caller.userId())
            .filter(c -> c.state() == CallState.RINGING && c.caller().equals(callee));
    if (crossing.isPresent()) {
      return new InviteOutcome.Merged(store(crossing.get().answered(callerConnection, now)));
    }
    if (callOf(caller.userId()).isPresent()) {
      throw new CallRefusedException(
          CallRefusedException.IN_CALL, "Finish your current call first.");
    }
    Call call = Call.ringing(ids.get(), caller, callerConnection, callee, media, now);
    if (callOf(callee.userId()).isPresent()) {
      return new InviteOutcome.EndedAtOnce(call.ended(EndReason.BUSY, now));
    }
    if (!calleeReachable) {
      return new InviteOutcome.EndedAtOnce(call.ended(EndReason.OFFLINE, now));
    }
    return new InviteOutcome.Ringing(store(call));
  }

  /** The callee answers on one of their connections. */
  public synchronized Call answer(String callId, String userId, String connection, Instant now) {
    Call call = partyCall(callId, userId);
    requireState(call, CallState.RINGING, "The call was already answered or is over.");
    if (call.isCaller(userId)) {
      throw new CallRefusedException(
          CallRefusedException.WRONG_STATE, "Only the person called can answer.");
    }
    return store(call.answered(connection, now));
  }

  /** The callee declines a ringing call. */
  public synchronized Call decline(String callId, String userId, Instant now) {
    Call call = partyCall(callId, userId);
    requireState(call, CallState.RINGING, "Only a ringing call can be declined.");
    if (call.isCaller(userId)) {
      throw new CallRefusedException(
          CallRefusedException.WRONG_STATE, "The caller cancels, the person called declines.");
    }
    return end(call, EndReason.DECLINED, now);
  }

  /** The caller gives up before an answer. */
  public synchronized Call cancel(String callId, String userId, Instant now) {
    Call call = partyCall(callId, userId);
    requireState(call, CallState.RINGING, "Only a ringing call can be cancelled.");
    if (!call.isCaller(userId)) {
      throw new CallRefusedException(
          CallRefusedException.WRONG_STATE, "The caller cancels, the person called declines.");
    }
    return end(call, EndReason.CANCELLED, now);
  }

  /** A party ends the call; while it rings this is a cancel (caller) or a decline (callee). */
  public synchronized Call hangup(String callId, String userId, Instant now) {
    Call call = partyCall(callId, userId);
    if (call.state() == CallState.RINGING) {
      return end(call, call.isCaller(userId) ? EndReason.CANCELLED : EndReason.DECLINED, now);
    }
    return end(call, EndReason.HANGUP, now);
  }

  /**
   * Where a party's SDP or candidate goes: the other party's bound connection, empty while that
   * party is reconnecting.
   *
   * @throws CallRefusedException {@code not-in-call} unless the call is active and {@code
   *     connection} is the one bound to {@code userId}
   */
  public synchronized Optional<String> relayTarget(
      String callId, String userId, String connection) {
    Call call = boundCall(callId, userId, connection);
    return call.connectionOf(call.peerOf(userId).userId());
  }

  /** A party reports how the media flows. */
  public synchronized Call mediaPath(
      String callId, String userId, String connection, MediaPath path) {
    return store(boundCall(callId, userId, connection).withMediaPath(path));
  }

  /** A party's new connection (after a reconnect) takes over the call. */
  public synchronized Call resume(String callId, String userId, String connection, Instant now) {
    Call call = partyCall(callId, userId);
    if (call.state() == CallState.RINGING && !call.isCaller(userId)) {
      return call; // the callee is not bound before answering
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
      } else if (connection.equals(call.callerConnection())) {
        store(call.withConnection(call.caller().userId(), null, now));
      } else if (connection.equals(call.calleeConnection())) {
        store(call.withConnection(call.callee().userId(), null, now));
      }
    }
    return ended;
  }

  /**
   * Ends what timed out: unanswered calls ({@link EndReason#NO_ANSWER}) and active calls whose
   * missing party did not come back ({@link EndReason#CONNECTION_LOST}).
   */
  public synchronized List<Call> sweep(Instant now) {
    List<Call> ended = new ArrayList<>();
    for (Call call : List.copyOf(calls.values())) {
      if (call.state() == CallState.RINGING && !now.isBefore(call.startedAt().plus(ringTimeout))) {
        ended.add(end(call, EndReason.NO_ANSWER, now));
      } else if (call.detachedSince() != null
          && !now.isBefore(call.detachedSince().plus(reconnectGrace))) {
        ended.add(end(call, EndReason.CONNECTION_LOST, now));
      }
    }
    return ended;
  }

  /** The call a person is in or being called in, if any (one at a time). */
  public synchronized Optional<Call> callOf(String userId) {
    return calls.values().stream().filter(c -> c.isParty(userId)).findFirst();
  }

  public synchronized Optional<Call> find(String callId) {
    return Optional.ofNullable(calls.get(callId));
  }

  /** How many calls are ringing or active (for health and benchmarks). */
  public synchronized int size() {
    return calls.size();
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

  private Call store(Call call) {
    calls.put(call.id(), call);
    return call;
  }

  private Call end(Call call, EndReason reason, Instant now) {
    calls.remove(call.id());
    return call.ended(reason, now);
  }
}
