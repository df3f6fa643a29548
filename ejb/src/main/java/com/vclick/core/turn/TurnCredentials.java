package com.vclick.core.turn;

import java.time.Instant;
import java.util.List;

/**
 * Credentials for the TURN relay, valid until {@code expiresAt}.
 *
 * @param username {@code <expiry epoch seconds>:<user id>}, or {@code <expiry>:<user id>:<origin
 *     tag>} when bound to a page origin (Secure Edge)
 * @param credential base64(HMAC-SHA1(shared secret, username))
 * @param ttlSeconds seconds from issue to expiry
 * @param expiresAt when coturn stops accepting them
 * @param uris the relay URIs to use them with
 */
public record TurnCredentials(
    String username, String credential, long ttlSeconds, Instant expiresAt, List<String> uris) {

  @Override
  public String toString() {
    return "TurnCredentials[username=" + username + ", expiresAt=" + expiresAt + "]";
  }
}
