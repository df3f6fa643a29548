package com.vclick.core.edge.connections;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Groups connections into calls. A page makes a call of the connections it holds at the same time:
 * sorted by start, a connection whose span overlaps the running span of the call before it
 * (touching counts; an open connection runs on) joins that call, otherwise it starts a new one.
 * When two enterprise users talk, each page's call holds its own end of their connection; the
 * pairing joins the two into one call, and so on across every pairing (a mesh of three pages is one
 * call).
 *
 * <p>A call's id is the id of its first connection (earliest start, then smallest id): stable while
 * the call grows, and the same whoever computes it. It changes only when a report arriving late
 * makes an even earlier connection part of the call, or splits the call.
 */
public final class CallGrouping {

  private CallGrouping() {}

  /**
   * A connection as the grouping sees it.
   *
   * @param start the earliest instant known of it
   * @param end the latest instant known once closed; null while open
   * @param peerConnectionId the other end, once paired; null before
   */
  public record Span(
      String connectionId,
      String userId,
      String pageId,
      String origin,
      Instant start,
      Instant end,
      String peerConnectionId) {

    public Span {
      Objects.requireNonNull(connectionId, "connectionId");
      Objects.requireNonNull(userId, "userId");
      Objects.requireNonNull(pageId, "pageId");
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(start, "start");
    }

    boolean isOpen() {
      return end == null;
    }
  }

  /**
   * One call.
   *
   * @param callId the id of its first connection
   * @param connections its connections, first first
   */
  public record Call(String callId, List<Span> connections) {

    public Call {
      connections = List.copyOf(connections);
    }

    /** The origin of its first connection. */
    public String origin() {
      return connections.get(0).origin();
    }

    public Instant startedAt() {
      return connections.get(0).start();
    }

    /** When its last connection closed; empty while any is open. */
    public Optional<Instant> endedAt() {
      if (connections.stream().anyMatch(Span::isOpen)) {
        return Optional.empty();
      }
      return connections.stream().map(Span::end).max(Comparator.naturalOrder());
    }
  }

  private static final Comparator<Span> FIRST_FIRST =
      Comparator.comparing(Span::start).thenComparing(Span::connectionId);

  /**
   * The calls these connections make. A pairing with a connection that is not among them is
   * ignored: give every connection of every page reachable through pairings.
   *
   * @return the calls, earliest first
   */
  public static List<Call> group(Collection<Span> spans) {
    List<Span> ordered = spans.stream().sorted(FIRST_FIRST).toList();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < ordered.size(); i++) {
      if (index.put(ordered.get(i).connectionId(), i) != null) {
        throw new IllegalArgumentException("connection twice: " + ordered.get(i).connectionId());
      }
    }
    Components components = new Components(ordered.size());
    joinOverlapsOnEachPage(ordered, components);
    for (int i = 0; i < ordered.size(); i++) {
      Integer peer =
          ordered.get(i).peerConnectionId() == null
              ? null
              : index.get(ordered.get(i).peerConnectionId());
      if (peer != null) {
        components.join(i, peer);
      }
    }
    // Spans are in order, so each component's members come in order and its first comes first.
    Map<Integer, List<Span>> calls = new LinkedHashMap<>();
    for (int i = 0; i < ordered.size(); i++) {
      calls.computeIfAbsent(components.root(i), root -> new ArrayList<>()).add(ordered.get(i));
    }
    return calls.values().stream()
        .map(members -> new Call(members.get(0).connectionId(), members))
        .toList();
  }

  private static void joinOverlapsOnEachPage(List<Span> ordered, Components components) {
    record Page(String userId, String pageId) {}
    record Running(int first, Instant end) {}
    Map<Page, Running> running = new HashMap<>();
    for (int i = 0; i < ordered.size(); i++) {
      Span span = ordered.get(i);
      Page page = new Page(span.userId(), span.pageId());
      Running call = running.get(page);
      if (call != null && (call.end() == null || !span.start().isAfter(call.end()))) {
        components.join(call.first(), i);
        Instant end =
            call.end() == null || span.isOpen()
                ? null
                : span.end().isAfter(call.end()) ? span.end() : call.end();
        running.put(page, new Running(call.first(), end));
      } else {
        running.put(page, new Running(i, span.end()));
      }
    }
  }

  /** Union-find over span indices. */
  private static final class Components {
    private final int[] parent;

    Components(int size) {
      parent = new int[size];
      for (int i = 0; i < size; i++) {
        parent[i] = i;
      }
    }

    int root(int i) {
      while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
      }
      return i;
    }

    void join(int a, int b) {
      int rootA = root(a);
      int rootB = root(b);
      if (rootA != rootB) {
        parent[Math.max(rootA, rootB)] = Math.min(rootA, rootB);
      }
    }
  }
}
