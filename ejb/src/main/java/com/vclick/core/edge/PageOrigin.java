package com.vclick.core.edge;

import java.util.Objects;
import java.util.Optional;

/**
 * The normalised origin of a web page: {@code http} or {@code https}, a host and a port. Built only
 * through {@link #parse}, which accepts what browsers put in {@code location.origin} and the {@code
 * Origin} header (plus one tolerated trailing {@code /}) and refuses everything else: opaque
 * origins ({@code null}), other schemes ({@code data:}, {@code file:}, {@code chrome-extension:}),
 * paths, queries, fragments and user names. The syntax is described on {@link OriginPattern}.
 *
 * @param scheme {@code http} or {@code https}
 * @param host lower-case ASCII name, dotted-quad IPv4, or RFC 5952 IPv6 in brackets
 * @param port the port, the scheme's default (80, 443) when the origin states none
 */
public record PageOrigin(String scheme, String host, int port) {

  public PageOrigin {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(host, "host");
    OriginSyntax.Parts parts =
        OriginSyntax.parse(scheme + "://" + host + ":" + port, false, "origin");
    scheme = parts.scheme();
    host = parts.host();
  }

  /**
   * Parses and normalises an origin, e.g. {@code HTTPS://Meet.Example.com:443/} → {@code
   * https://meet.example.com}.
   *
   * @throws PolicyValidationException for field {@code "origin"} when it is not an http(s) origin
   */
  public static PageOrigin parse(String text) {
    OriginSyntax.Parts parts = OriginSyntax.parse(text, false, "origin");
    return new PageOrigin(parts.scheme(), parts.host(), parts.port());
  }

  /** The origin, or empty when {@link #parse} would refuse it. */
  public static Optional<PageOrigin> tryParse(String text) {
    try {
      return Optional.of(parse(text));
    } catch (PolicyValidationException e) {
      return Optional.empty();
    }
  }

  /** Whether the host is an IP address rather than a name. */
  public boolean isIpLiteral() {
    return host.startsWith("[") || IpLiterals.parseIpv4(host) != null;
  }

  /** Whether the port is the scheme's default (80 for http, 443 for https). */
  public boolean hasDefaultPort() {
    return port == (scheme.equals("https") ? 443 : 80);
  }

  /** The serialised origin, as a browser writes it: {@code https://a.example.com:8443}. */
  @Override
  public String toString() {
    return scheme + "://" + host + (hasDefaultPort() ? "" : ":" + port);
  }
}
