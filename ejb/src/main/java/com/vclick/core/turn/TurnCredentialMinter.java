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
    if (userId == null || userId.isEmpty() || userId.indexOf(':') >= 0) {
      throw new IllegalArgumentException("user id must be non-empty and without ':'");
    }
    long ttl = config.ttl().toSeconds();
    Instant expiresAt = Instant.ofEpochSecond(clock.instant().getEpochSecond() + ttl);
    String username = expiresAt.getEpochSecond() + ":" + userId;
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
