package com.vclick.core.calls;

import java.util.List;

/**
 * What the call service tells a party, in the protocol's terms (web/SIGNALING.md) but without its
 * encoding: the transport maps each to its wire message.
 */
public sealed interface CallMessage {

  /** One person in a call, as the parties see them. */
  record PartyView(String userId, String name, String state) {}

  /** One media section of a conference receive session: whose stream it carries. */
  record SourceView(String mid, String userId, String kind) {}

  /** To the caller: the call rings. */
  record Ringing(String callId, String ref, String peer, String peerName, String media)
      implements CallMessage {}

  /**
   * To the invitee: someone calls; {@code parties} (those already in a call that grew) is null for
   * a plain two-party call.
   */
  record Incoming(
      String callId, String peer, String peerName, String media, List<PartyView> parties)
      implements CallMessage {}

  /** To the caller whose invite crossed the callee's. */
  record Merged(String ref, String callId, String peer, String peerName, String media)
      implements CallMessage {}

  /** To the caller: answered; make the offer. */
  record Answered(String callId) implements CallMessage {}

  /** The call is over for the receiver; {@code ref} only when it never rang. */
  record Ended(String callId, String reason, String ref) implements CallMessage {}

  /** Who is in a call that grew beyond two. */
  record Parties(String callId, List<PartyView> parties) implements CallMessage {}

  /** One invite ended without the invitee joining; {@code ref} only to the inviter. */
  record AddEnded(String callId, String ref, String userId, String reason) implements CallMessage {}

  /**
   * The call is a conference now (or the receiver just joined one): publish to the media server.
   */
  record ConferenceJoin(String callId, List<PartyView> parties) implements CallMessage {}

  /** The media server's answer to the receiver's publish offer. */
  record ConferencePublished(String callId, String sdp) implements CallMessage {}

  /** The media server offers a receive session. */
  record ConferenceOffer(String callId, String sessionId, String sdp, List<SourceView> sources)
      implements CallMessage {}

  /** The media server's candidate for one session. */
  record ConferenceCandidate(
      String callId, String sessionId, String candidate, String sdpMid, Integer sdpMLineIndex)
      implements CallMessage {}

  /** A receive session ended (its publisher left). */
  record ConferenceSessionClosed(String callId, String sessionId) implements CallMessage {}
}
