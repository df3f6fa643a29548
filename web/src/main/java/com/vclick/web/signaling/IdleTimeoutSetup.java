package com.vclick.web.signaling;

import com.vclick.core.config.SignalingConfig;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.websocket.server.ServerContainer;
import java.util.logging.Logger;

/**
 * Makes {@code vclick.signaling.idle-timeout} the WebSocket container's default, so that every
 * session starts with it, instead of setting it on each session once open.
 *
 * <p>Why not per session: Payara's Tyrus (2.1.5.payara-p2) creates a session with the container's
 * default (0, none) and schedules its idle check with that delay, i.e. at once; the check closes
 * the session if, when it runs, the session has a timeout. Setting one in {@code @OnOpen} races
 * with that check: when the check runs a moment late (a loaded machine), it sees the new timeout
 * and closes the brand-new socket "because of the idle timeout", with code 1000 on the wire (Tyrus
 * sends 1006 as 1000). Seen once in 3,000 sockets opened 200 at a time here; it was the cause of
 * SignalingIT's sign-in that got "closed with 1000 and no welcome". With the default set, the first
 * check is due after the whole timeout, and nothing changes it later.
 */
@WebListener
public class IdleTimeoutSetup implements ServletContextListener {

  private static final Logger LOG = Logger.getLogger(IdleTimeoutSetup.class.getName());

  @Inject SignalingConfig config;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    if (event.getServletContext().getAttribute(ServerContainer.class.getName())
        instanceof ServerContainer container) {
      container.setDefaultMaxSessionIdleTimeout(config.idleTimeout().toMillis());
    } else {
      LOG.severe("No WebSocket container: the signaling idle timeout is set per session instead");
    }
  }
}
