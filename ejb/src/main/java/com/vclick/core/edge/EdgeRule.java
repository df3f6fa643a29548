package com.vclick.core.edge;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One rule of an {@link EdgePolicy}. It applies when it is enabled and every condition holds; each
 * condition is an any-of list, and an empty list holds for everyone/everything:
 *
 * <ul>
 *   <li>{@code roles}: the user has at least one of these realm roles;
 *   <li>{@code groups}: the user is in at least one of these groups;
 *   <li>{@code origins}: the page's origin matches at least one pattern;
 *   <li>{@code timeWindows}: the instant is inside at least one window.
 * </ul>
 *
 * @param id a stable id (letters, digits, {@code . _ : -}, at most 64), unique in its policy; not
 *     {@link EdgeDecision#DEFAULT_RULE_ID}
 * @param name what administrators call it, shown in explanations (at most 120 characters)
 * @param enabled whether the rule is evaluated at all
 * @param roles realm roles, any of (empty: every user)
 * @param groups groups, any of (empty: every user)
 * @param origins origin patterns, any of (empty: every origin)
 * @param timeWindows time windows, any of (empty: always)
 * @param outcome what the rule decides when it applies
 */
public record EdgeRule(
    String id,
    String name,
    boolean enabled,
    Set<String> roles,
    Set<String> groups,
    List<OriginPattern> origins,
    List<TimeWindow> timeWindows,
    EdgeOutcome outcome) {

  public static final int MAX_NAME_LENGTH = 120;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  public EdgeRule {
    if (id == null || !ID.matcher(id).matches()) {
      throw new PolicyValidationException(
          "id", "A rule id is 1 to 64 letters, digits, dots, underscores, colons or hyphens.");
    }
    if (id.equals(EdgeDecision.DEFAULT_RULE_ID)) {
      throw new PolicyValidationException(
          "id", "\"" + EdgeDecision.DEFAULT_RULE_ID + "\" is reserved for the policy's default.");
    }
    name = name == null ? "" : name.strip();
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw new PolicyValidationException(
          "name", "A rule needs a name of 1 to " + MAX_NAME_LENGTH + " characters.");
    }
    roles = names(roles, "roles");
    groups = names(groups, "groups");
    origins = elements(origins, "origins");
    timeWindows = elements(timeWindows, "timeWindows");
    if (outcome == null) {
      throw new PolicyValidationException("outcome", "A rule needs an outcome.");
    }
  }

  private static Set<String> names(Collection<String> names, String field) {
    if (names == null) {
      return Set.of();
    }
    Set<String> out = new TreeSet<>();
    for (String name : names) {
      if (name == null || name.isBlank()) {
        throw new PolicyValidationException(field, "Names in " + field + " may not be blank.");
      }
      out.add(name.strip());
    }
    return Set.copyOf(out);
  }

  private static <T> List<T> elements(List<T> list, String field) {
    if (list == null) {
      return List.of();
    }
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) == null) {
        throw new PolicyValidationException(field + "[" + i + "]", "An entry is missing.");
      }
    }
    return List.copyOf(list);
  }

  /**
   * Whether the rule applies: enabled and every condition holds. A malformed origin never matches
   * (and {@link EdgePolicy#decide} denies it before any rule is asked).
   */
  public boolean matches(EdgeSubject subject, String origin, Instant at) {
    return PageOrigin.tryParse(origin).map(o -> matches(subject, o, at)).orElse(false);
  }

  /** Whether the rule applies: enabled and every condition holds. */
  public boolean matches(EdgeSubject subject, PageOrigin origin, Instant at) {
    return enabled && mismatches(subject, origin, at).isEmpty();
  }

  /**
   * Why the conditions do not hold, one phrase per failed condition (role, group, origin, time);
   * empty when they all hold. Ignores {@link #enabled}.
   */
  public List<String> mismatches(EdgeSubject subject, PageOrigin origin, Instant at) {
    List<String> reasons = new ArrayList<>();
    if (!roles.isEmpty() && roles.stream().noneMatch(subject.realmRoles()::contains)) {
      reasons.add(
          "role not matched (needs any of: "
              + sorted(roles)
              + "; the user has: "
              + sorted(subject.realmRoles())
              + ")");
    }
    if (!groups.isEmpty() && groups.stream().noneMatch(subject.groups()::contains)) {
      reasons.add(
          "group not matched (needs any of: "
              + sorted(groups)
              + "; the user is in: "
              + sorted(subject.groups())
              + ")");
    }
    if (!origins.isEmpty() && origins.stream().noneMatch(pattern -> pattern.matches(origin))) {
      reasons.add(
          "origin not matched (needs any of: "
              + origins.stream().map(OriginPattern::toString).collect(Collectors.joining(", "))
              + ")");
    }
    if (!timeWindows.isEmpty() && timeWindows.stream().noneMatch(window -> window.contains(at))) {
      reasons.add(
          "outside its time windows ("
              + timeWindows.stream().map(TimeWindow::describe).collect(Collectors.joining(", "))
              + ")");
    }
    return reasons;
  }

  private static String sorted(Set<String> names) {
    return names.isEmpty() ? "none" : String.join(", ", new TreeSet<>(names));
  }
}
