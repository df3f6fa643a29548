package com.vclick.core.edge;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one parser behind {@link PageOrigin} and {@link OriginPattern}, so that a page's origin and
 * an administrator's pattern are normalised alike: scheme {@code http}/{@code https} (lower case),
 * a host, an optional port; default ports dropped; at most one trailing {@code /}; no path, query,
 * fragment or userinfo. Hosts: lower-case DNS names (labels of 1 to 63 letters, digits, {@code -}
 * and {@code _}, which browsers accept anywhere in a label), strict dotted-quad IPv4 literals (a
 * host ending in a number must be one), bracketed IPv6 literals in RFC 5952 form. Unicode names are
 * converted to punycode with {@link IDN}, except names holding one of the four IDNA deviation
 * characters (ß, ς, ZWJ, ZWNJ), which {@link IDN} (IDNA 2003) and browsers (UTS #46) convert
 * differently: they must be written as the browser shows them ({@code xn--…}).
 */
final class OriginSyntax {

  static final String ANY_PORT = "*";

  private static final int MAX_LENGTH = 2048;
  private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]*");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9_-]{1,63}");
  private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0x[0-9a-f]*");

  /**
   * The parts of an origin or pattern.
   *
   * @param scheme {@code http} or {@code https}
   * @param host the normalised host (IPv6 in brackets); for a wildcard, the part after {@code *.}
   * @param wildcardHost whether the host was {@code *.domain}
   * @param port the port, the scheme's default when absent; -1 for {@code :*}
   */
  record Parts(String scheme, String host, boolean wildcardHost, int port) {}

  private OriginSyntax() {}

  /**
   * Parses an origin ({@code patterns} false) or an origin pattern's text other than {@code *}.
   *
   * @throws PolicyValidationException for the given field
   */
  static Parts parse(String text, boolean patterns, String field) {
    if (text == null || text.isEmpty()) {
      throw new PolicyValidationException(field, "An origin is required.");
    }
    if (text.length() > MAX_LENGTH) {
      throw new PolicyValidationException(field, "The origin is too long.");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= ' ' || c == 0x7f || Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw invalid(field, text, "it contains spaces or control characters");
      }
    }
    int separator = text.indexOf("://");
    String scheme = separator < 0 ? "" : text.substring(0, separator).toLowerCase(Locale.ROOT);
    if (separator < 0 || !SCHEME.matcher(scheme).matches()) {
      throw invalid(field, text, "it is not of the form scheme://host[:port]");
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw invalid(field, text, "only http and https origins can be matched");
    }
    String authority = text.substring(separator + 3);
    if (authority.endsWith("/")) {
      authority = authority.substring(0, authority.length() - 1);
    }
    for (char forbidden : new char[] {'/', '?', '#', '@', '\\'}) {
      if (authority.indexOf(forbidden) >= 0) {
        throw invalid(field, text, "an origin has no path, query, fragment or user name");
      }
    }
    String hostText;
    String portText;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw invalid(field, text, "the IPv6 address has no closing bracket");
      }
      hostText = authority.substring(0, close + 1);
      String after = authority.substring(close + 1);
      if (!after.isEmpty() && !after.startsWith(":")) {
        throw invalid(field, text, "only a port may follow the IPv6 address");
      }
      portText = after.isEmpty() ? null : after.substring(1);
    } else {
      int colon = authority.lastIndexOf(':');
      hostText = colon < 0 ? authority : authority.substring(0, colon);
      portText = colon < 0 ? null : authority.substring(colon + 1);
    }
    int defaultPort = scheme.equals("https") ? 443 : 80;
    int port = port(portText, defaultPort, patterns, field, text);

    if (patterns && hostText.startsWith("*.")) {
      String domain = host(hostText.substring(2), field, text);
      if (domain.startsWith("[") || IpLiterals.parseIpv4(domain) != null) {
        throw invalid(field, text, "a wildcard stands for subdomains of a name, not of an address");
      }
      return new Parts(scheme, domain, true, port);
    }
    if (hostText.indexOf('*') >= 0) {
      throw invalid(
          field,
          text,
          patterns
              ? "a wildcard may only be a whole first label, as in https://*.example.com"
              : "a host has no wildcard");
    }
    return new Parts(scheme, host(hostText, field, text), false, port);
  }

  private static int port(
      String text, int defaultPort, boolean patterns, String field, String origin) {
    if (text == null) {
      return defaultPort;
    }
    if (patterns && text.equals(ANY_PORT)) {
      return -1;
    }
    if (text.isEmpty()
        || text.length() > 5
        || text.charAt(0) == '0'
        || !text.chars().allMatch(c -> c >= '0' && c <= '9')
        || Integer.parseInt(text) > 65535) {
      throw invalid(field, origin, "the port must be a number from 1 to 65535");
    }
    return Integer.parseInt(text);
  }

  /** The normalised host: lower-case ASCII name, dotted-quad IPv4 or {@code [rfc5952]} IPv6. */
  static String host(String text, String field, String origin) {
    if (text.isEmpty()) {
      throw invalid(field, origin, "the host is missing");
    }
    if (text.startsWith("[")) {
      byte[] v6 =
          text.endsWith("]") ? IpLiterals.parseIpv6(text.substring(1, text.length() - 1)) : null;
      if (v6 == null) {
        throw invalid(field, origin, "the host is not a valid IPv6 address");
      }
      return "[" + IpLiterals.format(v6) + "]";
    }
    String ascii = text;
    if (!text.chars().allMatch(c -> c < 0x80)) {
      if (text.chars().anyMatch(c -> c == 0xdf || c == 0x3c2 || c == 0x200c || c == 0x200d)) {
        throw invalid(
            field,
            origin,
            "write this international name in its xn-- form, as the browser shows it");
      }
      try {
        ascii = IDN.toASCII(text, IDN.USE_STD3_ASCII_RULES);
      } catch (IllegalArgumentException e) {
        throw invalid(field, origin, "the host is not a valid international domain name");
      }
    }
    ascii = ascii.toLowerCase(Locale.ROOT);
    if (ascii.length() > 253 || ascii.endsWith(".") || ascii.startsWith(".")) {
      throw invalid(field, origin, "the host is not a valid domain name");
    }
    String[] labels = ascii.split("\\.", -1);
    if (NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches()) {
      // Browsers read a host ending in a number as an IPv4 address; only dotted quads pass.
      if (IpLiterals.parseIpv4(ascii) == null) {
        throw invalid(field, origin, "the host is not a valid IPv4 address");
      }
      return ascii;
    }
    for (String label : labels) {
      if (!LABEL.matcher(label).matches() || label.equals("xn--")) {
        throw invalid(field, origin, "the host is not a valid domain name");
      }
    }
    return ascii;
  }

  private static PolicyValidationException invalid(String field, String origin, String why) {
    // The text may come from a page: shorten it and keep control characters out of the message.
    String shown = origin.length() > 100 ? origin.substring(0, 100) + "…" : origin;
    shown = shown.replaceAll("\\p{Cntrl}", "?");
    return new PolicyValidationException(
        field, "\"" + shown + "\" is not a valid origin: " + why + ".");
  }
}
