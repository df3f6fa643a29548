package com.vclick.core.turn;

import com.vclick.core.config.TurnConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Mints TURN REST API credentials from the shared secret; pure logic, no I/O. */
public final class TurnCredentialMinter {

  private static final String HMAC = "HmacSHA1";

  private final TurnConfig config;
  private final Clock clock;

  public TurnCredentialMinter(TurnConfig config, Clock clock) {
    if (!config.hasSecret()) {
      throw new IllegalStateException("VCLICK_TURN_SECRET is not set: no relay credentials");
    }
    this.config = config;
    this.clock = clock;
  }

  /**
   * Mints credentials for one user.
   *
   * @param userId the user's stable id; must not contain ':' (the username separator)
   */
  public TurnCredentials mint(String userId) {
    return mintFor(part(userId, "user id"));
  }

  /**
   * Mints credentials bound to one user and one page origin: username {@code
   * <expiry>:<userId>:<originTag>}. coturn reads the expiry from the digits before the first ':'
   * and checks the HMAC over the whole username, so the binding cannot be altered without
   * invalidating the credential.
   *
   * @param userId the user's stable id; must not contain ':'
   * @param originTag a short tag of the page origin; must not contain ':'
   */
  public TurnCredentials mint(String userId, String originTag) {
    return mintFor(part(userId, "user id") + ":" + part(originTag, "origin tag"));
  }

  private static String part(String value, String what) {
    if (value == null || value.isEmpty() || value.indexOf(':') >= 0) {
      throw new IllegalArgumentException(what + " must be non-empty and without ':'");
    }
    return value;
  }

  private TurnCredentials mintFor(String subject) {
    long ttl = config.ttl().toSeconds();
    Instant expiresAt = Instant.ofEpochSecond(clock.instant().getEpochSecond() + ttl);
    String username = expiresAt.getEpochSecond() + ":" + subject;
    return new TurnCredentials(
        username, sign(config.secret(), username), ttl, expiresAt, config.uris());
  }

  static String sign(String secret, String username) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC));
      byte[] digest = mac.doFinal(username.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA1 unavailable", e);
    }
  }
}
