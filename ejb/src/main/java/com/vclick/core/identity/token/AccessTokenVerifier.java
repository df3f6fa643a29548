package com.vclick.core.identity.token;

import com.vclick.core.identity.Caller;
import com.vclick.core.identity.token.InvalidTokenException.Reason;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a Keycloak access token (compact JWS) the way the REST API's MP-JWT configuration does,
 * for callers that get the token outside an HTTP header. Thread-safe if the {@link JwksSource} is.
 */
public final class AccessTokenVerifier {

  /** Far above any Keycloak access token; stops a client from making us decode megabytes. */
  static final int MAX_TOKEN_LENGTH = 16 * 1024;

  private static final String ALGORITHM = "RS256";
  private static final String ACCESS_TOKEN_TYPE = "Bearer";

  private final TokenRules rules;
  private final JwksSource keys;
  private final Clock clock;

  public AccessTokenVerifier(TokenRules rules, JwksSource keys, Clock clock) {
    this.rules = Objects.requireNonNull(rules, "rules");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Verifies signature and claims and returns who the token identifies.
   *
   * @throws InvalidTokenException with a client-safe reason when the token is not acceptable
   */
  public VerifiedToken verify(String token) {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
      throw new InvalidTokenException(Reason.MALFORMED);
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new InvalidTokenException(Reason.MALFORMED);
    }
    Claims header = new Claims(parseJson(decode(parts[0])));
    // Fixed algorithm, never taken from the token: this refuses "none" and HS256-with-public-key.
    if (!header.string("alg").filter(ALGORITHM::equals).isPresent()) {
      throw new InvalidTokenException(Reason.UNSUPPORTED_ALGORITHM);
    }
    RSAPublicKey key = signingKey(header.string("kid").orElse(null));
    byte[] signedPart = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
    if (!signatureValid(key, signedPart, decode(parts[2]))) {
      throw new InvalidTokenException(Reason.BAD_SIGNATURE);
    }
    // Only now is the payload trusted enough to parse.
    Claims claims = new Claims(parseJson(decode(parts[1])));
    Instant expiresAt = checkClaims(claims);
    return new VerifiedToken(caller(claims), expiresAt);
  }

  private RSAPublicKey signingKey(String kid) {
    if (kid == null) {
      throw new InvalidTokenException(Reason.UNKNOWN_KEY);
    }
    Optional<RSAPublicKey> key = keys.key(kid);
    if (key.isEmpty()) {
      // Keycloak may have rotated keys since we last fetched; the source rate-limits this.
      keys.refresh();
      key = keys.key(kid);
    }
    return key.orElseThrow(() -> new InvalidTokenException(Reason.UNKNOWN_KEY));
  }

  private static boolean signatureValid(RSAPublicKey key, byte[] signedPart, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(key);
      verifier.update(signedPart);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      // A signature of the wrong length lands here as well as a broken key.
      return false;
    }
  }

  /** Returns the expiry once every claim rule holds. */
  private Instant checkClaims(Claims claims) {
    if (!claims.string("iss").filter(rules.issuer()::equals).isPresent()) {
      throw new InvalidTokenException(Reason.WRONG_ISSUER);
    }
    if (!claims.strings("aud").contains(rules.audience())) {
      throw new InvalidTokenException(Reason.WRONG_AUDIENCE);
    }
    Instant now = clock.instant();
    Instant latestAccepted = now.plus(rules.clockSkew());
    Instant expiresAt = claims.instant("exp").orElseThrow(() -> expired());
    if (!now.minus(rules.clockSkew()).isBefore(expiresAt)) {
      throw expired();
    }
    if (claims.instant("nbf").filter(latestAccepted::isBefore).isPresent()
        || claims.instant("iat").filter(latestAccepted::isBefore).isPresent()) {
      throw new InvalidTokenException(Reason.NOT_YET_VALID);
    }
    // Keycloak signs ID and refresh tokens with the same key; only access tokens say Bearer.
    if (claims.string("typ").filter(typ -> !ACCESS_TOKEN_TYPE.equals(typ)).isPresent()) {
      throw new InvalidTokenException(Reason.NOT_AN_ACCESS_TOKEN);
    }
    if (claims.string("sub").filter(sub -> !sub.isBlank()).isEmpty()) {
      throw new InvalidTokenException(Reason.MISSING_SUBJECT);
    }
    return expiresAt;
  }

  private static InvalidTokenException expired() {
    return new InvalidTokenException(Reason.EXPIRED);
  }

  private static Caller caller(Claims claims) {
    return Caller.fromClaims(
        claims.string("sub").orElseThrow(),
        name -> claims.string(name).orElse(""),
        claims.strings("groups"));
  }

  private static byte[] decode(String part) {
    try {
      return Base64.getUrlDecoder().decode(part);
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException(Reason.MALFORMED);
    }
  }

  private static JsonObject parseJson(byte[] json) {
    try (JsonReader reader =
        Json.createReader(new StringReader(new String(json, StandardCharsets.UTF_8)))) {
      return reader.readObject();
    } catch (JsonException | IllegalStateException e) {
      // readObject throws JsonParsingException (a JsonException) for bad JSON and for a non-object.
      throw new InvalidTokenException(Reason.MALFORMED);
    }
  }
}
