package com.vclick.media.janus;

import com.vclick.media.api.MediaServer;
import com.vclick.media.api.MediaServerProvider;
import java.util.Map;

/** Registers the Janus adapter under the name {@value #NAME}. */
public final class JanusMediaServerProvider implements MediaServerProvider {

  static final String NAME = "janus";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MediaServer create(Map<String, String> settings) {
    return new JanusMediaServer(JanusSettings.from(settings));
  }
}
