package com.vclick.core.identity.token;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The realm's signing keys, fetched from its JWKS endpoint ({@code
 * .../realms/vclick/protocol/openid-connect/certs}). Nothing is fetched until the first {@link
 * #refresh()}, which the verifier triggers for the first token it sees. Thread-safe.
 */
public final class HttpJwksSource implements JwksSource {

  /** At most one fetch per interval, whatever clients send: unknown kids are free to forge. */
  static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(30);

  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static final Logger LOG = Logger.getLogger(HttpJwksSource.class.getName());

  private final URI jwksUri;
  private final HttpClient http;
  private final Clock clock;

  private volatile Map<String, RSAPublicKey> keys = Map.of();
  private Instant lastAttempt; // guarded by this

  public HttpJwksSource(URI jwksUri, Clock clock) {
    this(jwksUri, HttpClient.newBuilder().connectTimeout(TIMEOUT).build(), clock);
  }

  public HttpJwksSource(URI jwksUri, HttpClient http, Clock clock) {
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
   * burst of tokens with a new kid causes one fetch, not one per token.
   */
  @Override
  public synchronized void refresh() {
    Instant now = clock.instant();
    if (lastAttempt != null && now.isBefore(lastAttempt.plus(MIN_REFRESH_INTERVAL))) {
      return;
    }
    lastAttempt = now;
    try {
      Map<String, RSAPublicKey> fetched = fetch();
      if (fetched.isEmpty()) {
        // A realm always has a signing key; an empty set means a broken response, not a revocation.
        LOG.warning(() -> "No RSA signing keys at " + jwksUri + "; keeping the previous key set");
        return;
      }
      keys = Map.copyOf(fetched);
    } catch (IOException | RuntimeException e) {
      // Whatever went wrong (network, status, JSON), the contract is: keep the old keys, no throw.
      // One line, no stack trace: an unreachable Keycloak would otherwise flood the log every 30 s.
      LOG.warning(() -> "Fetching " + jwksUri + " failed (" + e + "); keeping the previous keys");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Map<String, RSAPublicKey> fetch() throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(jwksUri)
            .timeout(TIMEOUT)
            .header("Accept", "application/json")
            .GET()
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("HTTP " + response.statusCode());
    }
    try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
      return parse(reader.readObject());
    }
  }

  /** The usable keys of a JWKS document; keys we cannot use are skipped, not fatal. */
  static Map<String, RSAPublicKey> parse(JsonObject jwks) {
    Map<String, RSAPublicKey> result = new HashMap<>();
    if (!(jwks.get("keys") instanceof JsonArray array)) {
      throw new JsonException("JWKS has no keys array");
    }
    for (JsonValue value : array) {
      if (value instanceof JsonObject jwk && isRsaSigningKey(jwk)) {
        toPublicKey(jwk).ifPresent(key -> result.put(jwk.getString("kid"), key));
      }
    }
    return result;
  }

  // Keycloak also publishes an RSA-OAEP encryption key ("use": "enc"); it must never verify.
  private static boolean isRsaSigningKey(JsonObject jwk) {
    return "RSA".equals(jwk.getString("kty", null))
        && (!jwk.containsKey("use") || "sig".equals(jwk.getString("use", null)))
        && jwk.getString("kid", null) != null;
  }

  private static Optional<RSAPublicKey> toPublicKey(JsonObject jwk) {
    try {
      var spec = new RSAPublicKeySpec(unsigned(jwk.getString("n")), unsigned(jwk.getString("e")));
      return Optional.of((RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(spec));
    } catch (GeneralSecurityException | RuntimeException e) {
      LOG.warning(() -> "Skipping unusable JWKS key " + jwk.getString("kid", "?"));
      return Optional.empty();
    }
  }

  private static BigInteger unsigned(String base64Url) {
    return new BigInteger(1, Base64.getUrlDecoder().decode(base64Url));
  }
}
