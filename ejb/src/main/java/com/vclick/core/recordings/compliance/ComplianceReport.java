package com.vclick.core.recordings.compliance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compliance view of a period: every connection under a {@code record} decision with its
 * status, the totals and the same per user and origin. {@code gap} counts the connections without a
 * complete recording (in progress ones aside); {@code unexplained} those of them nothing accounts
 * for: zero is what an audit expects.
 *
 * @param truncated more connections than {@link ComplianceRepository#MAX_CONNECTIONS} in the
 *     period: narrow it
 */
public record ComplianceReport(
    Instant from, Instant to, List<ComplianceItem> items, boolean truncated) {

  public ComplianceReport {
    items = List.copyOf(items);
  }

  /** Counts of one set of connections. */
  public record Counts(
      int connections,
      int recorded,
      int stored,
      int failed,
      int inProgress,
      int gap,
      int unexplained) {

    static Counts of(List<ComplianceItem> items) {
      Map<ComplianceStatus, Integer> by = new EnumMap<>(ComplianceStatus.class);
      int gap = 0;
      for (ComplianceItem item : items) {
        by.merge(item.status(), 1, Integer::sum);
        gap += item.status().gap() ? 1 : 0;
      }
      int recorded = by.getOrDefault(ComplianceStatus.RECORDED, 0);
      return new Counts(
          items.size(),
          recorded,
          recorded + by.getOrDefault(ComplianceStatus.INCOMPLETE, 0),
          by.getOrDefault(ComplianceStatus.FAILED, 0),
          by.getOrDefault(ComplianceStatus.IN_PROGRESS, 0),
          gap,
          by.getOrDefault(ComplianceStatus.UNEXPLAINED, 0));
    }
  }

  /** One user on one origin. */
  public record Group(
      String userId, String username, String displayName, String origin, Counts counts) {}

  public Counts totals() {
    return Counts.of(items);
  }

  /** Per user and origin, in the order first seen. */
  public List<Group> groups() {
    Map<List<String>, List<ComplianceItem>> by = new LinkedHashMap<>();
    for (ComplianceItem item : items) {
      by.computeIfAbsent(
              List.of(item.facts().userId(), item.facts().origin()), k -> new ArrayList<>())
          .add(item);
    }
    List<Group> groups = new ArrayList<>();
    for (List<ComplianceItem> group : by.values()) {
      ComplianceFacts first = group.get(0).facts();
      groups.add(
          new Group(
              first.userId(),
              first.username(),
              first.displayName(),
              first.origin(),
              Counts.of(group)));
    }
    return groups;
  }

  /** The connections that are gaps, with their explanation. */
  public List<ComplianceItem> gaps() {
    return items.stream().filter(i -> i.status().gap()).toList();
  }
}
