package com.vclick.core.recordings;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Recordings for the unit tests. */
final class Recordings {

  static final RecordingParticipant ALICE =
      new RecordingParticipant("a1b2c3", "alice", "Alice Archer");
  static final RecordingParticipant BOB = new RecordingParticipant("d4e5f6", "bob", "Bob Baker");

  private Recordings() {}

  static RecordingContext context(Instant startedAt) {
    return new RecordingContext(
        "call-1",
        List.of(UUID.randomUUID().toString()),
        List.of(ALICE, BOB),
        "https://meet.example.com",
        startedAt,
        startedAt.plusSeconds(60));
  }

  /** A row as the store writes it, stored at {@code createdAt} (no file behind it). */
  static RecordingRow row(Instant createdAt) {
    String id = UUID.randomUUID().toString();
    return new RecordingRow(
        id,
        context(createdAt.minusSeconds(61)),
        new RecordingFiles.Stored(RecordingFiles.relativePath(id, createdAt), 1000, "0".repeat(64)),
        Container.MATROSKA,
        new ProbeResult(60_000L, "{\"streams\":[]}", null),
        createdAt);
  }

  /** The first bytes of a Matroska or WebM file as ffmpeg writes them. */
  static byte[] ebmlHeader(String docType) {
    byte[] type = docType.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] body = {
      0x42, (byte) 0x86, (byte) 0x81, 0x01, // EBMLVersion 1
      0x42, (byte) 0xF7, (byte) 0x81, 0x01, // EBMLReadVersion 1
      0x42, (byte) 0xF2, (byte) 0x81, 0x04, // EBMLMaxIDLength 4
      0x42, (byte) 0xF3, (byte) 0x81, 0x08, // EBMLMaxSizeLength 8
    };
    int size = body.length + 3 + type.length + 4;
    byte[] header = new byte[5 + size + 4];
    int i = 0;
    for (byte b : new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, (byte) (0x80 | size)}) {
      header[i++] = b;
    }
    System.arraycopy(body, 0, header, i, body.length);
    i += body.length;
    header[i++] = 0x42;
    header[i++] = (byte) 0x82;
    header[i++] = (byte) (0x80 | type.length);
    System.arraycopy(type, 0, header, i, type.length);
    i += type.length;
    // DocTypeVersion 4, DocTypeReadVersion 2
    for (byte b :
        new byte[] {0x42, (byte) 0x87, (byte) 0x81, 0x04, 0x42, (byte) 0x85, (byte) 0x81, 0x02}) {
      header[i++] = b;
    }
    return java.util.Arrays.copyOf(header, i);
  }
}
