package com.vclick.core.identity.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.vclick.core.identity.Caller;
import com.vclick.core.identity.token.InvalidTokenException.Reason;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a Keycloak access token (compact JWS) the way the REST API's MP-JWT configuration does,
 * for callers that get the token outside an HTTP header. Parsing and the RS256 signature are Nimbus
 * JOSE+JWT's; what a token must state ({@link TokenRules}, token type, subject) is ours.
 * Thread-safe if the {@link JwksSource} is.
 */
public final class AccessTokenVerifier {

  /** Far above any Keycloak access token; stops a client from making us decode megabytes. */
  static final int MAX_TOKEN_LENGTH = 16 * 1024;

  /** Pinned, never taken from the token: this refuses "none" and HS256-with-the-public-key. */
  private static final JWSAlgorithm ALGORITHM = JWSAlgorithm.RS256;

  private static final String ACCESS_TOKEN_TYPE = "Bearer";

  /** The claims {@link Caller#fromClaims} reads. */
  private static final List<String> NAME_CLAIMS =
      List.of("preferred_username", "name", "given_name", "family_name", "email", "phone_number");

  /**
   * The base64url alphabet without padding (RFC 7515 section 2). Nimbus decodes leniently, skipping
   * foreign characters; a token carrying any is refused whole instead.
   */
  private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");

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
      throw malformed();
    }
    SignedJWT jwt = parseRs256(token);
    RSAPublicKey key = signingKey(jwt.getHeader().getKeyID());
    if (!signatureValid(jwt, key)) {
      throw new InvalidTokenException(Reason.BAD_SIGNATURE);
    }
    // Only now is the payload trusted enough to parse.
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw malformed();
    }
    return checked(claims);
  }

  /** The compact JWS, once its header names RS256; anything else is refused before any key use. */
  private static SignedJWT parseRs256(String token) {
    try {
      Base64URL[] parts = JOSEObject.split(token);
      if (parts.length != 3) {
        throw malformed(); // five parts: a JWE, which we never accept
      }
      for (Base64URL part : parts) {
        if (!BASE64URL.matcher(part.toString()).matches()) {
          throw malformed();
        }
      }
      String alg =
          JSONObjectUtils.getString(JSONObjectUtils.parse(parts[0].decodeToString()), "alg");
      if (!ALGORITHM.getName().equals(alg)) {
        throw new InvalidTokenException(Reason.UNSUPPORTED_ALGORITHM);
      }
      if (parts[2].toString().isEmpty()) {
        throw new InvalidTokenException(Reason.BAD_SIGNATURE); // an unsigned RS256 token
      }
      return new SignedJWT(parts[0], parts[1], parts[2]);
    } catch (ParseException e) {
      throw malformed();
    }
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

  /**
   * Nimbus also refuses a header with {@code crit} parameters it does not understand (RFC 7515
   * section 4.1.11), and a signature of the wrong length.
   */
  private static boolean signatureValid(SignedJWT jwt, RSAPublicKey key) {
    try {
      return jwt.verify(new RSASSAVerifier(key));
    } catch (JOSEException | IllegalStateException e) {
      return false;
    }
  }

  /** The verified token once every claim rule holds. */
  private VerifiedToken checked(JWTClaimsSet claims) {
    try {
      if (!rules.issuer().equals(claims.getIssuer())) {
        throw new InvalidTokenException(Reason.WRONG_ISSUER);
      }
      if (!claims.getAudience().contains(rules.audience())) {
        throw new InvalidTokenException(Reason.WRONG_AUDIENCE);
      }
      Instant now = clock.instant();
      Instant latestAccepted = now.plus(rules.clockSkew());
      Instant expiresAt = instant(claims.getExpirationTime()).orElseThrow(() -> expired());
      if (!now.minus(rules.clockSkew()).isBefore(expiresAt)) {
        throw expired();
      }
      if (instant(claims.getNotBeforeTime()).filter(latestAccepted::isBefore).isPresent()
          || instant(claims.getIssueTime()).filter(latestAccepted::isBefore).isPresent()) {
        throw new InvalidTokenException(Reason.NOT_YET_VALID);
      }
      // Keycloak signs ID and refresh tokens with the same key; only access tokens say Bearer.
      String type = claims.getStringClaim("typ");
      if (type != null && !ACCESS_TOKEN_TYPE.equals(type)) {
        throw new InvalidTokenException(Reason.NOT_AN_ACCESS_TOKEN);
      }
      String subject = claims.getSubject();
      if (subject == null || subject.isBlank()) {
        throw new InvalidTokenException(Reason.MISSING_SUBJECT);
      }
      return new VerifiedToken(caller(subject, claims), expiresAt);
    } catch (ParseException e) {
      // A claim of the wrong JSON type is malformed, not absent: a mistyped exp skips nothing.
      throw malformed();
    }
  }

  private static Caller caller(String subject, JWTClaimsSet claims) throws ParseException {
    List<String> groups = claims.getStringListClaim("groups");
    Map<String, String> names = new HashMap<>();
    for (String name : NAME_CLAIMS) {
      String value = claims.getStringClaim(name); // throws for a mistyped claim
      names.put(name, value == null ? "" : value);
    }
    return Caller.fromClaims(
        subject,
        name -> names.getOrDefault(name, ""),
        groups == null ? Set.of() : Set.copyOf(groups));
  }

  /** A NumericDate; Nimbus keeps whole seconds, as the JWT says them. */
  private static Optional<Instant> instant(Date date) {
    return Optional.ofNullable(date).map(Date::toInstant);
  }

  private static InvalidTokenException expired() {
    return new InvalidTokenException(Reason.EXPIRED);
  }

  private static InvalidTokenException malformed() {
    return new InvalidTokenException(Reason.MALFORMED);
  }
}
