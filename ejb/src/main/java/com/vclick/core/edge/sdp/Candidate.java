package com.vclick.core.edge.sdp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The fields of a candidate the media server acts on.
 *
 * @param transport UDP, TCP, or another token, upper case
 * @param address the connection address: an IP literal or a name (mDNS {@code .local} or FQDN)
 * @param port the port
 * @param type host, srflx, prflx, relay or an extension token
 */
public record Candidate(String transport, String address, int port, String type) {

  private static final Pattern IPV4 =
      Pattern.compile(
          "(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}"
              + "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  /**
   * The address when it is an IP literal; empty for a name. Never looks a name up: only literals
   * reach {@link InetAddress#getByName}, which parses them without DNS.
   */
  public Optional<InetAddress> ipLiteral() {
    if (!IPV4.matcher(address).matches() && !IPV6.matcher(address).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(address));
    } catch (UnknownHostException e) {
      return Optional.empty(); // a malformed IPv6 literal: treated like a name, i.e. refused
    }
  }
}
