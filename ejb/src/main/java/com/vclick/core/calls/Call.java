package com.vclick.core.calls;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * An immutable snapshot of one call and its parties. The first party is the one who called; the
 * others were invited (at the start or later, by any joined party). A call of two joined parties
 * sends its media peer to peer; once a third joined it runs on the media server ({@link
 * #conference()}) and stays there.
 *
 * @param id the server-made call id
 * @param parties everyone ever invited, in invite order; the one who called first
 * @param media video or audio
 * @param state where the call is
 * @param startedAt when the invite arrived
 * @param answeredAt when the first invitee answered, or null
 * @param endedAt when it ended, or null
 * @param endReason why it ended, or null
 * @param mediaPath how the two-party media travelled, or null until a client reported it
 * @param firstAnswerer the user id of the invitee who answered first (the caller's peer-to-peer
 *     peer), or null
 * @param grown whether the call ever had more than two parties (then the parties hear {@code
 *     call.parties}; a plain two-party call keeps its two-party messages only)
 * @param conference whether the call runs on the media server
 */
public record Call(
    String id,
    List<CallParty> parties,
    CallMedia media,
    CallState state,
    Instant startedAt,
    Instant answeredAt,
    Instant endedAt,
    EndReason endReason,
    MediaPath mediaPath,
    String firstAnswerer,
    boolean grown,
    boolean conference) {

  public Call {
    Objects.requireNonNull(id, "id");
    parties = List.copyOf(parties);
    if (parties.size() < 2) {
      throw new IllegalArgumentException("a call has the one who calls and someone called");
    }
    Objects.requireNonNull(media, "media");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(startedAt, "startedAt");
  }

  /** A new two-party call, ringing (or about to end at once when the callee cannot be reached). */
  static Call ringing(
      String id,
      Party caller,
      String callerConnection,
      Party callee,
      CallMedia media,
      Instant now) {
    return ringing(id, caller, callerConnection, List.of(callee), null, media, now);
  }

  /** A new call ringing at one or more invitees. */
  static Call ringing(
      String id,
      Party caller,
      String callerConnection,
      List<Party> callees,
      String ref,
      CallMedia media,
      Instant now) {
    List<CallParty> parties = new ArrayList<>();
    parties.add(CallParty.caller(caller, callerConnection, now));
    callees.forEach(c -> parties.add(CallParty.invited(c, caller.userId(), ref, now)));
    return new Call(
        id,
        parties,
        media,
        CallState.RINGING,
        now,
        null,
        null,
        null,
        null,
        null,
        callees.size() > 1,
        false);
  }

  /** The invitee {@code userId} answers on {@code connection}; the first answer makes it active. */
  Call answered(String userId, String connection, Instant now) {
    Call call = withParty(userId, p -> p.joined(connection, now));
    if (state != CallState.RINGING) {
      return call;
    }
    return new Call(
        id,
        call.parties,
        media,
        CallState.ACTIVE,
        startedAt,
        now,
        null,
        null,
        mediaPath,
        userId,
        grown,
        conference);
  }

  /** A crossing invite: the callee answered on its inviting connection. */
  Call answered(String connection, Instant now) {
    return answered(parties.get(1).userId(), connection, now);
  }

  Call ended(EndReason reason, Instant now) {
    return new Call(
        id,
        parties,
        media,
        CallState.ENDED,
        startedAt,
        answeredAt,
        now,
        reason,
        mediaPath,
        firstAnswerer,
        grown,
        conference);
  }

  Call withMediaPath(MediaPath path) {
    return new Call(
        id,
        parties,
        media,
        state,
        startedAt,
        answeredAt,
        endedAt,
        endReason,
        path,
        firstAnswerer,
        grown,
        conference);
  }

  /** One more invitee rings (a {@code call.add}). */
  Call withInvitee(Party invitee, String invitedBy, String ref, Instant now) {
    List<CallParty> more = new ArrayList<>(parties);
    more.add(CallParty.invited(invitee, invitedBy, ref, now));
    return new Call(
        id,
        more,
        media,
        state,
        startedAt,
        answeredAt,
        endedAt,
        endReason,
        mediaPath,
        firstAnswerer,
        true,
        conference);
  }

  /** The call runs on the media server from now on. */
  Call asConference() {
    return new Call(
        id,
        parties,
        media,
        state,
        startedAt,
        answeredAt,
        endedAt,
        endReason,
        mediaPath,
        firstAnswerer,
        true,
        true);
  }

  /** Changes the current entry of {@code userId}. */
  Call withParty(String userId, UnaryOperator<CallParty> change) {
    int index = indexOf(userId);
    if (index < 0) {
      throw new IllegalArgumentException("not a party: " + userId);
    }
    List<CallParty> changed = new ArrayList<>(parties);
    changed.set(index, change.apply(parties.get(index)));
    return new Call(
        id,
        changed,
        media,
        state,
        startedAt,
        answeredAt,
        endedAt,
        endReason,
        mediaPath,
        firstAnswerer,
        grown,
        conference);
  }

  /** Binds (or unbinds with null) one party's connection; tracks since when someone is missing. */
  Call withConnection(String userId, String connection, Instant now) {
    return withParty(userId, p -> p.withConnection(connection, now));
  }

  private int indexOf(String userId) {
    for (int i = parties.size() - 1; i >= 0; i--) {
      if (parties.get(i).userId().equals(userId) && parties.get(i).isIn()) {
        return i;
      }
    }
    return -1;
  }

  /** The current entry (ringing or joined) of a person, if they are in the call. */
  public Optional<CallParty> partyOf(String userId) {
    int index = indexOf(userId);
    return index < 0 ? Optional.empty() : Optional.of(parties.get(index));
  }

  /** Whether the person is ringing or joined in this call. */
  public boolean isParty(String userId) {
    return indexOf(userId) >= 0;
  }

  public boolean isJoined(String userId) {
    return partyOf(userId).filter(CallParty::isJoined).isPresent();
  }

  public boolean isCaller(String userId) {
    return parties.get(0).userId().equals(userId);
  }

  /** The one who called. */
  public Party caller() {
    return parties.get(0).party();
  }

  /** The one who answered first, or (before an answer) the first one called. */
  public Party callee() {
    return calleeEntry().party();
  }

  private CallParty calleeEntry() {
    if (firstAnswerer != null) {
      for (CallParty p : parties) {
        if (p.userId().equals(firstAnswerer) && p.joinedAt() != null) {
          return p;
        }
      }
    }
    return parties.get(1);
  }

  /** The other side of a two-party call, seen from one party. */
  public Party peerOf(String userId) {
    return isCaller(userId) ? callee() : caller();
  }

  /** The caller's bound connection, or null. */
  public String callerConnection() {
    return parties.get(0).connection();
  }

  /** The first answerer's bound connection (before an answer: null). */
  public String calleeConnection() {
    return calleeEntry().connection();
  }

  /** The connection a party's messages are bound to, if any. */
  public Optional<String> connectionOf(String userId) {
    return partyOf(userId).map(CallParty::connection);
  }

  /**
   * Since when a joined party of an active call has no bound connection (the earliest), or null.
   */
  public Instant detachedSince() {
    if (state != CallState.ACTIVE) {
      return null;
    }
    return joined().stream()
        .map(CallParty::detachedSince)
        .filter(Objects::nonNull)
        .min(Comparator.naturalOrder())
        .orElse(null);
  }

  /** The parties joined now. */
  public List<CallParty> joined() {
    return parties.stream().filter(CallParty::isJoined).toList();
  }

  /** The parties ringing now. */
  public List<CallParty> ringing() {
    return parties.stream().filter(CallParty::isRinging).toList();
  }

  /** Ringing or joined now. */
  public List<CallParty> current() {
    return parties.stream().filter(CallParty::isIn).toList();
  }

  public boolean isOver() {
    return state == CallState.ENDED;
  }
}
