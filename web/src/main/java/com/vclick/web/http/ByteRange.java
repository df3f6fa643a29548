package com.vclick.web.http;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of a file, as a {@code Range: bytes=…} request header asks for it (RFC 9110
 * §14.1.2): {@code bytes=500-999}, {@code bytes=500-} (to the end), {@code bytes=-500} (the last
 * 500). A header this does not understand — another unit, several ranges, bad syntax — is ignored
 * as RFC 9110 allows (the whole file is sent); a range that starts beyond the end is unsatisfiable
 * (416).
 *
 * @param first the first byte, from 0
 * @param last the last byte, included
 */
public record ByteRange(long first, long last) {

  private static final Pattern SINGLE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

  /** What a Range header asks of a file of {@code size} bytes. */
  public sealed interface Request permits Whole, Part, Unsatisfiable {}

  /** The whole file: no Range header, or one to ignore. */
  public record Whole() implements Request {}

  /** One range of it (206). */
  public record Part(ByteRange range) implements Request {}

  /** Nothing of it (416 with {@code Content-Range: bytes *}{@code /size}). */
  public record Unsatisfiable() implements Request {}

  public ByteRange {
    if (first < 0 || last < first) {
      throw new IllegalArgumentException("a range runs from its first to its last byte");
    }
  }

  /** How many bytes it holds. */
  public long length() {
    return last - first + 1;
  }

  /** The {@code Content-Range} value for a file of {@code size} bytes. */
  public String contentRange(long size) {
    return "bytes " + first + "-" + last + "/" + size;
  }

  /** {@code bytes 0-1023}, for the audit trail. */
  @Override
  public String toString() {
    return "bytes " + first + "-" + last;
  }

  /** Reads a Range header (null when absent) against a file of {@code size} bytes. */
  public static Request parse(String header, long size) {
    if (header == null) {
      return new Whole();
    }
    Matcher matcher = SINGLE.matcher(header.strip());
    if (!matcher.matches() || (matcher.group(1).isEmpty() && matcher.group(2).isEmpty())) {
      return new Whole();
    }
    Optional<Long> first = number(matcher.group(1));
    Optional<Long> last = number(matcher.group(2));
    if (first.isEmpty()) {
      long suffix = last.get();
      if (suffix == 0 || size == 0) {
        return new Unsatisfiable();
      }
      return new Part(new ByteRange(Math.max(0, size - suffix), size - 1));
    }
    if (last.isPresent() && last.get() < first.get()) {
      return new Whole();
    }
    if (first.get() >= size) {
      return new Unsatisfiable();
    }
    long end = last.map(l -> Math.min(l, size - 1)).orElse(size - 1);
    return new Part(new ByteRange(first.get(), end));
  }

  private static Optional<Long> number(String digits) {
    return digits.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(digits));
  }
}
