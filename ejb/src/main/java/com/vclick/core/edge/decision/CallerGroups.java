package com.vclick.core.edge.decision;

import java.util.Optional;
import java.util.Set;

/**
 * The groups a decision is made with, from the directory (tokens carry realm roles only), and why
 * they may be incomplete.
 *
 * @param names the caller's group names
 * @param caveat a sentence for the explanation when the directory could not say (then {@code names}
 *     is empty); empty when the directory answered
 */
public record CallerGroups(Set<String> names, Optional<String> caveat) {

  public CallerGroups {
    names = Set.copyOf(names);
  }

  /** The directory listed the caller with these groups. */
  public static CallerGroups known(Set<String> names) {
    return new CallerGroups(names, Optional.empty());
  }

  /** The directory could not say; decide with no groups and tell why. */
  public static CallerGroups unknown(String caveat) {
    return new CallerGroups(Set.of(), Optional.of(caveat));
  }
}
