package com.vclick.web.signaling;

import com.vclick.core.calls.CallLog;
import com.vclick.core.calls.CallRefusedException;
import com.vclick.core.config.SignalingConfig;
import com.vclick.core.directory.DirectoryUnavailableException;
import com.vclick.core.identity.Caller;
import com.vclick.core.identity.Roles;
import com.vclick.core.identity.token.AccessTokenVerifier;
import com.vclick.core.identity.token.InvalidTokenException;
import com.vclick.core.identity.token.TokenRules;
import com.vclick.core.identity.token.VerifiedToken;
import com.vclick.web.signaling.SignalingMessage.Error;
import com.vclick.web.signaling.SignalingMessage.Hello;
import com.vclick.web.signaling.SignalingMessage.Ping;
import com.vclick.web.signaling.SignalingMessage.Pong;
import com.vclick.web.signaling.SignalingMessage.PresenceUnwatch;
import com.vclick.web.signaling.SignalingMessage.PresenceWatch;
import com.vclick.web.signaling.SignalingMessage.Welcome;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The life of every signaling connection: authentication by the first message, dispatch of the
 * rest, errors that keep the socket usable, and a ticker for deadlines (authentication, token
 * expiry, ring and reconnect timeouts). The protocol is documented in web/SIGNALING.md.
 */
@ApplicationScoped
public class SignalingService {

  private static final Logger LOG = Logger.getLogger(SignalingService.class.getName());

  /** Close codes of the application range (4000-4999) the clients act on. */
  static final int CLOSE_UNAUTHENTICATED = 4401;

  static final int CLOSE_FORBIDDEN = 4403;

  /** Over a socket cap (CONFIG.md: vclick.signaling.max-*); the client may try again later. */
  static final int CLOSE_TOO_MANY_CONNECTIONS = 4429;

  /** Where the upgrade request's address is unknown (the filter did not run): one shared bucket. */
  static final String UNKNOWN_ADDRESS = "unknown";

  @Inject SignalingConfig config;
  @Inject TokenRules tokenRules;
  @Inject AccessTokenVerifier verifier;
  @Inject Connections connections;
  @Inject PresenceSignaling presence;
  @Inject CallSignaling calls;
  @Inject CallLog callLog;
  @Inject Clock clock;

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ManagedScheduledExecutorService scheduler;

  private ScheduledFuture<?> ticker;
  private UnauthenticatedSockets unauthenticated;
  private final LongAdder failedSends = new LongAdder();
  private final LongAdder refusedSockets = new LongAdder();
  private final AtomicBoolean warnedOfNoAddress = new AtomicBoolean();
  private long ticks;

  @PostConstruct
  void limits() {
    unauthenticated =
        new UnauthenticatedSockets(
            config.maxUnauthenticated(), config.maxUnauthenticatedPerAddress());
  }

  void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
    int unfinished = callLog.closeUnfinished();
    if (unfinished > 0) {
      LOG.log(Level.INFO, "Closed {0} calls a previous run left unfinished", unfinished);
    }
    ticker = scheduler.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  @PreDestroy
  void stop() {
    if (ticker != null) {
      ticker.cancel(false);
    }
  }

  /**
   * Admits a new socket under the caps on sockets waiting for their hello ({@link
   * UnauthenticatedSockets}): over its address's cap it gets an error and close 4429 at once; over
   * the cap in all, the oldest waiting socket gets them instead.
   */
  void opened(Session session) {
    long idleTimeout = config.idleTimeout().toMillis();
    if (session.getMaxIdleTimeout() != idleTimeout) {
      // Only where IdleTimeoutSetup could not set the default: setting it here races (see there).
      session.setMaxIdleTimeout(idleTimeout);
    }
    Optional<String> address = RemoteAddressFilter.of(session.getRequestParameterMap());
    if (address.isEmpty() && !warnedOfNoAddress.getAndSet(true)) {
      LOG.warning("Signaling sockets without their remote address: the per-address cap is shared");
    }
    Connection connection =
        new Connection(
            session, address.orElse(UNKNOWN_ADDRESS), clock.instant(), failedSends::increment);
    UnauthenticatedSockets.Admission admission = unauthenticated.admit(connection);
    if (admission instanceof UnauthenticatedSockets.Refused refused) {
      refuseExcess(connection, refused.reason(), null);
      return;
    }
    ((UnauthenticatedSockets.Admitted) admission)
        .evicted()
        .ifPresent(oldest -> refuseExcess(oldest, UnauthenticatedSockets.EVICTED, null));
    connections.opened(connection);
  }

