package com.vclick.core.edge.connections;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DTLS certificate fingerprint as SDP carries it ({@code a=fingerprint}, RFC 8122): a hash
 * function and the hash as colon-separated hex pairs. Normalised so that the two ends' reports of
 * one certificate compare equal whatever case each browser used: lower-case algorithm, upper-case
 * hex, one space, e.g. {@code sha-256 AB:CD:…}.
 *
 * @param algorithm the hash function, lower case ({@code sha-256})
 * @param hex the hash, upper-case hex pairs separated by {@code :}
 */
public record Fingerprint(String algorithm, String hex) {

  /** Longest text accepted; a SHA-512 fingerprint is 199 characters. */
  public static final int MAX_LENGTH = 200;

  private static final Pattern SYNTAX =
      Pattern.compile("([A-Za-z0-9-]{1,16})[ \\t]+([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})*)");

  public Fingerprint {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(hex, "hex");
    algorithm = algorithm.toLowerCase(Locale.ROOT);
    hex = hex.toUpperCase(Locale.ROOT);
  }

  /**
   * Reads {@code "sha-256 AB:CD:…"}: a hash function name, blanks, hex pairs joined by {@code :};
   * at most {@link #MAX_LENGTH} characters, surrounding blanks ignored.
   *
   * @return empty when the text is not a fingerprint
   */
  public static Optional<Fingerprint> parse(String text) {
    if (text == null || text.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    Matcher matcher = SYNTAX.matcher(text.strip());
    return matcher.matches()
        ? Optional.of(new Fingerprint(matcher.group(1), matcher.group(2)))
        : Optional.empty();
  }

  /** The normalised text, as stored and compared. */
  @Override
  public String toString() {
    return algorithm + " " + hex;
  }
}
