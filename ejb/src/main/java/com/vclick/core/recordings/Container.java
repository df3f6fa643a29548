package com.vclick.core.recordings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The file format of a recording, from the EBML header's DocType: Matroska, or WebM (its subset
 * that browsers play natively). Anything else is not a recording this store takes.
 */
public enum Container {
  MATROSKA("matroska", "video/x-matroska"),
  WEBM("webm", "video/webm");

  /** Enough for any EBML header a muxer writes. */
  static final int HEADER_BYTES = 256;

  private static final int EBML_ID = 0x1A45DFA3;
  private static final int DOC_TYPE_ID = 0x4282;

  private final String docType;
  private final String mediaType;

  Container(String docType, String mediaType) {
    this.docType = docType;
    this.mediaType = mediaType;
  }

  /** {@code matroska} or {@code webm}, as stored and answered. */
  public String wireName() {
    return docType;
  }

  /** The HTTP media type the file is served with. */
  public String mediaType() {
    return mediaType;
  }

  public static Optional<Container> fromWireName(String name) {
    for (Container container : values()) {
      if (container.docType.equals(name)) {
        return Optional.of(container);
      }
    }
    return Optional.empty();
  }

  /** The container of a file, read from its first bytes; empty when it is neither. */
  public static Optional<Container> of(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return of(in.readNBytes(HEADER_BYTES));
    }
  }

  /** The container of a file that starts with these bytes; empty when it is neither. */
  static Optional<Container> of(byte[] head) {
    var reader = new Reader(head);
    if (reader.id() != EBML_ID) {
      return Optional.empty();
    }
    long headerSize = reader.size();
    long end = Math.min(head.length, reader.position + headerSize);
    while (reader.position < end) {
      long id = reader.id();
      long size = reader.size();
      if (id < 0 || size < 0 || reader.position + size > end) {
        return Optional.empty();
      }
      if (id == DOC_TYPE_ID) {
        String docType =
            new String(head, reader.position, (int) size, StandardCharsets.US_ASCII)
                .replace("\0", "");
        return fromWireName(docType);
      }
      reader.position += (int) size;
    }
    return Optional.empty();
  }

  /** Reads EBML variable-length integers: element ids (marker kept) and sizes (marker dropped). */
  private static final class Reader {
    private final byte[] bytes;
    private int position;

    Reader(byte[] bytes) {
      this.bytes = bytes;
    }

    long id() {
      return vint(true);
    }

    long size() {
      return vint(false);
    }

    private long vint(boolean keepMarker) {
      if (position >= bytes.length) {
        return -1;
      }
      int first = bytes[position] & 0xFF;
      int length = Integer.numberOfLeadingZeros(first) - 23;
      if (first == 0 || length > 8 || position + length > bytes.length) {
        return -1;
      }
      long value = keepMarker ? first : first & (0xFF >> length);
      for (int i = 1; i < length; i++) {
        value = (value << 8) | (bytes[position + i] & 0xFF);
      }
      position += length;
      return value;
    }
  }
}
