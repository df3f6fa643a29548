package com.vclick.core.config;

import java.util.Map;

/**
 * Which media server adapter runs and its settings.
 *
 * @param server the adapter name ({@code vclick.media.server}: {@code janus} or {@code kurento})
 * @param settings the adapter's settings ({@code vclick.media.<server>.*} without the prefix),
 *     including {@code api-secret} and {@code recordings-dir} when only the environment sets them
 *     ({@code VCLICK_MEDIA_JANUS_API_SECRET}, {@code VCLICK_MEDIA_JANUS_RECORDINGS_DIR})
 */
public record MediaConfig(String server, Map<String, String> settings) {

  public MediaConfig {
    settings = Map.copyOf(settings);
  }

  @Override
  public String toString() {
    return "MediaConfig[server=" + server + ", settings=" + settings.keySet() + "]";
  }
}
