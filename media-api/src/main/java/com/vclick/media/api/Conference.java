package com.vclick.media.api;

import java.util.Set;

/**
 * A room on the media server that participants join and leave. Each participant's browser
 * negotiates with the media server only, never with the other participants:
 *
 * <ul>
 *   <li>one <b>publish session</b> ({@link #PUBLISH}) per participant: the browser offers what it
 *       sends (audio, video, both, or nothing: a participant may only watch), {@link #join} or
 *       {@link #republish} returns the media server's answer;
 *   <li>one or more <b>receive sessions</b> per participant, the adapter's choice (one carrying
 *       every other participant's streams, or one per other participant): the media server offers
 *       with {@link ConferenceEvent.ReceiveOffer}, naming whose stream each media section carries,
 *       and the browser answers through {@link #answer}. When someone joins, leaves or changes what
 *       they publish, the media server offers again on an existing receive session, offers a new
 *       one, or closes one ({@link ConferenceEvent.SessionClosed}).
 * </ul>
 *
 * <p>Candidates: the browser's go in through {@link #addCandidate} naming the session; the media
 * server's come out as {@link ConferenceEvent.LocalCandidate}. Adapters buffer candidates that
 * arrive before the description they belong to.
 *
 * <p>Recording covers the whole room: one file with everyone's video (a grid) and all audio mixed,
 * each party's part kept beside it, and who was in the room when ({@link
 * ConferenceEvent.RecordingStopped}).
 *
 * <p>Every method may block for at most the adapter's configured timeout. {@link #close()} is
 * idempotent, never throws, and releases everything on the media server (after the recording's
 * files are complete when it was recording); its last event is {@link
 * ConferenceEvent.ConferenceReleased}.
 */
public interface Conference extends AutoCloseable {

  /** The session id of every participant's publish session. */
  String PUBLISH = "publish";

  /** The application's id of the conference. */
  String conferenceId();

  /**
   * {@code participantId} (letters, digits, {@code -}, at most 64) enters the room; its browser
   * offers its publish session with {@code publishOffer}. Returns the media server's answer. The
   * receive sessions follow as events, for this participant and for those already in the room.
   *
   * @throws MediaServerException the media server refused or could not be reached (the participant
   *     is then not in the room)
   * @throws IllegalStateException the participant is in the room already, the room is full, or the
   *     conference is closed
   */
  String join(String participantId, String publishOffer) throws MediaServerException;

  /**
   * The participant's publish session offers again (a track added or removed, an ICE restart);
   * returns the media server's answer. The others' receive sessions follow as events.
   *
   * @throws IllegalStateException the participant is not in the room
   */
  String republish(String participantId, String offer) throws MediaServerException;

  /**
   * The participant's browser answers the last {@link ConferenceEvent.ReceiveOffer} of {@code
   * sessionId}.
   *
   * @throws IllegalStateException no offer of that session waits for an answer
   */
  void answer(String participantId, String sessionId, String sdp) throws MediaServerException;

  /** A candidate (or the end of candidates) of the participant's browser for one session. */
  void addCandidate(String participantId, String sessionId, IceCandidate candidate)
      throws MediaServerException;

  /**
   * The participant leaves: its sessions are released and the others stop receiving it. Idempotent;
   * never throws. The room stays open (the application closes it when it wants).
   */
  void leave(String participantId);

  /** Who is in the room now. */
  Set<String> participants();

  /** Starts recording the room (no-op when recording). */
  void startRecording() throws MediaServerException;

  /**
   * Stops recording; the files follow as {@link ConferenceEvent.RecordingStopped} once complete
   * (no-op when not recording).
   */
  void stopRecording() throws MediaServerException;

  /** Releases the room and everyone in it; idempotent; never throws. */
  @Override
  void close();
}
