package com.vclick.web.signaling;

import com.vclick.core.calls.CallMessage;
import com.vclick.core.calls.CallMessage.PartyView;
import com.vclick.web.signaling.SignalingMessage.PartyEntry;
import java.util.List;

/** The wire message of each {@link CallMessage} of the call service. */
final class CallWire {

  private CallWire() {}

  static SignalingMessage of(CallMessage message) {
    if (message instanceof CallMessage.Ringing m) {
      return new SignalingMessage.CallRinging(
          m.callId(), m.ref(), m.peer(), m.peerName(), m.media());
    }
    if (message instanceof CallMessage.Incoming m) {
      return new SignalingMessage.CallIncoming(
          m.callId(),
          m.peer(),
          m.peerName(),
          m.media(),
          m.parties() == null ? null : entries(m.parties()));
    }
    if (message instanceof CallMessage.Merged m) {
      return new SignalingMessage.CallMerged(
          m.ref(), m.callId(), m.peer(), m.peerName(), m.media());
    }
    if (message instanceof CallMessage.Answered m) {
      return new SignalingMessage.CallAnswered(m.callId());
    }
    if (message instanceof CallMessage.Ended m) {
      return new SignalingMessage.CallEnded(m.callId(), m.reason(), m.ref());
    }
    if (message instanceof CallMessage.Parties m) {
      return new SignalingMessage.CallParties(m.callId(), entries(m.parties()));
    }
    if (message instanceof CallMessage.AddEnded m) {
      return new SignalingMessage.CallAddEnded(m.callId(), m.ref(), m.userId(), m.reason());
    }
    if (message instanceof CallMessage.ConferenceJoin m) {
      return new SignalingMessage.ConferenceJoin(m.callId(), entries(m.parties()));
    }
    if (message instanceof CallMessage.ConferencePublished m) {
      return new SignalingMessage.ConferencePublished(m.callId(), m.sdp());
    }
    if (message instanceof CallMessage.ConferenceOffer m) {
      return new SignalingMessage.ConferenceOffer(
          m.callId(),
          m.sessionId(),
          m.sdp(),
          m.sources().stream()
              .map(s -> new SignalingMessage.StreamSource(s.mid(), s.userId(), s.kind()))
              .toList());
    }
    if (message instanceof CallMessage.ConferenceCandidate m) {
      return new SignalingMessage.ConferenceCandidate(
          m.callId(), m.sessionId(), m.candidate(), m.sdpMid(), m.sdpMLineIndex());
    }
    if (message instanceof CallMessage.ConferenceSessionClosed m) {
      return new SignalingMessage.ConferenceSessionClosed(m.callId(), m.sessionId());
    }
    throw new IllegalArgumentException("no wire message for " + message.getClass().getSimpleName());
  }

  private static List<PartyEntry> entries(List<PartyView> parties) {
    return parties.stream().map(p -> new PartyEntry(p.userId(), p.name(), p.state())).toList();
  }
}
