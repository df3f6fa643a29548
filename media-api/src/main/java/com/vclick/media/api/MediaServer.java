package com.vclick.media.api;

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

  /** The calls created and not yet released (leak checks, health). */
  int openCalls();

  @Override
  void close();
}
