package com.vclick.media.kurento;

import com.vclick.media.api.Conference;

/**
 * One session of a conference participant's browser with the media server: its publish session
 * ({@link Conference#PUBLISH}), or a receive session carrying one other participant's media ({@code
 * from-<publisherId>}). One WebRtcEndpoint each; the endpoint's negotiation state is a {@link
 * CallLeg}. Not thread-safe: the conference's lock guards it.
 */
final class ConferenceSession {

  private final String participantId;
  private final String sessionId;
  private final String publisherId;
  private final CallLeg leg;
  private boolean gone;
  private boolean linked;

  /**
   * @param publisherId whose media a receive session carries; null for a publish session
   */
  ConferenceSession(String participantId, String sessionId, String publisherId, CallLeg leg) {
    this.participantId = participantId;
    this.sessionId = sessionId;
    this.publisherId = publisherId;
    this.leg = leg;
  }

  /** A receive session's id: {@code from-<publisherId>}, then {@code from-<publisherId>.<n>}. */
  static String receiveId(String publisherId, int generation) {
    return generation == 1 ? "from-" + publisherId : "from-" + publisherId + "." + generation;
  }

  String participantId() {
    return participantId;
  }

  String sessionId() {
    return sessionId;
  }

  /** Whose media it carries; null for a publish session. */
  String publisherId() {
    return publisherId;
  }

  boolean publishes() {
    return publisherId == null;
  }

  CallLeg leg() {
    return leg;
  }

  /** Whether it was closed, or never made it into the room: its events are not reported. */
  boolean gone() {
    return gone;
  }

  void close() {
    gone = true;
  }

  /** Whether KMS reported the endpoint connected to the browser (ICE and DTLS). */
  boolean linked() {
    return linked;
  }

  void linked(boolean connected) {
    linked = connected;
  }

  /** Whether a receive session's offer waits for the browser's answer. */
  boolean awaitsAnswer() {
    return !publishes() && !leg.described();
  }
}
