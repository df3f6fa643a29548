package com.vclick.web.signaling;

import com.vclick.core.config.SignalingConfig;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * Refuses the WebSocket handshake (403) from browser pages of other origins: only the web app's own
 * origin and the extension's may open {@code /ws}. Requests without an Origin header come from
 * native clients, which a page cannot impersonate; they still need a token.
 */
public class OriginCheck extends ServerEndpointConfig.Configurator {

  private volatile SignalingConfig config;

  @Override
  public boolean checkOrigin(String origin) {
    if (origin == null) {
      return true;
    }
    if (config == null) {
      config = CDI.current().select(SignalingConfig.class).get();
    }
    return config.origins().contains(origin);
  }
}
