package com.vclick.core.edge.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * RFC 8866 section 9, as strict line grammar: {@code <type>=<value>} lines in the order the RFC
 * gives, only the line types WebRTC uses (no {@code k=}), each value checked for its type, no
 * control characters, bounded lengths; {@code a=candidate} lines against {@link CandidateGrammar}.
 */
public final class SessionDescriptionGrammar {

  static final int MAX_LINE_LENGTH = 4096;
  static final int MAX_LINES = 4000;
  static final int MAX_MEDIA_SECTIONS = 64;

  /** Session-level line types in their RFC 8866 order. */
  private static final String SESSION_ORDER = "vosiuepcbtrza";

  /** Media-level line types in their order, after {@code m=}. */
  private static final String MEDIA_ORDER = "micba";

  private static final Set<Character> REPEATABLE_IN_SESSION = Set.of('e', 'p', 'b', 't', 'r', 'a');
  private static final Set<Character> REPEATABLE_IN_MEDIA = Set.of('c', 'b', 'a');

  private static final Pattern ORIGIN =
      Pattern.compile("\\S+ [0-9]{1,20} [0-9]{1,20} IN IP[46] \\S+");
  private static final Pattern CONNECTION =
      Pattern.compile("IN IP[46] [0-9A-Za-z.:\\-]{1,253}(/[0-9]{1,5}){0,2}");
  private static final Pattern BANDWIDTH =
      Pattern.compile("[!#$%&'*+\\-.0-9A-Z^_`a-z{|}~]+:[0-9]{1,10}");
  private static final Pattern TIME = Pattern.compile("[0-9]{1,20} [0-9]{1,20}");
  private static final Pattern FIELDS = Pattern.compile("[^ ]+( [^ ]+)*");
  private static final Pattern MEDIA =
      Pattern.compile(
          "[A-Za-z0-9\\-]{1,32} [0-9]{1,5}(/[0-9]{1,5})? [A-Za-z0-9\\-._]{1,32}(/[A-Za-z0-9\\-._]{1,32}){0,5}"
              + "( [!#$%&'*+\\-.0-9A-Z^_`a-z{|}~]{1,32}){1,128}");
  private static final Pattern ATTRIBUTE_NAME =
      Pattern.compile("[!#$%&'*+\\-.0-9A-Z^_`a-z{|}~]{1,64}");

  private static final Map<Character, String> NAMES =
      Map.ofEntries(
          Map.entry('v', "version"),
          Map.entry('o', "origin"),
          Map.entry('s', "session name"),
          Map.entry('i', "information"),
          Map.entry('u', "URI"),
          Map.entry('e', "email"),
          Map.entry('p', "phone"),
          Map.entry('c', "connection"),
          Map.entry('b', "bandwidth"),
          Map.entry('t', "timing"),
          Map.entry('r', "repeat"),
          Map.entry('z', "time zone"),
          Map.entry('a', "attribute"),
          Map.entry('m', "media"));

  private SessionDescriptionGrammar() {}

