package com.vclick.media.api;

import java.time.Instant;
import java.util.List;

/**
 * A connection to one media server. Closing it releases every resource the adapter holds; closing
 * twice is harmless.
 */
public interface MediaServer extends AutoCloseable {

  /** The adapter's name, as used in {@code vclick.media.server}. */
  String name();

  /** Asks the media server whether it answers now; never throws. */
  MediaServerStatus probe();

  /**
   * Creates a two-leg call through the media server (see {@link ProxiedCall}); its events go to
   * {@code listener}.
   *
   * @throws MediaServerException the media server cannot be reached or refused
   */
  ProxiedCall createProxiedCall(ProxiedCallRequest request, MediaEventListener listener)
      throws MediaServerException;

  /**
   * Opens a room for a conference (see {@link Conference}); its events go to {@code listener}.
   *
   * @throws MediaServerException the media server cannot be reached or refused, or this adapter
   *     hosts no conferences
   */
  default Conference createConference(ConferenceRequest request, ConferenceListener listener)
      throws MediaServerException {
    throw new MediaServerException(name() + " cannot host conferences");
  }

  /** The conferences created and not yet released (leak checks, health). */
  default int openConferences() {
    return 0;
  }

  /**
   * What the media server recorded of a call this application can no longer follow (the server
   * stopped or crashed during it): its files, made playable where they were not yet, each as the
   * event the call would have had. Empty when nothing of the call is left, or when the adapter
   * cannot reach the media server's files (then the application audits the recording as lost).
   *
   * @throws MediaServerException the files are there but cannot be made playable
   */
  default List<MediaEvent.RecordingStopped> recoverRecordings(String callId)
      throws MediaServerException {
    return List.of();
  }

  /**
   * Removes the media server's working files last written before {@code cutoff}: those of
   * recordings that were never stored (failed ones, kept as evidence until the recordings'
   * retention ends). Stored recordings' files are removed as soon as they are stored. Returns how
   * many files were removed; 0 when the adapter cannot reach the media server's files.
   */
  default int purgeWorkingFiles(Instant cutoff) {
    return 0;
  }

  /** The calls created and not yet released (leak checks, health). */
  int openCalls();

  @Override
  void close();
}
