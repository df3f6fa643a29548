package com.vclick.web.signaling;

import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The signaling and presence WebSocket ({@code /ws}); all logic is in {@link SignalingService}.
 * Texts up to {@link #MAX_FRAME_CHARS} reach the codec, which refuses anything above {@link
 * MessageCodec#MAX_MESSAGE_CHARS} with an error message; larger frames close the socket (1009).
 */
@ServerEndpoint(value = "/ws", configurator = OriginCheck.class)
public class SignalingEndpoint {

  static final int MAX_FRAME_CHARS = 4 * MessageCodec.MAX_MESSAGE_CHARS;

  private static final Logger LOG = Logger.getLogger(SignalingEndpoint.class.getName());

  @Inject SignalingService service;

  @OnOpen
  public void open(Session session) {
    session.setMaxTextMessageBufferSize(MAX_FRAME_CHARS);
    service.opened(session);
  }

  @OnMessage(maxMessageSize = MAX_FRAME_CHARS)
  public void message(Session session, String text) {
    service.received(session, text);
  }

  @OnClose
  public void close(Session session, CloseReason reason) {
    service.closed(session);
  }

  @OnError
  public void error(Session session, Throwable error) {
    LOG.log(Level.FINE, "Signaling connection error: {0}", error.toString());
  }
}
