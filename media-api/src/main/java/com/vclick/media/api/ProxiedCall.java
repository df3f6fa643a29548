package com.vclick.media.api;

/**
 * A two-leg call through the media server: each leg's peer negotiates with the media server, which
 * relays the media between the legs and can record both. The offer/answer exchange mirrors the
 * peers' own: the offering leg's offer goes in and the media server's offer for the other leg comes
 * out; that leg's answer goes in and the media server's answer for the offering leg comes out.
 * Either leg may offer (the enterprise user calls, or is called), and may offer again later
 * (renegotiation, ICE restart) once the first exchange is complete.
 *
 * <p>Candidates: each leg's peer's candidates go in through {@link #addCandidate}; the media
 * server's own come out as {@link MediaEvent.LocalCandidate} events. Adapters buffer candidates
 * that arrive before the description they belong to.
 *
 * <p>Every method may block for at most the adapter's configured timeout. {@link #close()} is
 * idempotent, never throws, and releases everything on the media server (after the recording's
 * files are complete when it was recording).
 */
public interface ProxiedCall extends AutoCloseable {

  /** The application's id of the call. */
  String callId();

  /**
   * {@code from}'s peer offers {@code sdp}; returns the media server's offer for the other leg.
   *
   * @throws MediaServerException the media server refused or could not be reached
   * @throws IllegalStateException an exchange is still open, or the call is closed
   */
  String offer(Leg from, String sdp) throws MediaServerException;

  /**
   * {@code from}'s peer answers the offer it got; returns the media server's answer for the
   * offering leg.
   *
   * @throws IllegalStateException no offer is waiting for {@code from}'s answer
   */
  String answer(Leg from, String sdp) throws MediaServerException;

  /** A candidate of {@code from}'s peer (or its end of candidates). */
  void addCandidate(Leg from, IceCandidate candidate) throws MediaServerException;

  /** Starts recording both legs (no-op when recording). */
  void startRecording() throws MediaServerException;

  /**
   * Stops recording; the files follow as {@link MediaEvent.RecordingStopped} once complete (no-op
   * when not recording).
   */
  void stopRecording() throws MediaServerException;

  /** Releases the call; idempotent; never throws. */
  @Override
  void close();
}
