package com.vclick.core.edge;

import java.util.Objects;

/**
 * Which page origins a rule applies to. Three forms:
 *
 * <ul>
 *   <li>{@code *}: every http and https origin, any port;
 *   <li>an exact origin, {@code https://meet.example.com}, {@code http://10.0.0.5:8080}, {@code
 *       http://[::1]:3000}: that scheme, host and port only (a missing port is the scheme's
 *       default, so {@code https://a.com} and {@code https://a.com:443} are the same pattern);
 *   <li>subdomains, {@code https://*.example.com}: every name that ends in {@code .example.com}
 *       ({@code a.example.com}, {@code a.b.example.com}) but not {@code example.com} itself, nor
 *       {@code evil-example.com}, nor an IP address; same scheme, default port.
 * </ul>
 *
 * <p>A port of {@code *} ({@code https://*.example.com:*}) matches every port. The scheme is
 * required and must be http or https; a path, query, fragment or user name is refused, except a
 * single trailing {@code /}. Hosts are compared after the same normalisation a page's origin gets
 * ({@link PageOrigin}): lower case, Unicode names as punycode, IPv6 in RFC 5952 form. IP literals
 * match exactly (no ranges: use {@code *} with care).
 */
public final class OriginPattern {

  /** {@code *}: every http and https origin. */
  public static final OriginPattern ANY = new OriginPattern(null, null, false, -1);

  private final String scheme;
  private final String host;
  private final boolean subdomains;
  private final int port;

  private OriginPattern(String scheme, String host, boolean subdomains, int port) {
    this.scheme = scheme;
    this.host = host;
    this.subdomains = subdomains;
    this.port = port;
  }

  /**
   * Parses a pattern (surrounding spaces ignored).
   *
   * @throws PolicyValidationException for field {@code "origin"} when it is not one of the forms
   */
  public static OriginPattern parse(String text) {
    String trimmed = text == null ? "" : text.strip();
    if (trimmed.equals("*")) {
      return ANY;
    }
    OriginSyntax.Parts parts = OriginSyntax.parse(trimmed, true, "origin");
    return new OriginPattern(parts.scheme(), parts.host(), parts.wildcardHost(), parts.port());
  }

  /** Whether the page origin matches; a malformed or non-http(s) origin never does. */
  public boolean matches(String origin) {
    return PageOrigin.tryParse(origin).map(this::matches).orElse(false);
  }

  /** Whether the page origin matches. */
  public boolean matches(PageOrigin origin) {
    Objects.requireNonNull(origin, "origin");
    if (this == ANY) {
      return true;
    }
    if (!scheme.equals(origin.scheme()) || (port != -1 && port != origin.port())) {
      return false;
    }
    if (!subdomains) {
      return host.equals(origin.host());
    }
    return !origin.isIpLiteral() && origin.host().endsWith("." + host);
  }

  /** Whether this is {@code *}. */
  public boolean matchesEverything() {
    return this == ANY;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof OriginPattern pattern
        && Objects.equals(scheme, pattern.scheme)
        && Objects.equals(host, pattern.host)
        && subdomains == pattern.subdomains
        && port == pattern.port;
  }

  @Override
  public int hashCode() {
    return Objects.hash(scheme, host, subdomains, port);
  }

  /** The canonical text, which {@link #parse} reads back: {@code https://*.example.com:8443}. */
  @Override
  public String toString() {
    if (this == ANY) {
      return "*";
    }
    int defaultPort = scheme.equals("https") ? 443 : 80;
    String portText = port == -1 ? ":*" : port == defaultPort ? "" : ":" + port;
    return scheme + "://" + (subdomains ? "*." : "") + host + portText;
  }
}
