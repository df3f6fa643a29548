package com.vclick.web.signaling;

import com.vclick.core.identity.Caller;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/** One open signaling WebSocket and, once it said hello, who is behind it. */
final class Connection {

  private static final Logger LOG = Logger.getLogger(Connection.class.getName());

  private final Session session;
  private final String remoteAddress;
  private final Instant openedAt;
  private final RateLimit rateLimit;
  private final Runnable sendFailed;
  private volatile Caller caller;
  private volatile Instant expiresAt;

  /**
   * @param sendFailed told about every message the container could not deliver (counted, reported
   *     by the ticker: a lost message must not go unnoticed)
   */
  Connection(Session session, String remoteAddress, Instant openedAt, Runnable sendFailed) {
    this.session = session;
    this.remoteAddress = remoteAddress;
    this.openedAt = openedAt;
    this.rateLimit = new RateLimit(openedAt);
    this.sendFailed = sendFailed;
  }

  String id() {
    return session.getId();
  }

  Instant openedAt() {
    return openedAt;
  }

  /** The address the upgrade request came from (a proxy's, behind one). */
  String remoteAddress() {
    return remoteAddress;
  }

  Optional<Caller> caller() {
    return Optional.ofNullable(caller);
  }

  /** The authenticated user's id; only call after {@link #caller()} is present. */
  String userId() {
    return caller.subject();
  }

  Instant expiresAt() {
    return expiresAt;
  }

  void authenticated(Caller who, Instant tokenExpiresAt) {
    this.caller = who;
    this.expiresAt = tokenExpiresAt;
  }

  boolean allow(Instant now) {
    return rateLimit.tryAcquire(now);
  }

  /** Queues a message; a connection that went away meanwhile is skipped quietly. */
  void send(SignalingMessage message) {
    if (!session.isOpen()) {
      return;
    }
    session
        .getAsyncRemote()
        .sendText(
            MessageCodec.encode(message),
            result -> {
              if (!result.isOK()) {
                sendFailed.run();
                LOG.log(
                    Level.FINE,
                    "Send to connection {0} failed: {1}",
                    new Object[] {id(), result.getException()});
              }
            });
  }

  void close(int code, String reason) {
    try {
      if (session.isOpen()) {
        session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
      }
    } catch (IOException e) {
      LOG.log(
          Level.FINE, "Closing connection {0} failed: {1}", new Object[] {id(), e.getMessage()});
    }
  }
}