  void received(Session session, String text) {
    Connection connection = connections.get(session.getId()).orElse(null);
    if (connection == null) {
      return;
    }
    if (!connection.allow(clock.instant())) {
      connection.send(new Error("rate-limited", "Too many messages; this one was dropped.", null));
      return;
    }
    SignalingMessage message;
    try {
      message = MessageCodec.decode(text);
    } catch (ProtocolException e) {
      if (connection.caller().isEmpty()) {
        refuse(connection, "unauthenticated", "Say hello with an access token first.");
      } else {
        connection.send(new Error(e.code(), e.getMessage(), null));
      }
      return;
    }
    try {
      dispatch(connection, message);
    } catch (CallRefusedException e) {
      connection.send(new Error(e.code(), e.getMessage(), message.type()));
    } catch (IllegalArgumentException e) {
      connection.send(new Error("invalid", e.getMessage(), message.type()));
    } catch (DirectoryUnavailableException e) {
      connection.send(
          new Error("unavailable", "The directory cannot be read now; try again.", message.type()));
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Signaling message " + message.type() + " failed", e);
      connection.send(new Error("internal", "The server could not handle this.", message.type()));
    }
  }

  void closed(Session session) {
    connections
        .closed(session.getId())
        .ifPresent(
            c -> {
              unauthenticated.release(c);
              if (c.caller().isPresent()) {
                // Calls first: once watchers see "offline", the call book knows too.
                calls.connectionClosed(c.id());
                presence.offline(c.id());
              }
            });
  }

  private void dispatch(Connection connection, SignalingMessage message) {
    if (message instanceof Hello hello) {
      authenticate(connection, hello.token());
      return;
    }
    if (connection.caller().isEmpty()) {
      refuse(connection, "unauthenticated", "Say hello with an access token first.");
      return;
    }
    if (message instanceof Ping) {
      connection.send(new Pong());
    } else if (message instanceof PresenceWatch watch) {
      presence.watch(connection, watch.users());
    } else if (message instanceof PresenceUnwatch unwatch) {
      presence.unwatch(connection, unwatch.users());
    } else if (!calls.handle(connection, message)) {
      connection.send(new Error("unknown-type", "Unknown message type.", message.type()));
    }
  }

  private void authenticate(Connection connection, String token) {
    VerifiedToken verified;
    try {
      verified = verifier.verify(token);
    } catch (InvalidTokenException e) {
      // The reason is safe to tell; the token itself is never logged.
      refuse(connection, "unauthenticated", "The access token was refused: " + e.reason() + ".");
      return;
    }
    Caller caller = verified.caller();
    if (!caller.hasRole(Roles.CALLER)) {
      connection.send(new Error("forbidden", "Your account may not make calls.", "hello"));
      connection.close(CLOSE_FORBIDDEN, "forbidden");
      return;
    }
    boolean renewal = connection.caller().isPresent();
    if (renewal && !connection.userId().equals(caller.subject())) {
      connection.send(new Error("invalid", "A connection belongs to one user.", "hello"));
      return;
    }
    connection.authenticated(caller, verified.expiresAt());
    if (!renewal) {
      unauthenticated.release(connection);
      if (!connections.authenticated(connection, config.maxConnectionsPerUser())) {
        refuseExcess(
            connection,
            "You have "
                + config.maxConnectionsPerUser()
                + " connections open already; close one and try again.",
            "hello");
        return;
      }
      presence.online(connection);
      calls.reconnected(caller.subject());
    }
    connection.send(
        new Welcome(
            caller.subject(),
            caller.username(),
            caller.displayName(),
            verified.expiresAt().toString(),
            calls.summariesOf(caller.subject())));
  }

  private void refuseExcess(Connection connection, String detail, String inReplyTo) {
    refusedSockets.increment();
    connection.send(new Error("too-many-connections", detail, inReplyTo));
    connection.close(CLOSE_TOO_MANY_CONNECTIONS, "too-many-connections");
  }

  private void refuse(Connection connection, String code, String detail) {
    connection.send(new Error(code, detail, null));
    connection.close(CLOSE_UNAUTHENTICATED, code);
  }

  private void reportFailedSends() {
    long refused = refusedSockets.sumThenReset();
    if (refused > 0) {
      LOG.log(
          Level.WARNING,
          "{0} signaling sockets were refused over a connection cap in the last minute",
          refused);
    }
    long failed = failedSends.sumThenReset();
    if (failed > 0) {
      LOG.log(
          Level.WARNING,
          "{0} signaling messages could not be delivered in the last minute",
          failed);
    }
  }

  /** Once a second: deadlines of connections and calls. */
  private void tick() {
    try {
      Instant now = clock.instant();
      Instant authDeadline = now.minus(config.authTimeout());
      Instant tokenDeadline = now.minus(tokenRules.clockSkew());
      for (Connection connection : connections.all()) {
        if (connection.caller().isEmpty()) {
          if (connection.openedAt().isBefore(authDeadline)) {
            refuse(connection, "unauthenticated", "No hello within " + config.authTimeout() + ".");
          }
        } else if (connection.expiresAt().isBefore(tokenDeadline)) {
          refuse(
              connection, "token-expired", "The access token expired; reconnect with a new one.");
        }
      }
      calls.sweep(now);
      if (++ticks % 60 == 0) {
        reportFailedSends();
      }
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Signaling ticker failed", e);
    }
  }
}
