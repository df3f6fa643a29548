package com.vclick.media.kurento;

import com.vclick.media.api.MediaServer;
import com.vclick.media.api.MediaServerProvider;
import java.util.Map;

/** Registers the Kurento adapter under the name {@value #NAME}. */
public final class KurentoMediaServerProvider implements MediaServerProvider {

  static final String NAME = "kurento";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MediaServer create(Map<String, String> settings) {
    return new KurentoMediaServer(KurentoSettings.from(settings));
  }
}
