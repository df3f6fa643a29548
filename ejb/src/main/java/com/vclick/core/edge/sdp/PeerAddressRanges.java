package com.vclick.core.edge.sdp;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Address ranges the media server must not be pointed at by a far end: the private, loopback,
 * link-local and special-purpose ranges the relay denies ({@code denied-peer-ip} of
 * scripts/coturn.sh's production mode, the same list: a test compares them), minus the exceptions
 * an operator allows ({@code vclick.media.far-end-allowed-peer-ips}, like coturn's {@code
 * allowed-peer-ip}; allowed wins over denied).
 */
public final class PeerAddressRanges {

  /** The relay's denied list, in coturn's notation. */
  public static final List<String> DENIED =
      List.of(
          "0.0.0.0-0.255.255.255",
          "10.0.0.0-10.255.255.255",
          "100.64.0.0-100.127.255.255",
          "127.0.0.0-127.255.255.255",
          "169.254.0.0-169.254.255.255",
          "172.16.0.0-172.31.255.255",
          "192.0.0.0-192.0.0.255",
          "192.0.2.0-192.0.2.255",
          "192.88.99.0-192.88.99.255",
          "192.168.0.0-192.168.255.255",
          "198.18.0.0-198.19.255.255",
          "198.51.100.0-198.51.100.255",
          "203.0.113.0-203.0.113.255",
          "240.0.0.0-255.255.255.255",
          "::1",
          "::ffff:0.0.0.0-::ffff:255.255.255.255",
          "64:ff9b::-64:ff9b::ffff:ffff",
          "64:ff9b:1::-64:ff9b:1:ffff:ffff:ffff:ffff:ffff",
          "100::-100::ffff:ffff:ffff:ffff",
          "2001::-2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff",
          "2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
          "2002::-2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
          "fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
          "fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff");

  private final List<Range> denied;
  private final List<Range> allowed;

  private PeerAddressRanges(List<Range> denied, List<Range> allowed) {
    this.denied = denied;
    this.allowed = allowed;
  }

  /**
   * The relay's denied ranges with these exceptions.
   *
   * @param allowedRanges {@code ip}, {@code ip-ip} or {@code ip/prefix} entries
   * @throws IllegalArgumentException naming an entry that is not a literal range
   */
  public static PeerAddressRanges deniedExcept(List<String> allowedRanges) {
    return new PeerAddressRanges(parseAll(DENIED), parseAll(allowedRanges));
  }

  /** Whether the media server may be pointed at this address. */
  public boolean permits(InetAddress address) {
    BigInteger value = new BigInteger(1, address.getAddress());
    int length = address.getAddress().length;
    if (allowed.stream().anyMatch(r -> r.contains(length, value))) {
      return true;
    }
    return denied.stream().noneMatch(r -> r.contains(length, value));
  }

  private static List<Range> parseAll(List<String> entries) {
    List<Range> ranges = new ArrayList<>();
    for (String entry : entries) {
      String trimmed = entry.trim();
      if (!trimmed.isEmpty()) {
        ranges.add(Range.parse(trimmed));
      }
    }
    return List.copyOf(ranges);
  }

  /** An inclusive range of one address family. */
  private record Range(int length, BigInteger first, BigInteger last) {

    boolean contains(int addressLength, BigInteger value) {
      return addressLength == length && first.compareTo(value) <= 0 && value.compareTo(last) <= 0;
    }

    static Range parse(String entry) {
      try {
        int slash = entry.indexOf('/');
        if (slash > 0) {
          byte[] base = literal(entry.substring(0, slash));
          int prefix = Integer.parseInt(entry.substring(slash + 1));
          int bits = base.length * 8;
          if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix out of range in " + entry);
          }
          BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
          BigInteger first = new BigInteger(1, base).andNot(hostMask);
          return new Range(base.length, first, first.or(hostMask));
        }
        int dash = entry.indexOf('-');
        byte[] first = literal(dash > 0 ? entry.substring(0, dash) : entry);
        byte[] last = dash > 0 ? literal(entry.substring(dash + 1)) : first;
        if (first.length != last.length) {
          throw new IllegalArgumentException("mixed address families in " + entry);
        }
        return new Range(first.length, new BigInteger(1, first), new BigInteger(1, last));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not an ip, ip-ip or ip/prefix range: " + entry, e);
      }
    }

    /** Parses an IP literal only (a dotted quad, or hex with colons): never a name lookup. */
    private static byte[] literal(String text) {
      boolean v6 = text.contains(":");
      if (!(v6 ? text.matches("[0-9A-Fa-f:.]+") : text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}"))) {
        throw new IllegalArgumentException("not an IP literal: " + text);
      }
      try {
        byte[] bytes = InetAddress.getByName(text).getAddress();
        // ::ffff:a.b.c.d parses as IPv4; keep it IPv6 so that the mapped range stays a v6 range.
        if (bytes.length == 4 && text.contains(":")) {
          byte[] mapped = new byte[16];
          mapped[10] = (byte) 0xff;
          mapped[11] = (byte) 0xff;
          System.arraycopy(bytes, 0, mapped, 12, 4);
          return mapped;
        }
        return bytes;
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an IP literal: " + text, e);
      }
    }
  }
}
