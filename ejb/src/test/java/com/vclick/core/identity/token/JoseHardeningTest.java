package com.vclick.core.identity.token;

import static com.vclick.core.identity.token.TestKeys.b64;
import static com.vclick.core.identity.token.TestKeys.jwk;
import static com.vclick.core.identity.token.TestKeys.rs256Header;
import static com.vclick.core.identity.token.TestKeys.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.core.identity.token.InvalidTokenException.Reason;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the verifier refuses beyond the claim rules since Nimbus JOSE+JWT parses and verifies. */
class JoseHardeningTest {

  private static final String ISSUER = "https://id.vclick.test/realms/vclick";
  private static final Instant NOW = Instant.ofEpochSecond(1_764_000_000L);
  private static final KeyPair KEYS = TestKeys.rsaKeyPair();

  private final TestKeys.FakeJwks jwks = new TestKeys.FakeJwks();
  private final AccessTokenVerifier verifier =
      new AccessTokenVerifier(
          new TokenRules(ISSUER, "vclick-api", Duration.ofSeconds(30)),
          jwks,
          Clock.fixed(NOW, ZoneOffset.UTC));

  JoseHardeningTest() {
    jwks.current.put("k1", (RSAPublicKey) KEYS.getPublic());
  }

  private static JsonObject claims() {
    return Json.createObjectBuilder()
        .add("iss", ISSUER)
        .add("aud", "vclick-api")
        .add("sub", "u-1")
        .add("typ", "Bearer")
        .add("exp", NOW.getEpochSecond() + 300)
        .build();
  }

  private Reason refusal(String token) {
    return assertThrows(InvalidTokenException.class, () -> verifier.verify(token)).reason();
  }

  @Test
  void aCorrectlySignedTokenStillPasses() {
    assertEquals(
        "u-1", verifier.verify(sign(KEYS, rs256Header("k1"), claims())).caller().subject());
  }

  @Test
  void aCriticalHeaderWeDoNotUnderstandIsRefused() {
    // RFC 7515 4.1.11: a recipient must refuse a JWS whose "crit" names parameters it ignores.
    JsonObject header =
        Json.createObjectBuilder()
            .add("alg", "RS256")
            .add("kid", "k1")
            .add("crit", Json.createArrayBuilder().add("exp-policy"))
            .add("exp-policy", "strict")
            .build();
    assertEquals(Reason.BAD_SIGNATURE, refusal(sign(KEYS, header, claims())));
  }

  @Test
  void anEncryptedTokenIsNeverAccepted() {
    String jwe = b64("{\"alg\":\"RSA-OAEP\",\"enc\":\"A128GCM\"}") + ".a.b.c.d";
    assertEquals(Reason.MALFORMED, refusal(jwe));
  }

  @Test
  void paddingOrForeignCharactersInAPartAreMalformed() {
    String[] parts = sign(KEYS, rs256Header("k1"), claims()).split("\\.");
    assertEquals(Reason.MALFORMED, refusal(parts[0] + "." + parts[1] + "." + parts[2] + "=="));
    assertEquals(Reason.MALFORMED, refusal(parts[0] + "." + parts[1] + " ." + parts[2]));
  }

  @Test
  void aMistypedAlgorithmIsMalformed() {
    JsonObject header = Json.createObjectBuilder().add("alg", 256).add("kid", "k1").build();
    assertEquals(Reason.MALFORMED, refusal(sign(KEYS, header, claims())));
  }

  @Test
  void aMistypedNameClaimIsMalformedNotEmpty() {
    JsonObject claims = Json.createObjectBuilder(claims()).add("email", 7).build();
    assertEquals(Reason.MALFORMED, refusal(sign(KEYS, rs256Header("k1"), claims)));
  }

  @Test
  void weakRsaKeysInTheKeySetAreNeverUsed() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    KeyPair weak = generator.generateKeyPair();
    String jwks =
        Json.createObjectBuilder()
            .add(
                "keys",
                Json.createArrayBuilder()
                    .add(jwk("weak", (RSAPublicKey) weak.getPublic()).add("use", "sig"))
                    .add(jwk("strong", (RSAPublicKey) KEYS.getPublic()).add("use", "sig")))
            .build()
            .toString();

    Map<String, RSAPublicKey> usable = HttpJwksSource.parse(jwks);

    assertEquals(1, usable.size(), usable.keySet().toString());
    assertTrue(usable.containsKey("strong"));
  }
}
