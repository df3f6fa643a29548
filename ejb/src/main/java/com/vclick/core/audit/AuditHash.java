package com.vclick.core.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/** The hash that links one audit entry to the previous one. */
public final class AuditHash {

  /** The "previous hash" of the very first entry. */
  public static final String GENESIS = "0".repeat(64);

  private AuditHash() {}

  /** SHA-256 (hex) over the previous hash and every field of the entry, unambiguously framed. */
  public static String of(
      String previousHash,
      long sequence,
      Instant occurredAt,
      String actor,
      String action,
      String target,
      String detail) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String part :
          new String[] {
            previousHash,
            Long.toString(sequence),
            occurredAt.toString(),
            actor,
            action,
            target,
            detail
          }) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(bytes);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
