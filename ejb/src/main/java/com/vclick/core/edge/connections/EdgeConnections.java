package com.vclick.core.edge.connections;

import com.vclick.core.config.EdgeConnectionsConfig;
import com.vclick.core.directory.Directory;
import com.vclick.core.directory.DirectoryEntry;
import com.vclick.core.identity.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Secure Edge connection log as a service: takes the extension's reports of peer connections
 * (validated, applied, paired, grouped into calls) and answers who is at the other end of the
 * caller's paired connections, from the directory; lists calls.
 */
@ApplicationScoped
public class EdgeConnections {

  private static final Logger LOG = Logger.getLogger(EdgeConnections.class.getName());

  /** Attempts of one report when it loses a lock conflict (a deadlock the database broke). */
  static final int ATTEMPTS = 3;

  @Inject EdgeConnectionRepository repository;
  @Inject EdgeConnectionsConfig config;
  @Inject Directory directory;
  @Inject Clock clock;

  /**
   * Applies the caller's report ({@code {"events": [...]}}): the connections are always the
   * caller's, whatever the body says.
   *
   * @throws InvalidReportException naming the field when anything of it is invalid; nothing stored
   */
  public ReportOutcome report(Caller caller, JsonObject body) {
    Instant now = clock.instant();
    List<ConnectionEvent> events = ConnectionReportJson.events(body, now);
    Map<String, Participant> peers = null;
    for (int attempt = 1; peers == null; attempt++) {
      try {
        peers = repository.report(caller, events, now.truncatedTo(ChronoUnit.MILLIS));
      } catch (RuntimeException e) {
        if (attempt >= ATTEMPTS || !LockConflicts.isConflict(e)) {
          throw e;
        }
        LOG.fine(() -> "Connection report lost a lock conflict; trying again: " + e);
      }
    }
    return new ReportOutcome(events.size(), identities(peers), config.sampleEvery());
  }

  /** The calls the query selects, newest first. */
  public List<EdgeCall> calls(EdgeCallQuery query) {
    return repository.calls(query, clock.instant().truncatedTo(ChronoUnit.MILLIS));
  }

  /**
   * The directory's identity of each peer; when the directory cannot say, what the peer's token
   * said when they reported. Read after the report is committed, so that the report lock is never
   * held while the directory is (re)loaded.
   */
  private Map<String, PeerIdentity> identities(Map<String, Participant> peers) {
    Map<String, PeerIdentity> identities = new LinkedHashMap<>();
    Map<String, Optional<DirectoryEntry>> entries = new HashMap<>();
    boolean available = true;
    for (Map.Entry<String, Participant> peer : peers.entrySet()) {
      String userId = peer.getValue().userId();
      Optional<DirectoryEntry> entry = Optional.empty();
      if (available) {
        try {
          entry = entries.computeIfAbsent(userId, directory::find);
        } catch (RuntimeException e) {
          // DirectoryUnavailableException, wrapped in an EJBException by the container.
          LOG.log(
              Level.WARNING,
              "Directory unavailable for connection peers, answering their reported names: {0}",
              e.toString());
          available = false;
        }
      }
      identities.put(
          peer.getKey(),
          entry.map(PeerIdentity::of).orElseGet(() -> PeerIdentity.of(peer.getValue())));
    }
    return identities;
  }
}
