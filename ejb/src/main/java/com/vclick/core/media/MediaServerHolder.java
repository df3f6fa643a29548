package com.vclick.core.media;

import com.vclick.core.config.MediaConfig;
import com.vclick.media.api.MediaServer;
import com.vclick.media.api.MediaServers;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;

/** Owns the one connection to the configured media server; closes it at shutdown. */
@Singleton
@Startup
public class MediaServerHolder {

  @Inject MediaConfig config;

  private MediaServer server;

  @PostConstruct
  void open() {
    server = MediaServers.create(config.server(), config.settings());
  }

  public MediaServer server() {
    return server;
  }

  @PreDestroy
  void close() {
    server.close();
  }
}
