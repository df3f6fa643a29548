package com.vclick.core.edge.sdp;

import java.util.regex.Pattern;

/** Character classes of RFC 8866 section 9 shared by the line and candidate grammars. */
final class SdpText {

  /** RFC 8866 {@code token}: visible ASCII but separators. */
  static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.0-9A-Z^_`a-z{|}~]+");

  /** A run of digits. */
  static final Pattern DIGITS = Pattern.compile("[0-9]{1,20}");

  /** Visible ASCII and any non-ASCII text character, without spaces. */
  static final Pattern NON_WS = Pattern.compile("[^\\s\\p{Cntrl}]+");

  private SdpText() {}

  /**
   * Whether the text holds a control character: C0 (but horizontal tab), DEL, C1, or a lone
   * surrogate. CR and LF end lines and never reach a line's value.
   */
  static boolean hasControlCharacter(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f)) {
        return true;
      }
      if (Character.isSurrogate(c)) {
        boolean paired =
            Character.isHighSurrogate(c)
                && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1));
        if (!paired) {
          return true;
        }
        i++;
      }
    }
    return false;
  }

  /** A port number 0..65535. */
  static boolean isPort(String text) {
    return text.matches("[0-9]{1,5}") && Integer.parseInt(text) <= 65535;
  }
}
