package com.vclick.web.http;

import java.util.List;

/**
 * CSV as RFC 4180 writes it (comma-separated, CRLF line ends, a field quoted when it holds a comma,
 * a quote, CR or LF, quotes doubled) and safe to open in a spreadsheet: a text cell that starts
 * with {@code = + - @}, a tab or a CR is prefixed with {@code '} so that it is never read as a
 * formula (OWASP's CSV injection advice). Origins and names in the log are whatever pages and
 * tokens said, so every cell goes through this.
 */
public final class Csv {

  /** The media type of the exports. */
  public static final String MEDIA_TYPE = "text/csv";

  private final StringBuilder text = new StringBuilder();

  /** Appends one record. */
  public Csv row(List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        text.append(',');
      }
      text.append(cell(cells.get(i)));
    }
    text.append("\r\n");
    return this;
  }

  /** One cell, defused and quoted as needed; null is an empty cell. */
  static String cell(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    String safe = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    boolean quote =
        safe.indexOf(',') >= 0
            || safe.indexOf('"') >= 0
            || safe.indexOf('\r') >= 0
            || safe.indexOf('\n') >= 0;
    return quote ? '"' + safe.replace("\"", "\"\"") + '"' : safe;
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
