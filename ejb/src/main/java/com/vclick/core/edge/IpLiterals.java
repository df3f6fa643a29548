package com.vclick.core.edge;

import java.util.Arrays;

/**
 * Strict parsing and canonical formatting of IP address literals, by hand so that nothing ever
 * reaches a resolver ({@code InetAddress.getByName} on a name does DNS). IPv4 only as four decimal
 * parts without leading zeros (no {@code 010.1}, no {@code 0x7f.1}: browsers and {@code inet_aton}
 * disagree on them); IPv6 without zone ids; IPv6 formatted as RFC 5952 says (lower case, the
 * longest run of two or more zero groups as {@code ::}), which is also how browsers serialise it in
 * origins.
 */
final class IpLiterals {

  private static final int MAX_IPV6_TEXT = 45; // ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255

  private IpLiterals() {}

  /** The 4 or 16 bytes of an IPv4 or IPv6 literal, or null when it is neither. */
  static byte[] parse(String text) {
    if (text == null) {
      return null;
    }
    return text.indexOf(':') >= 0 ? parseIpv6(text) : parseIpv4(text);
  }

  /** The 4 bytes of a strict dotted-quad IPv4 literal, or null. */
  static byte[] parseIpv4(String text) {
    if (text == null || text.isEmpty() || text.length() > 15) {
      return null;
    }
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      int value = decimalOctet(parts[i]);
      if (value < 0) {
        return null;
      }
      bytes[i] = (byte) value;
    }
    return bytes;
  }

  private static int decimalOctet(String part) {
    if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
      return -1;
    }
    int value = 0;
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value <= 255 ? value : -1;
  }

  /** The 16 bytes of an IPv6 literal (no brackets, no zone id), or null. */
  static byte[] parseIpv6(String text) {
    if (text == null || text.length() < 2 || text.length() > MAX_IPV6_TEXT) {
      return null;
    }
    int doubleColon = text.indexOf("::");
    if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
      return null;
    }
    String head = doubleColon >= 0 ? text.substring(0, doubleColon) : text;
    String tail = doubleColon >= 0 ? text.substring(doubleColon + 2) : "";
    int[] headGroups = groups(head, doubleColon < 0 || tail.isEmpty());
    int[] tailGroups = doubleColon >= 0 ? groups(tail, true) : new int[0];
    if (headGroups == null || tailGroups == null) {
      return null;
    }
    if (doubleColon >= 0 && head.contains(".")) {
      return null; // an embedded IPv4 address may only come last
    }
    int count = headGroups.length + tailGroups.length;
    if (doubleColon < 0 ? count != 8 : count > 7) {
      return null;
    }
    byte[] bytes = new byte[16];
    for (int i = 0; i < headGroups.length; i++) {
      put(bytes, i, headGroups[i]);
    }
    for (int i = 0; i < tailGroups.length; i++) {
      put(bytes, 8 - tailGroups.length + i, tailGroups[i]);
    }
    return bytes;
  }

  private static void put(byte[] bytes, int group, int value) {
    bytes[group * 2] = (byte) (value >>> 8);
    bytes[group * 2 + 1] = (byte) value;
  }

  /**
   * The 16-bit groups of a colon-separated run; the last part may be a dotted IPv4 address (two
   * groups) when {@code last}. An empty run has no groups; null when malformed.
   */
  private static int[] groups(String run, boolean last) {
    if (run.isEmpty()) {
      return new int[0];
    }
    String[] parts = run.split(":", -1);
    int[] out = new int[parts.length + 1];
    int n = 0;
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (last && i == parts.length - 1 && part.indexOf('.') >= 0) {
        byte[] v4 = parseIpv4(part);
        if (v4 == null) {
          return null;
        }
        out[n++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
        out[n++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
        continue;
      }
      if (part.isEmpty() || part.length() > 4) {
        return null;
      }
      int value = 0;
      for (int j = 0; j < part.length(); j++) {
        int digit = Character.digit(part.charAt(j), 16);
        if (digit < 0 || part.charAt(j) > 'f') {
          return null;
        }
        value = value * 16 + digit;
      }
      out[n++] = value;
    }
    return Arrays.copyOf(out, n);
  }

  /** Dotted quad for 4 bytes, RFC 5952 text for 16. */
  static String format(byte[] bytes) {
    if (bytes.length == 4) {
      return (bytes[0] & 0xff)
          + "."
          + (bytes[1] & 0xff)
          + "."
          + (bytes[2] & 0xff)
          + "."
          + (bytes[3] & 0xff);
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((bytes[i * 2] & 0xff) << 8) | (bytes[i * 2 + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1; // a single zero group is not compressed (RFC 5952 4.2.2)
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
  }
}
