package com.vclick.core.edge.decision;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The tag of a page origin that relay credentials carry ({@code <expiry>:<userId>:<originTag>}):
 * the first 16 hex digits (64 bits) of the SHA-256 of the normalised origin's UTF-8 text, e.g.
 * {@code https://meet.example.com} → {@code b269ef44cce90c0e}. Fixed length and free of {@code :}
 * (an origin has both a scheme separator and maybe a port), so the username stays short and coturn
 * still reads the expiry before the first {@code :}. It binds, it does not hide: anyone can compute
 * it from the origin, which is how a relayed flow is matched back to its origin.
 */
public final class OriginTag {

  private OriginTag() {}

  /** The tag of a normalised origin ({@code EdgeDecision#origin()}). */
  public static String of(String origin) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(origin.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
