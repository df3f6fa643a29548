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

  @Override
  void close();
}
