package com.vclick.core.edge.connections;

import com.vclick.core.identity.Caller;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Applies one caller's batch of validated events to the stored connections, all or nothing: first
 * every check (a connection of another user is unknown to this one; a connection stays on the page
 * it was first reported on), then the events, then the pairing rules ({@link PairingClaims}), then
 * regrouping into calls. Takes the lock of every page and certificate pair before reading it
 * ({@link ConnectionRows#lockPage}, {@link ConnectionRows#lockClaims}), so that what it reads is
 * what it may change. Also ends connections lost by their reporter ({@link #lose}). One instance
 * per transaction.
 */
final class ConnectionIngest {

  /**
   * Most connections regrouped for one batch. Pairings chain pages together (a page paired with a
   * page that is paired with a third…), and a chain of all-day pages could otherwise reach far;
   * beyond this the far end of the chain keeps its grouping, and a warning is logged.
   */
  static final int MAX_REGROUPED = 5_000;

  private static final Logger LOG = Logger.getLogger(ConnectionIngest.class.getName());

  /**
   * A claim that made a dispute: who made it, and how many connections it disputes now.
   *
   * @param connectionId the claim that was judged
   * @param disputed how many connections became disputed (the claim's own included)
   * @param unpaired how many pairings were undone
   */
  record Dispute(String userId, String connectionId, int disputed, int unpaired) {}

  private final ConnectionRows rows;
  private final Map<String, EdgeConnectionRow> known = new HashMap<>();
  private final List<Dispute> disputes = new ArrayList<>();

  ConnectionIngest(ConnectionRows rows) {
    this.rows = rows;
  }

  /**
   * Applies the events in order.
   *
   * @param now the server's clock, recorded as when a connection was first and last reported
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
      rows.lockPage(reporter.subject(), event.pageId());
      EdgeConnectionRow row = known.get(event.connectionId());
      if (row == null) {
        row = new EdgeConnectionRow(reporter, event, now);
        rows.add(row);
        known.put(row.connectionId(), row);
      } else {
        row.apply(event);
        row.heardAt(now);
      }
      batch.put(row.connectionId(), row);
    }
    Map<String, EdgeConnectionRow> touched = new LinkedHashMap<>(batch);
    batch.values().forEach(row -> judge(row, touched));
    regroup(touched.values());

    Map<String, EdgeConnectionRow> peers = new LinkedHashMap<>();
    for (EdgeConnectionRow row : batch.values()) {
      row.peerConnectionId()
          .flatMap(this::find)
          .ifPresent(peer -> peers.put(row.connectionId(), peer));
    }
    return peers;
  }

  /**
   * Ends as lost the open connections of one page that {@code lost} selects, and regroups their
   * calls.
   *
   * @return the connections ended
   */
  List<EdgeConnectionRow> lose(String userId, String pageId, Predicate<EdgeConnectionRow> lost) {
    rows.lockPage(userId, pageId);
    List<EdgeConnectionRow> ended = new ArrayList<>();
    for (EdgeConnectionRow stored : rows.onPage(userId, pageId)) {
      EdgeConnectionRow row = remember(stored);
      if (row.closedAt().isEmpty() && lost.test(row) && row.lose()) {
        ended.add(row);
      }
    }
    if (!ended.isEmpty()) {
      regroup(ended);
    }
    return ended;
  }

  /** The disputes the batch made, for the audit trail. */
  List<Dispute> disputes() {
    return List.copyOf(disputes);
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

  /**
   * Applies the pairing rules to a connected end of the batch: pairs it with its other end, if that
   * was reported already, or disputes every claim on its two certificates. Whatever changes goes
   * into {@code touched}, to be regrouped.
   */
  private void judge(EdgeConnectionRow row, Map<String, EdgeConnectionRow> touched) {
    Optional<PairingClaims.Claim> claim = row.claim();
    if (claim.isEmpty()) {
      return;
    }
    PairingClaims.Claim own = claim.get();
    rows.lockClaims(own.local(), own.remote());
    Map<String, EdgeConnectionRow> stored = new HashMap<>();
    for (EdgeConnectionRow candidate :
        rows.claimsOn(
            own.local(),
            own.remote(),
            own.connectedAt().minus(PeerMatching.WINDOW),
            own.connectedAt().plus(PeerMatching.WINDOW))) {
      EdgeConnectionRow live = remember(candidate);
      stored.put(live.connectionId(), live);
    }
    stored.remove(row.connectionId());
    PairingClaims.Verdict verdict =
        PairingClaims.judge(
            own, stored.values().stream().flatMap(c -> c.claim().stream()).toList());
    if (verdict instanceof PairingClaims.Pair pair) {
      EdgeConnectionRow peer = stored.get(pair.connectionId());
      row.pairWith(peer);
      peer.pairWith(row);
      touched.put(peer.connectionId(), peer);
      LOG.fine(() -> "Paired connection " + row.connectionId() + " with " + peer.connectionId());
    } else if (verdict instanceof PairingClaims.Dispute dispute) {
      dispute(row, dispute, touched);
    }
  }

  private void dispute(
      EdgeConnectionRow claimant,
      PairingClaims.Dispute dispute,
      Map<String, EdgeConnectionRow> touched) {
    int disputed = 0;
    int endsUnpaired = 0;
    Deque<EdgeConnectionRow> queue = new ArrayDeque<>();
    dispute.connectionIds().forEach(id -> find(id).ifPresent(queue::add));
    while (!queue.isEmpty()) {
      EdgeConnectionRow row = queue.poll();
      Optional<EdgeConnectionRow> peer = row.peerConnectionId().flatMap(this::find);
      if (row.pairingDisputed() && peer.isEmpty()) {
        continue;
      }
      rows.lockPage(row.userId(), row.pageId());
      disputed += row.pairingDisputed() ? 0 : 1;
      row.dispute();
      touched.put(row.connectionId(), row);
      if (peer.isPresent()) {
        // Its former other end is disputed too: one of the two was a claim nobody can tell apart.
        endsUnpaired++;
        queue.add(peer.get());
      }
    }
    if (disputed > 0) {
      disputes.add(
          new Dispute(claimant.userId(), claimant.connectionId(), disputed, endsUnpaired / 2));
      LOG.info(
          "Connection log: a pairing claim is disputed: "
              + claimant.connectionId()
              + " ("
              + disputed
              + " connection(s) disputed)");
    }
  }

  /**
   * Regroups every connection of the given connections' pages and of the pages reachable from them
   * through pairings, and stores the calls they make: new calls added, changed ones rewritten,
   * calls that no longer exist (merged, split, or under another first connection) removed.
   */
  private void regroup(Iterable<EdgeConnectionRow> changed) {
    record Page(String userId, String pageId) {}
    Map<String, EdgeConnectionRow> group = new LinkedHashMap<>();
    Deque<Page> queue = new ArrayDeque<>();
    Set<Page> seen = new HashSet<>();
    Set<String> before = new HashSet<>();
    changed.forEach(
        row -> {
          // A call a changed connection was in before: gone if it now splits another way.
          before.add(row.callId());
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
      rows.lockPage(page.userId(), page.pageId());
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
    group.values().forEach(row -> before.add(row.callId()));
    Set<String> after = new HashSet<>();
    for (CallGrouping.Call call :
        CallGrouping.group(group.values().stream().map(EdgeConnectionRow::span).toList())) {
      after.add(call.callId());
      call.connections().forEach(span -> group.get(span.connectionId()).groupInto(call.callId()));
      boolean disputed =
          call.connections().stream()
              .anyMatch(span -> group.get(span.connectionId()).pairingDisputed());
      rows.call(call.callId())
          .ifPresentOrElse(
              stored -> stored.update(call, disputed),
              () -> rows.add(new EdgeCallRow(call, disputed)));
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
