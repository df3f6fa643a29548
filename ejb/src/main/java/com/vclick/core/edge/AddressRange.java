package com.vclick.core.edge;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * A block of IPv4 or IPv6 addresses in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}); a bare
 * address is a one-address range ({@code /32}, {@code /128}). Only literals are accepted: nothing
 * here resolves a name. IPv4 and IPv6 are separate: {@code ::/0} holds no IPv4 address and {@code
 * 0.0.0.0/0} no IPv6 one. An IPv4-mapped IPv6 address ({@code ::ffff:10.0.0.1}) is the IPv4 address
 * it carries, as in {@code java.net}, both as an address and as a range ({@code
 * ::ffff:10.0.0.0/104} is {@code 10.0.0.0/8}).
 */
public final class AddressRange {

  /**
   * Addresses that are not public: what the candidate filter hides ({@link CandidateFilterMode}).
   * Unspecified/"this network" 0.0.0.0/8, RFC 1918 private, shared (CGNAT) 100.64.0.0/10, loopback,
   * link-local, and in IPv6 the unspecified address, loopback, unique-local fc00::/7 and link-local
   * fe80::/10.
   */
  public static final List<AddressRange> NON_PUBLIC =
      List.of(
          parse("0.0.0.0/8"),
          parse("10.0.0.0/8"),
          parse("100.64.0.0/10"),
          parse("127.0.0.0/8"),
          parse("169.254.0.0/16"),
          parse("172.16.0.0/12"),
          parse("192.168.0.0/16"),
          parse("::/128"),
          parse("::1/128"),
          parse("fc00::/7"),
          parse("fe80::/10"));

  private final byte[] network;
  private final int prefixLength;

  private AddressRange(byte[] network, int prefixLength) {
    this.network = network;
    this.prefixLength = prefixLength;
  }

  /**
   * Parses {@code address/prefix} or a bare address. The address must be the network's first
   * address: {@code 10.1.2.3/8} is refused (it usually means a typo) with the range it would be.
   *
   * @throws PolicyValidationException for field {@code "range"}
   */
  public static AddressRange parse(String text) {
    if (text == null || text.isBlank()) {
      throw invalid("An address range is required, e.g. 10.0.0.0/8 or fd00::/8.");
    }
    String trimmed = text.strip();
    int slash = trimmed.indexOf('/');
    String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
    byte[] address = IpLiterals.parse(addressText);
    if (address == null) {
      throw invalid(
          "\""
              + trimmed
              + "\" is not an IP address range: write an IPv4 or IPv6 address, a slash and a"
              + " prefix length, e.g. 10.0.0.0/8 (host names are not accepted).");
    }
    int maxPrefix = address.length * 8;
    int prefix = slash < 0 ? maxPrefix : prefixLength(trimmed.substring(slash + 1), maxPrefix);
    if (prefix < 0) {
      throw invalid(
          "The prefix length of \"" + trimmed + "\" must be a number from 0 to " + maxPrefix + ".");
    }
    byte[] masked = mask(address, prefix);
    if (!Arrays.equals(masked, address)) {
      throw invalid(
          "\""
              + trimmed
              + "\" has bits set after the prefix; the range is "
              + IpLiterals.format(masked)
              + "/"
              + prefix
              + ".");
    }
    if (masked.length == 16 && prefix >= 96 && unmapIpv4(masked).length == 4) {
      return new AddressRange(unmapIpv4(masked), prefix - 96); // ::ffff:10.0.0.0/104 is 10.0.0.0/8
    }
    return new AddressRange(masked, prefix);
  }

  private static PolicyValidationException invalid(String message) {
    return new PolicyValidationException("range", message);
  }

  private static int prefixLength(String text, int max) {
    if (text.isEmpty() || text.length() > 3 || (text.length() > 1 && text.charAt(0) == '0')) {
      return -1;
    }
    int value = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value <= max ? value : -1;
  }

  private static byte[] mask(byte[] address, int prefix) {
    byte[] out = address.clone();
    for (int bit = prefix; bit < out.length * 8; bit++) {
      out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return out;
  }

  /** Whether the address is in this range; false for null. */
  public boolean contains(InetAddress address) {
    return address != null && containsBytes(address.getAddress());
  }

  /**
   * Whether the IP literal (no brackets, no zone id) is in this range; false for anything that is
   * not a literal, host names included (never resolved).
   */
  public boolean contains(String literal) {
    return containsBytes(IpLiterals.parse(literal));
  }

  private boolean containsBytes(byte[] address) {
    if (address == null) {
      return false;
    }
    byte[] candidate = unmapIpv4(address);
    return candidate.length == network.length
        && Arrays.equals(mask(candidate, prefixLength), network);
  }

  private static byte[] unmapIpv4(byte[] address) {
    if (address.length != 16) {
      return address;
    }
    for (int i = 0; i < 10; i++) {
      if (address[i] != 0) {
        return address;
      }
    }
    if (address[10] != (byte) 0xff || address[11] != (byte) 0xff) {
      return address;
    }
    return Arrays.copyOfRange(address, 12, 16);
  }

  /** Whether the literal is in {@link #NON_PUBLIC}; true for anything that is not a literal. */
  public static boolean isNonPublic(String literal) {
    if (IpLiterals.parse(literal) == null) {
      return true;
    }
    return NON_PUBLIC.stream().anyMatch(range -> range.contains(literal));
  }

  /** Whether this is an IPv4 range. */
  public boolean isIpv4() {
    return network.length == 4;
  }

  /** The number of leading bits that are fixed, 0 to 32 (IPv4) or 128 (IPv6). */
  public int prefixLength() {
    return prefixLength;
  }

  /** The first address of the range, canonical text. */
  public String networkAddress() {
    return IpLiterals.format(network);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AddressRange range
        && prefixLength == range.prefixLength
        && Arrays.equals(network, range.network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefixLength;
  }

  /** Canonical CIDR text, e.g. {@code 10.0.0.0/8}, {@code fd00::/8}; what {@link #parse} reads. */
  @Override
  public String toString() {
    return networkAddress() + "/" + prefixLength;
  }
}