  /**
   * Checks the whole description and returns its lines (without line ends).
   *
   * @throws InvalidSessionDescriptionException naming the line number and the rule it breaks
   */
  public static List<String> check(String sdp) throws InvalidSessionDescriptionException {
    String body =
        sdp.endsWith("\r\n")
            ? sdp.substring(0, sdp.length() - 2)
            : sdp.endsWith("\n") ? sdp.substring(0, sdp.length() - 1) : sdp;
    String[] raw = body.split("\r?\n", -1);
    if (raw.length > MAX_LINES) {
      throw new InvalidSessionDescriptionException(
          "sdp: more than " + MAX_LINES + " lines (RFC 8866).");
    }
    List<String> lines = new ArrayList<>(raw.length);
    char previous = 0;
    boolean inMedia = false;
    int mediaSections = 0;
    for (int n = 0; n < raw.length; n++) {
      String line = raw[n];
      Where at = new Where(n + 1);
      if (line.length() > MAX_LINE_LENGTH) {
        throw at.invalid("is longer than " + MAX_LINE_LENGTH + " characters");
      }
      if (SdpText.hasControlCharacter(line)) {
        throw at.invalid("holds a control character");
      }
      if (line.length() < 2 || line.charAt(1) != '=' || !NAMES.containsKey(line.charAt(0))) {
        throw at.invalid(
            "is not <type>=<value> with a type WebRTC uses (v o s i u e p c b t r z a m)");
      }
      char type = line.charAt(0);
      String value = line.substring(2);
      if (n < 3 && type != "vos".charAt(n)) {
        throw at.invalid("must be " + "vos".charAt(n) + "= (RFC 8866 section 5: v=, o=, s= first)");
      }
      if (type == 'm') {
        inMedia = true;
        if (++mediaSections > MAX_MEDIA_SECTIONS) {
          throw at.invalid("is media section " + mediaSections + ", at most " + MAX_MEDIA_SECTIONS);
        }
        if (n == 0 || !seenTiming(lines)) {
          throw at.invalid("starts a media section before the session's v=, o=, s= and t=");
        }
      } else {
        checkOrder(at, type, previous, inMedia);
      }
      checkValue(at, type, value);
      lines.add(line);
      previous = type;
    }
    if (lines.size() < 4 || !seenTiming(lines)) {
      throw new InvalidSessionDescriptionException(
          "sdp: must start with v=, o=, s= and hold t= (RFC 8866 section 5).");
    }
    if (mediaSections == 0) {
      throw new InvalidSessionDescriptionException("sdp: has no media section (m=).");
    }
    return lines;
  }

  private static boolean seenTiming(List<String> lines) {
    return lines.stream().anyMatch(l -> l.startsWith("t="));
  }

  private static void checkOrder(Where at, char type, char previous, boolean inMedia)
      throws InvalidSessionDescriptionException {
    String order = inMedia ? MEDIA_ORDER : SESSION_ORDER;
    int rank = order.indexOf(type);
    if (rank < 0) {
      throw at.invalid(
          "(" + type + "=) is not allowed in a " + (inMedia ? "media" : "session") + " section");
    }
    if (previous == 0) {
      return; // the first line is v= (checked by the caller)
    }
    int previousRank = order.indexOf(previous);
    boolean repeat =
        type == previous && (inMedia ? REPEATABLE_IN_MEDIA : REPEATABLE_IN_SESSION).contains(type);
    boolean nextTiming = !inMedia && type == 't' && previous == 'r';
    boolean repeatAfterTiming = !inMedia && type == 'r' && (previous == 't' || previous == 'r');
    if (type == 'r' && !repeatAfterTiming) {
      throw at.invalid("(r=) must follow t=");
    }
    if (!(rank > previousRank || repeat || nextTiming)) {
      throw at.invalid(
          "(" + type + "=) is out of order after " + previous + "= (RFC 8866 section 5)");
    }
  }

  private static void checkValue(Where at, char type, String value)
      throws InvalidSessionDescriptionException {
    boolean ok =
        switch (type) {
          case 'v' -> value.equals("0");
          case 'o' -> ORIGIN.matcher(value).matches();
          case 's' -> !value.isEmpty();
          case 'c' -> CONNECTION.matcher(value).matches();
          case 'b' -> BANDWIDTH.matcher(value).matches();
          case 't' -> TIME.matcher(value).matches();
          case 'r', 'z' -> FIELDS.matcher(value).matches();
          case 'm' -> MEDIA.matcher(value).matches() && SdpText.isPort(value.split("[ /]")[1]);
          case 'a' -> isAttribute(at, value);
          default -> !value.isEmpty(); // i, u, e, p: free text without control characters
        };
    if (!ok) {
      throw at.invalid("is not a valid " + NAMES.get(type) + " line (" + type + "=)");
    }
  }

  private static boolean isAttribute(Where at, String value)
      throws InvalidSessionDescriptionException {
    int colon = value.indexOf(':');
    String name = colon < 0 ? value : value.substring(0, colon);
    if (!ATTRIBUTE_NAME.matcher(name).matches()) {
      return false;
    }
    if ("candidate".equals(name)) {
      try {
        CandidateGrammar.parse(value);
      } catch (InvalidSessionDescriptionException e) {
        throw at.invalid("a=" + e.getMessage());
      }
    }
    return true;
  }

  /** A line number, for messages. */
  private record Where(int line) {
    InvalidSessionDescriptionException invalid(String what) {
      return new InvalidSessionDescriptionException("sdp line " + line + " " + what + ".");
    }
  }
}
