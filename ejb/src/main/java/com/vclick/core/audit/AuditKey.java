package com.vclick.core.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that seals the audit trail ({@code VCLICK_AUDIT_KEY}, from the environment only, never in
 * the database): each entry carries HMAC-SHA256(key, its hash), and the chain's start (after an
 * archive cut) is sealed the same way. Someone who can write the database but lacks the key can
 * still rewrite rows and recompute the plain SHA-256 chain, but not the seals.
 */
public final class AuditKey {

  /** Shorter keys are typos or placeholders; {@code ./vclick} generates 43 characters. */
  public static final int MIN_LENGTH = 32;

  private static final String HMAC = "HmacSHA256";
  private static final AuditKey NONE = new AuditKey(null);

  private final SecretKeySpec key;

  private AuditKey(SecretKeySpec key) {
    this.key = key;
  }

  /** No key: the trail is chained, not sealed (development without {@code ./vclick}). */
  public static AuditKey none() {
    return NONE;
  }

  /**
   * The key from its configured text; empty or absent text means none.
   *
   * @throws IllegalArgumentException when the text is shorter than {@link #MIN_LENGTH}
   */
  public static AuditKey of(Optional<String> text) {
    if (text.isEmpty() || text.get().isEmpty()) {
      return NONE;
    }
    if (text.get().length() < MIN_LENGTH) {
      throw new IllegalArgumentException(
          "VCLICK_AUDIT_KEY must be at least " + MIN_LENGTH + " characters");
    }
    return new AuditKey(new SecretKeySpec(text.get().getBytes(StandardCharsets.UTF_8), HMAC));
  }

  public boolean present() {
    return key != null;
  }

  /** The seal of an entry, over its hash (which covers its sequence, content and predecessor). */
  String sealEntry(String hash) {
    return mac("entry\n" + hash);
  }

  /**
   * The seal of the chain's start: where it begins, what precedes it, and since when it is sealed.
   */
  String sealStart(long firstSequence, String firstPreviousHash, long sealedFrom) {
    return mac("start\n" + firstSequence + "\n" + firstPreviousHash + "\n" + sealedFrom);
  }

  /** The seal of an archive file's end (the head the archive stops at). */
  String sealArchiveEnd(long lastSequence, String lastHash) {
    return mac("archive-end\n" + lastSequence + "\n" + lastHash);
  }

  /** The seal of a checkpoint of the chain's head, kept outside the database. */
  String sealCheckpoint(long lastSequence, String lastHash) {
    return mac("checkpoint\n" + lastSequence + "\n" + lastHash);
  }

  private String mac(String message) {
    if (key == null) {
      throw new IllegalStateException("no audit key");
    }
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  @Override
  public String toString() {
    return present() ? "AuditKey[***]" : "AuditKey[none]";
  }
}
