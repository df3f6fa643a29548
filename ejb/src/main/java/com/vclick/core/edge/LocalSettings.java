package com.vclick.core.edge;

import java.util.ArrayList;
import java.util.List;

/**
 * What the MAIN-world wrapper enforces inside a page besides the decision kind: which candidates
 * and addresses the page sees ({@link CandidateFilterMode}), and which devices and channels it may
 * use. Blocked devices make {@code getUserMedia}/{@code getDisplayMedia} reject with {@code
 * NotAllowedError} as a browser does when permission is refused; blocked data channels make {@code
 * createDataChannel} throw.
 *
 * @param candidateFilterMode which candidates and addresses survive
 * @param fakeLocalIp the IPv4 address shown in place of a hidden one; null or blank for {@link
 *     #DEFAULT_FAKE_LOCAL_IP}
 * @param allowedLocalRanges local addresses a page may see as they are, in modes 2 and 3 (e.g. the
 *     enterprise LAN, so that two desks can connect directly); empty (the default, also for null):
 *     none, the mode alone decides. Modes 1, 4 and relay-only ignore them (mode 1 shows every
 *     address; 4 and relay-only gather no local candidates)
 * @param blockCamera whether video capture is refused
 * @param blockMicrophone whether audio capture is refused
 * @param blockScreenCapture whether {@code getDisplayMedia} is refused
 * @param blockDataChannels whether {@code createDataChannel} is refused
 */
public record LocalSettings(
    CandidateFilterMode candidateFilterMode,
    String fakeLocalIp,
    List<AddressRange> allowedLocalRanges,
    boolean blockCamera,
    boolean blockMicrophone,
    boolean blockScreenCapture,
    boolean blockDataChannels) {

  /**
   * The default fake local IP: 192.0.2.1, from TEST-NET-1 (RFC 5737), reserved for documentation.
   * It is never assigned to a real host, so it cannot collide with a machine on the enterprise
   * network (a page's connectivity checks towards it go nowhere, unlike a made-up 10.x address that
   * may belong to a real server); it is not a private (RFC 1918) address, so a leak test sees
   * neither the user's address nor a private one; and it is easy to recognise in support logs.
   * (0.0.0.0, which browsers use for a redacted {@code raddr}, is refused as a host candidate's
   * address by some ICE stacks.)
   */
  public static final String DEFAULT_FAKE_LOCAL_IP = "192.0.2.1";

  /** At most this many allowed local ranges, to keep a decision small. */
  public static final int MAX_ALLOWED_RANGES = 64;

  /** Addresses that cannot stand for a host: "this network", loopback, multicast and above. */
  private static final List<AddressRange> UNUSABLE_FAKE_IPS =
      List.of(
          AddressRange.parse("0.0.0.0/8"),
          AddressRange.parse("127.0.0.0/8"),
          AddressRange.parse("224.0.0.0/3"));

  public LocalSettings {
    if (candidateFilterMode == null) {
      throw new PolicyValidationException(
          "candidateFilterMode", "A candidate filter mode is required.");
    }
    fakeLocalIp =
        fakeLocalIp == null || fakeLocalIp.isBlank() ? DEFAULT_FAKE_LOCAL_IP : fakeLocalIp.strip();
    if (IpLiterals.parseIpv4(fakeLocalIp) == null) {
      throw new PolicyValidationException(
          "fakeLocalIp",
          "The fake local IP must be an IPv4 address such as " + DEFAULT_FAKE_LOCAL_IP + ".");
    }
    String fake = fakeLocalIp;
    if (UNUSABLE_FAKE_IPS.stream().anyMatch(range -> range.contains(fake))) {
      throw new PolicyValidationException(
          "fakeLocalIp",
          "The fake local IP must be an ordinary unicast address (not 0.x, 127.x, multicast or"
              + " reserved), such as "
              + DEFAULT_FAKE_LOCAL_IP
              + ".");
    }
    List<AddressRange> ranges = new ArrayList<>();
    if (allowedLocalRanges != null) {
      for (int i = 0; i < allowedLocalRanges.size(); i++) {
        if (allowedLocalRanges.get(i) == null) {
          throw new PolicyValidationException(
              "allowedLocalRanges[" + i + "]", "An address range is required.");
        }
        ranges.add(allowedLocalRanges.get(i));
      }
    }
    if (ranges.size() > MAX_ALLOWED_RANGES) {
      throw new PolicyValidationException(
          "allowedLocalRanges", "At most " + MAX_ALLOWED_RANGES + " allowed local ranges.");
    }
    allowedLocalRanges = List.copyOf(ranges);
  }

  /**
   * The settings a new rule starts from: relay-only, the default fake IP, no allowed ranges,
   * nothing blocked.
   */
  public static LocalSettings defaults() {
    return new LocalSettings(
        CandidateFilterMode.RELAY_ONLY,
        DEFAULT_FAKE_LOCAL_IP,
        List.of(),
        false,
        false,
        false,
        false);
  }

  /** The most restrictive settings: relay-only and every device and data channel blocked. */
  public static LocalSettings lockedDown() {
    return new LocalSettings(
        CandidateFilterMode.RELAY_ONLY, DEFAULT_FAKE_LOCAL_IP, List.of(), true, true, true, true);
  }

  /** The same settings with another candidate filter mode. */
  public LocalSettings withCandidateFilterMode(CandidateFilterMode mode) {
    return new LocalSettings(
        mode,
        fakeLocalIp,
        allowedLocalRanges,
        blockCamera,
        blockMicrophone,
        blockScreenCapture,
        blockDataChannels);
  }

  /** Whether the local address (an IP literal) is in one of the allowed local ranges. */
  public boolean isAllowedLocalAddress(String literal) {
    return allowedLocalRanges.stream().anyMatch(range -> range.contains(literal));
  }

  /** For explanations: {@code candidate filter mode-3; blocked: camera, data channels}. */
  public String describe() {
    List<String> blocked = new ArrayList<>();
    if (blockCamera) {
      blocked.add("camera");
    }
    if (blockMicrophone) {
      blocked.add("microphone");
    }
    if (blockScreenCapture) {
      blocked.add("screen capture");
    }
    if (blockDataChannels) {
      blocked.add("data channels");
    }
    return "candidate filter "
        + candidateFilterMode.wireName()
        + (blocked.isEmpty() ? "" : "; blocked: " + String.join(", ", blocked));
  }
}
