package com.vclick.core.identity.token;

import static com.vclick.core.identity.token.TestKeys.b64;
import static com.vclick.core.identity.token.TestKeys.rs256Header;
import static com.vclick.core.identity.token.TestKeys.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.vclick.core.identity.Caller;
import com.vclick.core.identity.token.InvalidTokenException.Reason;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class AccessTokenVerifierTest {

  private static final String ISSUER = "https://id.vclick.test/realms/vclick";
  private static final String AUDIENCE = "vclick-api";
  private static final String KID = "key-1";
  private static final String SUB = "6f1c2a9e-0000-4000-8000-000000000001";
  private static final Duration SKEW = Duration.ofSeconds(30);
  private static final Instant NOW = Instant.ofEpochSecond(1_764_000_000L);
  private static final KeyPair KEYS = TestKeys.rsaKeyPair();
  private static final KeyPair OTHER_KEYS = TestKeys.rsaKeyPair();

  private final TestKeys.FakeJwks jwks = new TestKeys.FakeJwks();
  private final AccessTokenVerifier verifier =
      new AccessTokenVerifier(
          new TokenRules(ISSUER, AUDIENCE, SKEW), jwks, Clock.fixed(NOW, ZoneOffset.UTC));

  AccessTokenVerifierTest() {
    jwks.current.put(KID, (RSAPublicKey) KEYS.getPublic());
  }

  /** The claims of a Keycloak access token for a regulated caller, valid at NOW. */
  private static JsonObjectBuilder claims() {
    return Json.createObjectBuilder()
        .add("exp", NOW.getEpochSecond() + 300)
        .add("iat", NOW.getEpochSecond() - 10)
        .add("jti", "a1b2")
        .add("iss", ISSUER)
        .add("aud", Json.createArrayBuilder().add("account").add(AUDIENCE))
        .add("sub", SUB)
        .add("typ", "Bearer")
        .add("azp", "vclick-extension")
        .add("preferred_username", "alice")
        .add("name", "Alice Example")
        .add("given_name", "Alice")
        .add("family_name", "Example")
        .add("email", "alice@vclick.test")
        .add("phone_number", "+4930123456")
        .add("groups", Json.createArrayBuilder().add("caller").add("regulated"));
  }

  private static String token(JsonObjectBuilder claims) {
    return sign(KEYS, rs256Header(KID), claims.build());
  }

  private Reason refusal(String token) {
    var e = assertThrows(InvalidTokenException.class, () -> verifier.verify(token));
    assertEquals(e.reason().message(), e.getMessage());
    return e.reason();
  }

  @Test
  void validTokenMapsClaimsToCaller() {
    VerifiedToken verified = verifier.verify(token(claims()));

    assertEquals(
        new Caller(
            SUB,
            "alice",
            "Alice Example",
            "alice@vclick.test",
            "+4930123456",
            Set.of("caller", "regulated")),
        verified.caller());
    assertEquals(NOW.plusSeconds(300), verified.expiresAt());
    assertEquals(0, jwks.refreshes.get());
  }

  @Test
  void minimalTokenFallsBackToSubjectNamesAndNoRoles() {
    JsonObjectBuilder minimal =
        claims()
            .remove("preferred_username")
            .remove("name")
            .remove("given_name")
            .remove("family_name")
            .remove("email")
            .remove("phone_number")
            .remove("groups")
            .remove("typ")
            .add("aud", AUDIENCE);

    Caller caller = verifier.verify(token(minimal)).caller();

    assertEquals(SUB, caller.username());
    assertEquals(SUB, caller.displayName());
    assertEquals("", caller.email());
    assertEquals("", caller.phoneNumber());
    assertEquals(Set.of(), caller.roles());
  }

  @Test
  void displayNameIsGivenPlusFamilyWithoutName() {
    Caller caller = verifier.verify(token(claims().remove("name"))).caller();
    assertEquals("Alice Example", caller.displayName());

    caller = verifier.verify(token(claims().remove("name").remove("family_name"))).caller();
    assertEquals("Alice", caller.displayName());
  }

  @Test
  void malformedTokensAreRefused() {
    String valid = token(claims());
    String[] parts = valid.split("\\.");
    String header = parts[0];

    assertEquals(Reason.MALFORMED, refusal(null));
    assertEquals(Reason.MALFORMED, refusal(""));
    assertEquals(Reason.MALFORMED, refusal(parts[0] + "." + parts[1]));
    assertEquals(Reason.MALFORMED, refusal(valid + ".x"));
    assertEquals(Reason.MALFORMED, refusal("a.b.c.d.e"));
    assertEquals(Reason.MALFORMED, refusal("***." + parts[1] + "." + parts[2]));
    assertEquals(Reason.MALFORMED, refusal(b64("{not json") + "." + parts[1] + "." + parts[2]));
    assertEquals(Reason.MALFORMED, refusal(b64("[1,2]") + "." + parts[1] + "." + parts[2]));
    assertEquals(Reason.MALFORMED, refusal(header + "." + parts[1] + ".%%%"));
    assertEquals(
        Reason.MALFORMED,
        refusal(
            "x".repeat(AccessTokenVerifier.MAX_TOKEN_LENGTH) + "." + parts[1] + "." + parts[2]));
  }

  @Test
  void correctlySignedButUnparseablePayloadIsMalformed() {
    String signedPart = b64(rs256Header(KID).toString()) + "." + b64("{\"sub\":");
    assertEquals(
        Reason.MALFORMED, refusal(signedPart + "." + TestKeys.signature(KEYS, signedPart)));
  }

  @Test
  void mistypedClaimsAreMalformedNotIgnored() {
    assertEquals(Reason.MALFORMED, refusal(token(claims().add("exp", "never"))));
    assertEquals(Reason.MALFORMED, refusal(token(claims().add("iss", 42))));
    assertEquals(
        Reason.MALFORMED, refusal(token(claims().add("groups", Json.createArrayBuilder().add(1)))));
  }

  @Test
  void algNoneIsRefused() {
    JsonObject header = Json.createObjectBuilder().add("alg", "none").add("kid", KID).build();
    String unsigned = b64(header.toString()) + "." + b64(claims().build().toString()) + ".";
    assertEquals(Reason.UNSUPPORTED_ALGORITHM, refusal(unsigned));
  }

  @Test
  void hs256SignedWithThePublicKeyIsRefused() throws Exception {
    // The classic confusion attack: HMAC keyed with the (public) RSA key bytes.
    JsonObject header = Json.createObjectBuilder().add("alg", "HS256").add("kid", KID).build();
    String signedPart = b64(header.toString()) + "." + b64(claims().build().toString());
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEYS.getPublic().getEncoded(), "HmacSHA256"));
    String token =
        signedPart + "." + b64(mac.doFinal(signedPart.getBytes(StandardCharsets.US_ASCII)));

    assertEquals(Reason.UNSUPPORTED_ALGORITHM, refusal(token));
  }

  @Test
  void otherOrMissingAlgorithmsAreRefused() {
    for (String alg : new String[] {"RS512", "PS256", "ES256", "rs256"}) {
      JsonObject header = Json.createObjectBuilder().add("alg", alg).add("kid", KID).build();
      assertEquals(
          Reason.UNSUPPORTED_ALGORITHM, refusal(sign(KEYS, header, claims().build())), alg);
    }
    JsonObject noAlg = Json.createObjectBuilder().add("kid", KID).build();
    assertEquals(Reason.UNSUPPORTED_ALGORITHM, refusal(sign(KEYS, noAlg, claims().build())));
  }

  @Test
  void unknownKidRefreshesOnceThenFails() {
    String token = sign(KEYS, rs256Header("key-unknown"), claims().build());

    assertEquals(Reason.UNKNOWN_KEY, refusal(token));
    assertEquals(1, jwks.refreshes.get());
  }

  @Test
  void missingKidIsUnknownKey() {
    JsonObject header = Json.createObjectBuilder().add("alg", "RS256").build();
    assertEquals(Reason.UNKNOWN_KEY, refusal(sign(KEYS, header, claims().build())));
  }

  @Test
  void rotatedKeyIsFoundAfterRefresh() {
    jwks.onRefresh.put("key-2", (RSAPublicKey) OTHER_KEYS.getPublic());
    String token = sign(OTHER_KEYS, rs256Header("key-2"), claims().build());

    assertEquals(SUB, verifier.verify(token).caller().subject());
    assertEquals(1, jwks.refreshes.get());
    verifier.verify(token);
    assertEquals(1, jwks.refreshes.get(), "a known kid must not refresh again");
  }

  @Test
  void badSignaturesAreRefused() {
    String foreign = sign(OTHER_KEYS, rs256Header(KID), claims().build());
    assertEquals(Reason.BAD_SIGNATURE, refusal(foreign));

    String[] parts = token(claims()).split("\\.");
    String tampered =
        b64(claims().add("groups", Json.createArrayBuilder().add("edge-admin")).build().toString());
    assertEquals(Reason.BAD_SIGNATURE, refusal(parts[0] + "." + tampered + "." + parts[2]));
    assertEquals(Reason.BAD_SIGNATURE, refusal(parts[0] + "." + parts[1] + "."));
    assertEquals(Reason.BAD_SIGNATURE, refusal(parts[0] + "." + parts[1] + "." + b64("short")));
  }

  @Test
  void wrongOrMissingIssuerIsRefused() {
    assertEquals(
        Reason.WRONG_ISSUER,
        refusal(token(claims().add("iss", "https://evil.test/realms/vclick"))));
    assertEquals(Reason.WRONG_ISSUER, refusal(token(claims().add("iss", ISSUER + "/"))));
    assertEquals(Reason.WRONG_ISSUER, refusal(token(claims().remove("iss"))));
  }

  @Test
  void audienceMustContainOurs() {
    assertEquals(Reason.WRONG_AUDIENCE, refusal(token(claims().add("aud", "account"))));
    assertEquals(
        Reason.WRONG_AUDIENCE,
        refusal(token(claims().add("aud", Json.createArrayBuilder().add("account").add("other")))));
    assertEquals(Reason.WRONG_AUDIENCE, refusal(token(claims().remove("aud"))));
    assertEquals(SUB, verifier.verify(token(claims().add("aud", AUDIENCE))).caller().subject());
  }

  @Test
  void expiryIsRequiredAndCheckedWithSkew() {
    assertEquals(Reason.EXPIRED, refusal(token(claims().remove("exp"))));
    assertEquals(Reason.EXPIRED, refusal(token(claims().add("exp", NOW.getEpochSecond() - 31))));
    assertEquals(Reason.EXPIRED, refusal(token(claims().add("exp", NOW.getEpochSecond() - 30))));
    Instant withinSkew = NOW.minusSeconds(29);
    assertEquals(
        withinSkew,
        verifier.verify(token(claims().add("exp", withinSkew.getEpochSecond()))).expiresAt());
  }

  @Test
  void notBeforeAndIssuedAtInTheFutureAreRefusedBeyondSkew() {
    long now = NOW.getEpochSecond();
    assertEquals(Reason.NOT_YET_VALID, refusal(token(claims().add("nbf", now + 31))));
    assertEquals(Reason.NOT_YET_VALID, refusal(token(claims().add("iat", now + 31))));
    verifier.verify(token(claims().add("nbf", now + 30).add("iat", now + 30)));
  }

  @Test
  void idAndRefreshTokensAreRefused() {
    assertEquals(Reason.NOT_AN_ACCESS_TOKEN, refusal(token(claims().add("typ", "ID"))));
    assertEquals(Reason.NOT_AN_ACCESS_TOKEN, refusal(token(claims().add("typ", "Refresh"))));
    assertEquals(Reason.NOT_AN_ACCESS_TOKEN, refusal(token(claims().add("typ", "bearer"))));
  }

  @Test
  void subjectIsRequired() {
    assertEquals(Reason.MISSING_SUBJECT, refusal(token(claims().remove("sub"))));
    assertEquals(Reason.MISSING_SUBJECT, refusal(token(claims().add("sub", " "))));
  }

  @Test
  void refusalNeverEchoesTheToken() {
    String token = token(claims().add("iss", "https://evil.test"));
    var e = assertThrows(InvalidTokenException.class, () -> verifier.verify(token));

    for (String part : token.split("\\.")) {
      assertFalse(e.getMessage().contains(part));
    }
    assertEquals(null, e.getCause());
    assertEquals(0, e.getStackTrace().length);
  }
}
