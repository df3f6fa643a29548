package com.vclick.core.identity.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.URI;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The realm's signing keys, fetched from its JWKS endpoint ({@code
 * .../realms/vclick/protocol/openid-connect/certs}) with Nimbus's size-limited retriever and JWK
 * parser. Nothing is fetched until the first {@link #refresh()}, which the verifier triggers for
 * the first token it sees. Thread-safe.
 */
public final class HttpJwksSource implements JwksSource {

  /** At most one fetch per interval, whatever clients send: unknown kids are free to forge. */
  static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(30);

  static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** Keycloak's key set is a few KiB; Nimbus refuses a larger answer instead of buffering it. */
  static final int MAX_JWKS_BYTES = 256 * 1024;

  /**
   * RSA keys usable for RS256 signatures: Keycloak also publishes an RSA-OAEP encryption key
   * ({@code "use": "enc"}), which must never verify; a key without a kid cannot be selected; RSA
   * keys under 2048 bits are refused (RFC 7518 section 3.3).
   */
  private static final JWKMatcher SIGNING_KEYS =
      new JWKMatcher.Builder()
          .keyType(KeyType.RSA)
          .keyUses(KeyUse.SIGNATURE, null)
          .algorithms(JWSAlgorithm.RS256, null)
          .hasKeyID(true)
          .minKeySize(2048)
          .build();

  private static final Logger LOG = Logger.getLogger(HttpJwksSource.class.getName());

  private final URI jwksUri;
  private final ResourceRetriever http;
  private final Clock clock;

  private volatile Map<String, RSAPublicKey> keys = Map.of();
  private Instant lastAttempt; // guarded by this

  public HttpJwksSource(URI jwksUri, Clock clock) {
    this(
        jwksUri,
        new DefaultResourceRetriever(
            (int) TIMEOUT.toMillis(), (int) TIMEOUT.toMillis(), MAX_JWKS_BYTES),
        clock);
  }

  public HttpJwksSource(URI jwksUri, ResourceRetriever http, Clock clock) {
    this.jwksUri = Objects.requireNonNull(jwksUri, "jwksUri");
    this.http = Objects.requireNonNull(http, "http");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Optional<RSAPublicKey> key(String kid) {
    return Optional.ofNullable(keys.get(kid));
  }

  /**
   * Fetches the key set unless a fetch was attempted less than {@link #MIN_REFRESH_INTERVAL} ago.
   * Failed attempts count too, so an unreachable Keycloak is not hammered. Synchronized so that a
   * burst of tokens with a new kid causes one fetch, not one per token. (Nimbus's own
   * RateLimitedJWKSetSource lets two fetches through per interval, on the system clock.)
   */
  @Override
  public synchronized void refresh() {
    Instant now = clock.instant();
    if (lastAttempt != null && now.isBefore(lastAttempt.plus(MIN_REFRESH_INTERVAL))) {
      return;
    }
    lastAttempt = now;
    try {
      Map<String, RSAPublicKey> fetched =
          parse(http.retrieveResource(jwksUri.toURL()).getContent());
      if (fetched.isEmpty()) {
        // A realm always has a signing key; an empty set means a broken response, not a revocation.
        LOG.warning(() -> "No RSA signing keys at " + jwksUri + "; keeping the previous key set");
        return;
      }
      keys = Map.copyOf(fetched);
    } catch (IOException | ParseException | RuntimeException e) {
      // Whatever went wrong (network, status, size, JSON), the contract is: keep the old keys, no
      // throw. One line, no stack trace: an unreachable Keycloak would otherwise flood the log.
      LOG.warning(() -> "Fetching " + jwksUri + " failed (" + e + "); keeping the previous keys");
    }
  }

  /**
   * The usable keys of a JWKS document. Each key is parsed on its own: one key Nimbus cannot parse
   * (an algorithm it does not know, a broken member) is skipped instead of failing the whole set,
   * as {@code JWKSet.parse} would.
   */
  static Map<String, RSAPublicKey> parse(String jwks) throws ParseException {
    List<Object> array = JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(jwks), "keys");
    if (array == null) {
      throw new ParseException("JWKS has no keys array", 0);
    }
    Map<String, RSAPublicKey> result = new HashMap<>();
    for (Object member : array) {
      addIfUsable(member, result);
    }
    return result;
  }

  @SuppressWarnings("unchecked")
  private static void addIfUsable(Object member, Map<String, RSAPublicKey> keys) {
    if (!(member instanceof Map<?, ?> json)) {
      return;
    }
    try {
      JWK jwk = JWK.parse((Map<String, Object>) json);
      if (SIGNING_KEYS.matches(jwk)) {
        keys.put(jwk.getKeyID(), jwk.toRSAKey().toRSAPublicKey());
      }
    } catch (ParseException | JOSEException | RuntimeException e) {
      LOG.warning(() -> "Skipping unusable JWKS key " + json.get("kid"));
    }
  }
}
