package com.vclick.web.signaling;

import com.vclick.core.calls.Call;
import com.vclick.core.calls.CallBook;
import com.vclick.core.calls.CallLog;
import com.vclick.core.calls.CallMedia;
import com.vclick.core.calls.CallRefusedException;
import com.vclick.core.calls.CallState;
import com.vclick.core.calls.InviteOutcome;
import com.vclick.core.calls.MediaPath;
import com.vclick.core.calls.Party;
import com.vclick.core.directory.Directory;
import com.vclick.core.directory.DirectoryEntry;
import com.vclick.core.identity.Caller;
import com.vclick.web.signaling.SignalingMessage.CallAnswer;
import com.vclick.web.signaling.SignalingMessage.CallAnswered;
import com.vclick.web.signaling.SignalingMessage.CallCancel;
import com.vclick.web.signaling.SignalingMessage.CallDecline;
import com.vclick.web.signaling.SignalingMessage.CallEnded;
import com.vclick.web.signaling.SignalingMessage.CallHangup;
import com.vclick.web.signaling.SignalingMessage.CallIncoming;
import com.vclick.web.signaling.SignalingMessage.CallInvite;
import com.vclick.web.signaling.SignalingMessage.CallMediaPath;
import com.vclick.web.signaling.SignalingMessage.CallMerged;
import com.vclick.web.signaling.SignalingMessage.CallResume;
import com.vclick.web.signaling.SignalingMessage.CallRinging;
import com.vclick.web.signaling.SignalingMessage.CallSummary;
import com.vclick.web.signaling.SignalingMessage.Candidate;
import com.vclick.web.signaling.SignalingMessage.Sdp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Call messages: drives the {@link CallBook}, tells the parties, keeps the {@link CallLog} and
 * presence in step. Only relays between the bound connections of one call's parties.
 */
@ApplicationScoped
public class CallSignaling {

  private static final Logger LOG = Logger.getLogger(CallSignaling.class.getName());

  /** The callee's other connections, after one of them answered. */
  static final String ANSWERED_ELSEWHERE = "answered-elsewhere";

  @Inject CallBook book;
  @Inject CallLog log;
  @Inject Directory directory;
  @Inject PresenceSignaling presence;
  @Inject Connections connections;
  @Inject Clock clock;

  /**
   * Handles one call message of an authenticated connection.
   *
   * @throws CallRefusedException when the message is not allowed; nothing changed then
   * @return false when the message is no call message
   */
  boolean handle(Connection from, SignalingMessage message) {
    if (message instanceof CallInvite invite) {
      invite(from, invite);
    } else if (message instanceof CallAnswer answer) {
      answered(book.answer(answer.callId(), from.userId(), from.id(), clock.instant()), from);
    } else if (message instanceof CallDecline decline) {
      ended(book.decline(decline.callId(), from.userId(), clock.instant()));
    } else if (message instanceof CallCancel cancel) {
      ended(book.cancel(cancel.callId(), from.userId(), clock.instant()));
    } else if (message instanceof CallHangup hangup) {
      ended(book.hangup(hangup.callId(), from.userId(), clock.instant()));
    } else if (message instanceof CallResume resume) {
      book.resume(resume.callId(), from.userId(), from.id(), clock.instant());
    } else if (message instanceof CallMediaPath path) {
      MediaPath reported = MediaPath.valueOf(path.path().toUpperCase(Locale.ROOT));
      record(book.mediaPath(path.callId(), from.userId(), from.id(), reported));
    } else if (message instanceof Sdp sdp) {
      relay(from, sdp.callId(), sdp);
    } else if (message instanceof Candidate candidate) {
      relay(from, candidate.callId(), candidate);
    } else {
      return false;
    }
    return true;
  }

  /** The calls of a user that are not over, for the welcome after (re)connecting. */
  List<CallSummary> summariesOf(String userId) {
    return book.callOf(userId).stream()
        .map(
            call ->
                new CallSummary(
                    call.id(),
                    call.isCaller(userId) ? "caller" : "callee",
                    call.state().name().toLowerCase(Locale.ROOT),
                    call.peerOf(userId).userId(),
                    call.peerOf(userId).name(),
                    call.media().wireName()))
        .toList();
  }

  /** A user (re)connected: busy again if a call of theirs is still active. */
  void reconnected(String userId) {
    if (book.callOf(userId).filter(c -> c.state() == CallState.ACTIVE).isPresent()) {
      presence.busy(userId, true);
    }
  }

  void connectionClosed(String connectionId) {
    book.connectionClosed(connectionId, clock.instant()).forEach(this::ended);
  }

  /** Ends what timed out; called by the signaling ticker. */
  void sweep(Instant now) {
    book.sweep(now).forEach(this::ended);
  }

  private void invite(Connection from, CallInvite invite) {
    DirectoryEntry callee =
        directory
            .find(invite.to())
            .orElseThrow(
                () ->
                    new CallRefusedException(
                        CallRefusedException.UNKNOWN_USER, "Nobody with that name or email."));
    Caller caller = from.caller().orElseThrow();
    InviteOutcome outcome =
        book.invite(
            new Party(caller.subject(), caller.displayName()),
            from.id(),
            new Party(callee.id(), callee.displayName()),
            CallMedia.fromWireName(invite.media()),
            presence.isOnline(callee.id()),
            clock.instant());
    Call call = outcome.call();
    record(call);
    String media = call.media().wireName();
    if (outcome instanceof InviteOutcome.Ringing) {
      from.send(
          new CallRinging(
              call.id(), invite.ref(), call.callee().userId(), call.callee().name(), media));
      connections.sendToUser(
          call.callee().userId(),
          new CallIncoming(call.id(), call.caller().userId(), call.caller().name(), media));
    } else if (outcome instanceof InviteOutcome.Merged) {
      from.send(
          new CallMerged(
              invite.ref(), call.id(), call.caller().userId(), call.caller().name(), media));
      answered(call, from);
    } else {
      from.send(new CallEnded(call.id(), call.endReason().wireName(), invite.ref()));
    }
  }

  private void answered(Call call, Connection answering) {
    record(call);
    connections.send(call.callerConnection(), new CallAnswered(call.id()));
    CallEnded elsewhere = new CallEnded(call.id(), ANSWERED_ELSEWHERE, null);
    connections.ofUser(call.callee().userId()).stream()
        .filter(c -> !c.id().equals(answering.id()))
        .forEach(c -> c.send(elsewhere));
    presence.busy(call.caller().userId(), true);
    presence.busy(call.callee().userId(), true);
  }

  private void ended(Call call) {
    record(call);
    CallEnded message = new CallEnded(call.id(), call.endReason().wireName(), null);
    connections.sendToUser(call.caller().userId(), message);
    connections.sendToUser(call.callee().userId(), message);
    if (call.answeredAt() != null) {
      presence.busy(call.caller().userId(), false);
      presence.busy(call.callee().userId(), false);
    }
  }

  private void relay(Connection from, String callId, SignalingMessage message) {
    String target =
        book.relayTarget(callId, from.userId(), from.id())
            .orElseThrow(
                () ->
                    new CallRefusedException(
                        CallRefusedException.PEER_AWAY,
                        "The other party is reconnecting; send again shortly."));
    connections.send(target, message);
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
