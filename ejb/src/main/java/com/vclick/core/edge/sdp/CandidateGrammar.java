package com.vclick.core.edge.sdp;

import java.util.regex.Pattern;

/**
 * RFC 8839 section 5.1, the {@code candidate} attribute:
 *
 * <pre>
 * candidate:&lt;foundation&gt; &lt;component-id&gt; &lt;transport&gt; &lt;priority&gt;
 *     &lt;connection-address&gt; &lt;port&gt; typ &lt;cand-type&gt;
 *     [raddr &lt;connection-address&gt;] [rport &lt;port&gt;] *(&lt;extension-name&gt; &lt;extension-value&gt;)
 * </pre>
 *
 * Separators are single spaces; every field is checked; nothing is resolved (a name is kept as a
 * name, see {@link Candidate#ipLiteral()}).
 */
public final class CandidateGrammar {

  /** Longer than any real candidate (~150 characters with ufrag, network-id and cost). */
  static final int MAX_LENGTH = 1024;

  private static final String PREFIX = "candidate:";
  private static final Pattern FOUNDATION = Pattern.compile("[A-Za-z0-9+/]{1,32}");
  private static final Pattern COMPONENT = Pattern.compile("[0-9]{1,3}");
  private static final Pattern PRIORITY = Pattern.compile("[0-9]{1,10}");
  private static final Pattern CANDIDATE_TYPE = Pattern.compile("host|srflx|prflx|relay");

  /**
   * An IPv4 or IPv6 literal, or an RFC 1035 / mDNS name: letters, digits, hyphens, dots, at most
   * 253 characters.
   */
  private static final Pattern CONNECTION_ADDRESS =
      Pattern.compile(
          "[0-9A-Fa-f:.]{2,45}|(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
              + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\\.?");

  private CandidateGrammar() {}

  /**
   * Parses {@code candidate:…} (without {@code a=}).
   *
   * @throws InvalidSessionDescriptionException naming the field that breaks the grammar
   */
  public static Candidate parse(String text) throws InvalidSessionDescriptionException {
    if (text.length() > MAX_LENGTH) {
      throw invalid("longer than " + MAX_LENGTH + " characters");
    }
    if (SdpText.hasControlCharacter(text)) {
      throw invalid("holds a control character");
    }
    if (!text.startsWith(PREFIX)) {
      throw invalid("does not start with \"candidate:\"");
    }
    String[] f = text.substring(PREFIX.length()).split(" ", -1);
    if (f.length < 8) {
      throw invalid("has " + f.length + " fields, at least 8 expected");
    }
    require(FOUNDATION.matcher(f[0]).matches(), "foundation");
    require(
        COMPONENT.matcher(f[1]).matches()
            && Integer.parseInt(f[1]) >= 1
            && Integer.parseInt(f[1]) <= 256,
        "component-id");
    require(SdpText.TOKEN.matcher(f[2]).matches() && f[2].length() <= 16, "transport");
    require(PRIORITY.matcher(f[3]).matches() && Long.parseLong(f[3]) <= 0xFFFF_FFFFL, "priority");
    require(CONNECTION_ADDRESS.matcher(f[4]).matches(), "connection-address");
    require(SdpText.isPort(f[5]), "port");
    require("typ".equals(f[6]), "\"typ\"");
    require(
        CANDIDATE_TYPE.matcher(f[7]).matches()
            || (SdpText.TOKEN.matcher(f[7]).matches() && f[7].length() <= 16),
        "candidate type");
    int i = 8;
    if (i + 1 < f.length && "raddr".equals(f[i])) {
      require(CONNECTION_ADDRESS.matcher(f[i + 1]).matches(), "raddr");
      i += 2;
    }
    if (i + 1 < f.length && "rport".equals(f[i])) {
      require(SdpText.isPort(f[i + 1]), "rport");
      i += 2;
    }
    if ((f.length - i) % 2 != 0) {
      throw invalid("has an extension name without a value");
    }
    for (; i < f.length; i += 2) {
      require(SdpText.TOKEN.matcher(f[i]).matches(), "extension name");
      require(SdpText.NON_WS.matcher(f[i + 1]).matches(), "extension value");
    }
    return new Candidate(
        f[2].toUpperCase(java.util.Locale.ROOT), f[4], Integer.parseInt(f[5]), f[7]);
  }

  private static void require(boolean ok, String field) throws InvalidSessionDescriptionException {
    if (!ok) {
      throw invalid("has an invalid " + field);
    }
  }

  private static InvalidSessionDescriptionException invalid(String what) {
    return new InvalidSessionDescriptionException("candidate " + what + " (RFC 8839 section 5.1).");
  }
}
