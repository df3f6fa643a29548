package com.vclick.core.edge;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which ICE candidates and addresses the MAIN-world wrapper lets a page see: the four modes of RFC
 * 8828 (WebRTC IP address handling) plus relay-only. Chromium offers the RFC modes only
 * browser-wide ({@code chrome.privacy.network.webRTCIPHandlingPolicy}: {@code default}, {@code
 * default_public_and_private_interfaces}, {@code default_public_interface_only}, {@code
 * disable_non_proxied_udp}); the wrapper applies them per origin by filtering what the page's
 * connection gathers, and cannot tell network interfaces apart, so "the default route's addresses"
 * is approximated as described on each constant.
 *
 * <p>Terms used below, applied to every address the page could see (a candidate's address, its
 * {@code raddr}, the SDP {@code c=} and {@code a=rtcp} lines, {@code getStats()}):
 *
 * <ul>
 *   <li><b>non-public</b>: inside {@link AddressRange#NON_PUBLIC} (RFC 1918, shared 100.64/10,
 *       loopback, link-local, unique-local, unspecified), or an mDNS {@code *.local} name;
 *   <li><b>hidden</b>: an address the mode does not let through; a non-public address inside the
 *       rule's {@link LocalSettings#allowedLocalRanges() allowed local ranges} is never hidden by
 *       modes 2 and 3;
 *   <li>a hidden address that stays visible in some form (a kept candidate's {@code raddr}, a
 *       {@code c=} line) is replaced by the {@link LocalSettings#fakeLocalIp() fake local IP}, with
 *       {@code rport} 0. A hidden IPv6 <em>host candidate</em> is dropped rather than rewritten
 *       (the fake address is IPv4).
 * </ul>
 *
 * <table>
 *   <caption>What survives, per mode</caption>
 *   <tr><th>mode</th><th>host</th><th>srflx</th><th>prflx</th><th>relay</th>
 *       <th>hidden addresses</th><th>{@code raddr}</th></tr>
 *   <tr><td>{@code mode-1}</td><td>yes</td><td>yes</td><td>yes</td><td>yes</td>
 *       <td>none</td><td>unchanged</td></tr>
 *   <tr><td>{@code mode-2}</td><td>yes, hidden ones rewritten to the fake IP</td><td>yes</td>
 *       <td>yes</td><td>yes</td><td>non-public outside the allowed ranges</td>
 *       <td>fake IP when hidden</td></tr>
 *   <tr><td>{@code mode-3}</td><td>only public or allowed-range addresses</td><td>yes</td>
 *       <td>yes</td><td>yes</td><td>non-public outside the allowed ranges</td>
 *       <td>fake IP when hidden</td></tr>
 *   <tr><td>{@code mode-4}</td><td>no</td><td>no</td><td>no</td><td>yes, TURN over TCP/TLS only</td>
 *       <td>every address but the relay's</td><td>always the fake IP</td></tr>
 *   <tr><td>{@code relay-only}</td><td>no</td><td>no</td><td>no</td><td>yes</td>
 *       <td>every address but the relay's</td><td>always the fake IP</td></tr>
 * </table>
 */
public enum CandidateFilterMode {
  /**
   * RFC 8828 mode 1, "enumerate all addresses": every candidate and address the browser gathers
   * reaches the page unchanged. The allowed local ranges and the fake IP play no part.
   */
  MODE_1("mode-1", EnumSet.allOf(CandidateType.class)),
  /**
   * RFC 8828 mode 2, "default route + associated local addresses": all candidate types survive; the
   * private addresses a page may see are those in the allowed local ranges (standing in for "the
   * default interface's own addresses", which a page script cannot identify). A host candidate with
   * any other non-public IPv4 address or an mDNS name keeps its place but carries the fake IP; a
   * non-public IPv6 host candidate outside the ranges is dropped; a hidden {@code raddr} becomes
   * the fake IP.
   */
  MODE_2("mode-2", EnumSet.allOf(CandidateType.class)),
  /**
   * RFC 8828 mode 3, "default route only": no private addresses. Host candidates survive only with
   * a public address (on a directly connected machine that is the default route's address, the same
   * one a STUN server reports) or one in the allowed local ranges; all others are dropped, not
   * rewritten. srflx, prflx and relay candidates survive; a hidden {@code raddr} (the private base
   * of an srflx candidate) becomes the fake IP.
   */
  MODE_3("mode-3", EnumSet.of(CandidateType.SRFLX, CandidateType.PRFLX, CandidateType.RELAY)),
  /**
   * RFC 8828 mode 4, "force proxy": no UDP except through the proxy. The wrapper forces {@code
   * iceTransportPolicy: 'relay'} and keeps only the relay's TCP and TLS URIs ({@code
   * ?transport=tcp}, {@code turns:}), so the browser sends no UDP anywhere and only relay
   * candidates exist. Every {@code raddr} (a relay candidate's {@code raddr} is the user's public
   * address as the relay saw it) becomes the fake IP.
   */
  MODE_4("mode-4", EnumSet.of(CandidateType.RELAY)),
  /**
   * Relay only: as {@link #MODE_4} but over any transport the enterprise relay offers (UDP first),
   * which is what the border firewall lets through. The mode a relay decision normally uses.
   */
  RELAY_ONLY("relay-only", EnumSet.of(CandidateType.RELAY));

  private final String wireName;
  private final Set<CandidateType> survivingTypes;

  CandidateFilterMode(String wireName, Set<CandidateType> survivingTypes) {
    this.wireName = wireName;
    this.survivingTypes = Collections.unmodifiableSet(survivingTypes);
  }

  /** The name used in JSON and in the database, e.g. {@code "mode-3"}. */
  public String wireName() {
    return wireName;
  }

  /**
   * The candidate types that can reach the page (a mode-3 host candidate also needs a public or
   * allowed-range address).
   */
  public Set<CandidateType> survivingTypes() {
    return survivingTypes;
  }

  /** Whether a candidate of that type can reach the page in this mode. */
  public boolean survives(CandidateType type) {
    return survivingTypes.contains(type);
  }

  /**
   * Whether the wrapper forces {@code iceTransportPolicy: 'relay'} (modes 4 and relay-only); the
   * modes a {@link EdgeDecisionKind#requiresRelay() relay decision} needs.
   */
  public boolean forcesRelayTransport() {
    return this == MODE_4 || this == RELAY_ONLY;
  }

  /** Whether only the relay's TCP/TLS URIs are given to the browser (mode 4). */
  public boolean relayOverTcpOnly() {
    return this == MODE_4;
  }

  /** Whether any address is hidden at all (every mode but mode 1). */
  public boolean hidesAddresses() {
    return this != MODE_1;
  }

  /**
   * Whether a host candidate with a hidden IPv4 address or mDNS name is kept with the fake IP
   * instead of being dropped (mode 2).
   */
  public boolean rewritesHiddenHostCandidates() {
    return this == MODE_2;
  }

  /**
   * Whether every {@code raddr} becomes the fake IP, not only non-public ones (modes 4 and
   * relay-only).
   */
  public boolean hidesEveryRelatedAddress() {
    return forcesRelayTransport();
  }

  /**
   * The mode with that wire name (case-insensitive).
   *
   * @throws PolicyValidationException for field {@code "candidateFilterMode"} when there is none
   */
  public static CandidateFilterMode fromWireName(String name) {
    if (name != null) {
      String wanted = name.strip().toLowerCase(Locale.ROOT);
      for (CandidateFilterMode mode : values()) {
        if (mode.wireName.equals(wanted)) {
          return mode;
        }
      }
    }
    throw new PolicyValidationException(
        "candidateFilterMode",
        "The candidate filter mode must be one of "
            + Arrays.stream(values()).map(m -> m.wireName).collect(Collectors.joining(", "))
            + ".");
  }
}
