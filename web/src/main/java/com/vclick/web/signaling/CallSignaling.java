package com.vclick.web.signaling;

import com.vclick.core.calls.Call;
import com.vclick.core.calls.CallMedia;
import com.vclick.core.calls.CallNotice;
import com.vclick.core.calls.CallService;
import com.vclick.core.calls.CallState;
import com.vclick.core.calls.ConferenceRecordingPolicy;
import com.vclick.core.calls.MediaPath;
import com.vclick.core.calls.Party;
import com.vclick.core.identity.Caller;
import com.vclick.media.api.IceCandidate;
import com.vclick.web.signaling.SignalingMessage.CallAdd;
import com.vclick.web.signaling.SignalingMessage.CallAddCancel;
import com.vclick.web.signaling.SignalingMessage.CallAnswer;
import com.vclick.web.signaling.SignalingMessage.CallCancel;
import com.vclick.web.signaling.SignalingMessage.CallDecline;
import com.vclick.web.signaling.SignalingMessage.CallHangup;
import com.vclick.web.signaling.SignalingMessage.CallInvite;
import com.vclick.web.signaling.SignalingMessage.CallLeave;
import com.vclick.web.signaling.SignalingMessage.CallMediaPath;
import com.vclick.web.signaling.SignalingMessage.CallResume;
import com.vclick.web.signaling.SignalingMessage.CallSummary;
import com.vclick.web.signaling.SignalingMessage.Candidate;
import com.vclick.web.signaling.SignalingMessage.ConferenceAnswer;
import com.vclick.web.signaling.SignalingMessage.ConferenceCandidate;
import com.vclick.web.signaling.SignalingMessage.ConferencePublish;
import com.vclick.web.signaling.SignalingMessage.Sdp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Call messages over the socket: decoded messages go to the {@link CallService} (where the rules of
 * a call live), its {@link CallNotice}s come back here to be sent; two-party SDP and candidates are
 * relayed between the bound connections the service names.
 */
@ApplicationScoped
public class CallSignaling {

  @Inject CallService calls;
  @Inject PresenceSignaling presence;
  @Inject Connections connections;
  @Inject ConferenceRecordingPolicy recordingPolicy;

  /**
   * Handles one call message of an authenticated connection.
   *
   * @throws com.vclick.core.calls.CallRefusedException when the message is not allowed; nothing
   *     changed then
   * @return false when the message is no call message
   */
  boolean handle(Connection from, SignalingMessage message) {
    String user = from.userId();
    from.caller().ifPresent(recordingPolicy::seen);
    if (message instanceof CallInvite invite) {
      calls.invite(
          me(from), from.id(), invite.to(), invite.ref(), CallMedia.fromWireName(invite.media()));
    } else if (message instanceof CallAdd add) {
      calls.add(me(from), from.id(), add.callId(), add.to(), add.ref());
    } else if (message instanceof CallAddCancel cancel) {
      calls.cancelAdd(user, cancel.callId(), cancel.userId());
    } else if (message instanceof CallAnswer answer) {
      calls.answer(user, from.id(), answer.callId());
    } else if (message instanceof CallDecline decline) {
      calls.decline(user, decline.callId());
    } else if (message instanceof CallCancel cancel) {
      calls.cancel(user, cancel.callId());
    } else if (message instanceof CallHangup hangup) {
      calls.hangup(user, hangup.callId());
    } else if (message instanceof CallLeave leave) {
      calls.hangup(user, leave.callId());
    } else if (message instanceof CallResume resume) {
      calls.resume(user, from.id(), resume.callId());
    } else if (message instanceof CallMediaPath path) {
      MediaPath reported = MediaPath.valueOf(path.path().toUpperCase(Locale.ROOT));
      calls.mediaPath(user, from.id(), path.callId(), reported);
    } else if (message instanceof Sdp sdp) {
      connections.send(calls.relayTarget(user, from.id(), sdp.callId()), sdp);
    } else if (message instanceof Candidate candidate) {
      connections.send(calls.relayTarget(user, from.id(), candidate.callId()), candidate);
    } else if (message instanceof ConferencePublish publish) {
      calls.publish(user, from.id(), publish.callId(), publish.sdp());
    } else if (message instanceof ConferenceAnswer answer) {
      calls.conferenceAnswer(user, from.id(), answer.callId(), answer.sessionId(), answer.sdp());
    } else if (message instanceof ConferenceCandidate candidate) {
      calls.conferenceCandidate(
          user,
          from.id(),
          candidate.callId(),
          candidate.sessionId(),
          new IceCandidate(
              candidate.candidate(),
              candidate.sdpMid() == null || candidate.sdpMid().isEmpty()
                  ? null
                  : candidate.sdpMid(),
              candidate.sdpMLineIndex()));
    } else {
      return false;
    }
    return true;
  }

  /** The calls of a user that are not over, for the welcome after (re)connecting. */
  List<CallSummary> summariesOf(String userId) {
    return calls.callOf(userId).stream().map(call -> summary(call, userId)).toList();
  }

  /** A user (re)connected: busy again if a call of theirs is still active. */
  void reconnected(String userId) {
    calls.reconnected(userId);
  }

  void connectionClosed(String connectionId) {
    calls.connectionClosed(connectionId);
  }

  /** Ends what timed out; called by the signaling ticker. */
  void sweep(Instant now) {
    calls.sweep(now);
  }

  /** Sends what the call service tells (synchronously, on the thread that caused it). */
  void deliver(@Observes CallNotice notice) {
    if (notice instanceof CallNotice.ToUser to) {
      connections.sendToUser(to.userId(), CallWire.of(to.message()));
    } else if (notice instanceof CallNotice.ToConnection to) {
      connections.send(to.connectionId(), CallWire.of(to.message()));
    } else if (notice instanceof CallNotice.ToOtherConnections to) {
      SignalingMessage message = CallWire.of(to.message());
      connections.ofUser(to.userId()).stream()
          .filter(c -> !c.id().equals(to.except()))
          .forEach(c -> c.send(message));
    } else if (notice instanceof CallNotice.Busy busy) {
      presence.busy(busy.userId(), busy.busy());
    }
  }

  private static Party me(Connection from) {
    Caller caller = from.caller().orElseThrow();
    return new Party(caller.subject(), caller.displayName());
  }

  private static CallSummary summary(Call call, String userId) {
    Party peer = call.peerOf(userId);
    String state =
        call.state() == CallState.ACTIVE && call.partyOf(userId).orElseThrow().isRinging()
            ? "ringing"
            : call.state().name().toLowerCase(Locale.ROOT);
    return new CallSummary(
        call.id(),
        call.isCaller(userId) ? "caller" : "callee",
        state,
        peer.userId(),
        peer.name(),
        call.media().wireName());
  }
}
