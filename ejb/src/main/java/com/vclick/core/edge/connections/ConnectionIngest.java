package com.vclick.core.edge.connections;

import com.vclick.core.identity.Caller;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Applies one caller's batch of validated events to the stored connections, all or nothing: first
 * every check (a connection of another user is unknown to this one; a connection stays on the page
 * it was first reported on), then the events, then pairing, then regrouping into calls. Runs with
 * reports serialised (the repository holds a lock), so what it reads is what it may change. One
 * instance per batch.
 */
final class ConnectionIngest {

  /**
   * Most connections regrouped for one batch. Pairings chain pages together (a page paired with a
   * page that is paired with a third…), and a chain of all-day pages could otherwise reach far;
   * beyond this the far end of the chain keeps its grouping, and a warning is logged.
   */
  static final int MAX_REGROUPED = 5_000;

  private static final Logger LOG = Logger.getLogger(ConnectionIngest.class.getName());

  private final ConnectionRows rows;
  private final Map<String, EdgeConnectionRow> known = new HashMap<>();

  ConnectionIngest(ConnectionRows rows) {
    this.rows = rows;
  }

  /**
   * Applies the events in order.
   *
   * @param now the server's clock, recorded as when a connection was first reported
   * @return the batch's connections that are paired (now or before), each with the connection at
   *     its other end
   * @throws InvalidReportException when a check fails; nothing was changed
   */
  Map<String, EdgeConnectionRow> apply(Caller reporter, List<ConnectionEvent> events, Instant now) {
    Set<String> ids = new LinkedHashSet<>();
    events.forEach(event -> ids.add(event.connectionId()));
    rows.withIds(ids).forEach(this::remember);
    check(reporter, events);

    Map<String, EdgeConnectionRow> batch = new LinkedHashMap<>();
    for (ConnectionEvent event : events) {
      EdgeConnectionRow row = known.get(event.connectionId());
      if (row == null) {
        row = new EdgeConnectionRow(reporter, event, now);
        rows.add(row);
        known.put(row.connectionId(), row);
      } else {
        row.apply(event);
      }
      batch.put(row.connectionId(), row);
    }
    batch.values().forEach(this::pair);
    regroup(batch.values());

    Map<String, EdgeConnectionRow> peers = new LinkedHashMap<>();
    for (EdgeConnectionRow row : batch.values()) {
      row.peerConnectionId()
          .flatMap(this::find)
          .ifPresent(peer -> peers.put(row.connectionId(), peer));
    }
    return peers;
  }

  private void check(Caller reporter, List<ConnectionEvent> events) {
    Map<String, String> pages = new HashMap<>();
    for (int i = 0; i < events.size(); i++) {
      ConnectionEvent event = events.get(i);
      EdgeConnectionRow stored = known.get(event.connectionId());
      if (stored != null && !stored.userId().equals(reporter.subject())) {
        // Says nothing more: not whose it is, nor what it is.
        throw new InvalidReportException(
            "events[" + i + "].connectionId", "Unknown connection; choose a new id.");
      }
      String page =
          pages.computeIfAbsent(
              event.connectionId(), id -> stored != null ? stored.pageId() : event.pageId());
      if (!page.equals(event.pageId())) {
        throw new InvalidReportException(
            "events[" + i + "].pageId", "The connection was reported on another page.");
      }
    }
  }

  /** Pairs a connected, unpaired connection with its other end, if that was reported already. */
  private void pair(EdgeConnectionRow row) {
    row.unpairedEnd()
        .ifPresent(
            end -> {
              Map<String, EdgeConnectionRow> candidates = new HashMap<>();
              for (EdgeConnectionRow candidate :
                  rows.unpairedWith(
                      end.remote(),
                      end.local(),
                      end.connectedAt().minus(PeerMatching.WINDOW),
                      end.connectedAt().plus(PeerMatching.WINDOW))) {
                EdgeConnectionRow live = remember(candidate);
                candidates.put(live.connectionId(), live);
              }
              PeerMatching.otherEnd(
                      end,
                      candidates.values().stream().flatMap(c -> c.unpairedEnd().stream()).toList())
                  .map(other -> candidates.get(other.connectionId()))
                  .ifPresent(
                      peer -> {
                        row.pairWith(peer);
                        peer.pairWith(row);
                        LOG.fine(
                            () ->
                                "Paired connection "
                                    + row.connectionId()
                                    + " with "
                                    + peer.connectionId());
                      });
            });
  }

  /**
   * Regroups every connection of the batch's pages and of the pages reachable from them through
   * pairings, and stores the calls they make: new calls added, changed ones rewritten, calls that
   * no longer exist (merged, or split under another first connection) removed.
   */
  private void regroup(Iterable<EdgeConnectionRow> batch) {
    record Page(String userId, String pageId) {}
    Map<String, EdgeConnectionRow> group = new LinkedHashMap<>();
    Deque<Page> queue = new ArrayDeque<>();
    Set<Page> seen = new HashSet<>();
    batch.forEach(
        row -> {
          if (seen.add(new Page(row.userId(), row.pageId()))) {
            queue.add(new Page(row.userId(), row.pageId()));
          }
        });
    while (!queue.isEmpty()) {
      if (group.size() >= MAX_REGROUPED) {
        LOG.warning(
            "Connection log: pairings chain more than "
                + MAX_REGROUPED
                + " connections; regrouped only those");
        break;
      }
      Page page = queue.poll();
      for (EdgeConnectionRow stored : rows.onPage(page.userId(), page.pageId())) {
        EdgeConnectionRow row = remember(stored);
        group.put(row.connectionId(), row);
        row.peerConnectionId()
            .flatMap(this::find)
            .ifPresent(
                peer -> {
                  group.put(peer.connectionId(), peer);
                  if (seen.add(new Page(peer.userId(), peer.pageId()))) {
                    queue.add(new Page(peer.userId(), peer.pageId()));
                  }
                });
      }
    }
    Set<String> before = new HashSet<>();
    group.values().forEach(row -> before.add(row.callId()));
    Set<String> after = new HashSet<>();
    for (CallGrouping.Call call :
        CallGrouping.group(group.values().stream().map(EdgeConnectionRow::span).toList())) {
      after.add(call.callId());
      call.connections().forEach(span -> group.get(span.connectionId()).groupInto(call.callId()));
      rows.call(call.callId())
          .ifPresentOrElse(stored -> stored.update(call), () -> rows.add(new EdgeCallRow(call)));
    }
    for (String callId : before) {
      if (!after.contains(callId)) {
        rows.call(callId).ifPresent(rows::remove);
      }
    }
  }

  private Optional<EdgeConnectionRow> find(String connectionId) {
    EdgeConnectionRow row = known.get(connectionId);
    return row != null ? Optional.of(row) : rows.withId(connectionId).map(this::remember);
  }

  /** The one object that stands for this connection during the batch. */
  private EdgeConnectionRow remember(EdgeConnectionRow row) {
    return known.computeIfAbsent(row.connectionId(), id -> row);
  }
}
