package com.vclick.core;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The one definition of a UUID as ids travel in Vclick's APIs: canonical form, lower case. */
public final class Uuids {

  /** A UUID (any version) in canonical lower-case form. */
  public static final Pattern LOWER_CASE =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private Uuids() {}

  /** The text in lower case when it is a UUID; empty otherwise (also for null). */
  public static Optional<String> normalise(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String lower = text.toLowerCase(Locale.ROOT);
    return LOWER_CASE.matcher(lower).matches() ? Optional.of(lower) : Optional.empty();
  }
}
