package com.vclick.media.api;

import java.util.Map;

/** Service-provider interface an adapter registers in {@code META-INF/services}. */
public interface MediaServerProvider {

  /** The name chosen by configuration ({@code janus}, {@code kurento}). */
  String name();

  /**
   * Creates a media server connection from the adapter's settings (keys without the {@code
   * vclick.media.<name>.} prefix).
   */
  MediaServer create(Map<String, String> settings);
}
