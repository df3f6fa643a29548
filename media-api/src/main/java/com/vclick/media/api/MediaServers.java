package com.vclick.media.api;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** Finds the adapter named by configuration among those on the class path. */
public final class MediaServers {

  private MediaServers() {}

  /**
   * Creates the media server of the named adapter.
   *
   * @throws IllegalArgumentException when no adapter of that name is on the class path
   */
  public static MediaServer create(String name, Map<String, String> settings) {
    return create(name, settings, ServiceLoader.load(MediaServerProvider.class, loader()));
  }

  static MediaServer create(
      String name, Map<String, String> settings, Iterable<MediaServerProvider> providers) {
    var known = new TreeSet<String>();
    for (MediaServerProvider provider : providers) {
      if (provider.name().equals(name)) {
        return provider.create(Map.copyOf(settings));
      }
      known.add(provider.name());
    }
    throw new IllegalArgumentException(
        "Unknown media server '" + name + "'; available: " + String.join(", ", known));
  }

  private static ClassLoader loader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : MediaServers.class.getClassLoader();
  }
}
