package com.vclick.core.calls;

import com.vclick.core.config.CallsConfig;
import com.vclick.core.presence.PresenceBook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one presence book and call book of this server (in memory; one instance per server). */
@ApplicationScoped
public class CallingBeans {

  @Produces
  @Singleton
  PresenceBook presenceBook() {
    return new PresenceBook();
  }

  @Produces
  @Singleton
  CallBook callBook(CallsConfig config) {
    return new CallBook(config.ringTimeout(), config.reconnectGrace(), config.maxParties());
  }
}
