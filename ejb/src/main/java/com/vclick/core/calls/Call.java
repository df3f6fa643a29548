package com.vclick.core.calls;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of one call. The connection fields say which connection of each party the
 * call's SDP and candidates go to; {@code null} while that party has none (the callee before the
 * answer, a party whose socket dropped and did not resume yet).
 *
 * @param id the server-made call id
 * @param caller who called
 * @param callee who was called
 * @param media video or audio
 * @param state where the call is
 * @param startedAt when the invite arrived
 * @param answeredAt when the callee answered, or null
 * @param endedAt when it ended, or null
 * @param endReason why it ended, or null
 * @param mediaPath how the media travelled, or null until a client reported it
 * @param callerConnection the caller's bound connection, or null
 * @param calleeConnection the callee's bound connection, or null
 * @param detachedSince since when a party of an active call has no bound connection, or null
 */
public record Call(
    String id,
    Party caller,
    Party callee,
    CallMedia media,
    CallState state,
    Instant startedAt,
    Instant answeredAt,
    Instant endedAt,
    EndReason endReason,
    MediaPath mediaPath,
    String callerConnection,
    String calleeConnection,
    Instant detachedSince) {

  public Call {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(callee, "callee");
    Objects.requireNonNull(media, "media");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(startedAt, "startedAt");
  }

  /** A new call, ringing (or about to end at once when the callee cannot be reached). */
  static Call ringing(
      String id,
      Party caller,
      String callerConnection,
      Party callee,
      CallMedia media,
      Instant now) {
    return new Call(
        id,
        caller,
        callee,
        media,
        CallState.RINGING,
        now,
        null,
        null,
        null,
        null,
        callerConnection,
        null,
        null);
  }

  Call answered(String connection, Instant now) {
    return new Call(
        id,
        caller,
        callee,
        media,
        CallState.ACTIVE,
        startedAt,
        now,
        null,
        null,
        mediaPath,
        callerConnection,
        connection,
        null);
  }

  Call ended(EndReason reason, Instant now) {
    return new Call(
        id,
        caller,
        callee,
        media,
        CallState.ENDED,
        startedAt,
        answeredAt,
        now,
        reason,
        mediaPath,
        callerConnection,
        calleeConnection,
        detachedSince);
  }

  Call withMediaPath(MediaPath path) {
    return new Call(
        id,
        caller,
        callee,
        media,
        state,
        startedAt,
        answeredAt,
        endedAt,
        endReason,
        path,
        callerConnection,
        calleeConnection,
        detachedSince);
  }

  /** Binds (or unbinds with null) one party's connection; tracks since when someone is missing. */
  Call withConnection(String userId, String connection, Instant now) {
    String callerConn = isCaller(userId) ? connection : callerConnection;
    String calleeConn = isCaller(userId) ? calleeConnection : connection;
    boolean missing = state == CallState.ACTIVE && (callerConn == null || calleeConn == null);
    Instant since = missing ? (detachedSince != null ? detachedSince : now) : null;
    return new Call(
        id,
        caller,
        callee,
        media,
        state,
        startedAt,
        answeredAt,
        endedAt,
        endReason,
        mediaPath,
        callerConn,
        calleeConn,
        since);
  }

  public boolean isParty(String userId) {
    return caller.userId().equals(userId) || callee.userId().equals(userId);
  }

  public boolean isCaller(String userId) {
    return caller.userId().equals(userId);
  }

  /** The other side, seen from one party. */
  public Party peerOf(String userId) {
    return isCaller(userId) ? callee : caller;
  }

  /** The connection a party's messages are bound to, if any. */
  public Optional<String> connectionOf(String userId) {
    return Optional.ofNullable(isCaller(userId) ? callerConnection : calleeConnection);
  }

  public boolean isOver() {
    return state == CallState.ENDED;
  }
}
