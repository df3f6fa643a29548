package com.vclick.realm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.testkit.DemoUsers;
import com.vclick.testkit.Jwt;
import com.vclick.testkit.KeycloakLogin;
import com.vclick.testkit.RealmTestKey;
import com.vclick.testkit.TestEnv;
import com.vclick.testkit.Tokens;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;

/**
 * The test kit's {@link RealmTestKey} against the real Keycloak: the key is published, Keycloak
 * keeps signing with its own key, and Keycloak itself accepts what the test key signs.
 */
class RealmTestKeyIT {

  static KeycloakLogin login;
  static String redirectUri;
  static HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void env() {
    login = new KeycloakLogin(TestEnv.keycloakUrl(), ItSupport.REALM);
    try (Keycloak admin = ItSupport.admin()) {
      redirectUri = ItSupport.webRedirectUri(admin.realm(ItSupport.REALM));
    }
  }

  @Test
  void signsTokensWithAPublishedKeyThatKeycloakDoesNotUseItself() throws Exception {
    Tokens alice = login.login("vclick-web", redirectUri, "alice", DemoUsers.password("alice"));
    String keycloakKid = Jwt.header(alice.accessToken()).getString("kid");

    try (RealmTestKey key = RealmTestKey.register(ItSupport.REALM)) {
      assertNotEquals(keycloakKid, key.kid());
      assertTrue(jwk(key.kid()).isPresent(), "test key is in the JWKS");
      assertEquals(login.issuer(), key.issuer());

      // Keycloak keeps signing with its own key
      Tokens again = login.login("vclick-web", redirectUri, "alice", DemoUsers.password("alice"));
      assertEquals(keycloakKid, Jwt.header(again.accessToken()).getString("kid"));

      // same claims, re-signed with the test key: verifies with the published key
      String resigned = key.resign(again.accessToken(), Json.createObjectBuilder().build());
      assertEquals(key.kid(), Jwt.header(resigned).getString("kid"));
      assertEquals("RS256", Jwt.header(resigned).getString("alg"));
      assertEquals(again.accessClaims(), Jwt.payload(resigned));
      assertTrue(verifies(resigned, jwk(key.kid()).orElseThrow()));
      // ...and Keycloak itself accepts it (userinfo checks the signature against the realm keys)
      assertEquals(200, userinfo(resigned));

      // an expired token with a valid, published signature
      long past = Instant.now().getEpochSecond() - 600;
      String expired =
          key.resign(
              again.accessToken(),
              Json.createObjectBuilder().add("exp", past).add("iat", past - 300).build());
      assertTrue(verifies(expired, jwk(key.kid()).orElseThrow()));
      assertEquals(past, Jwt.payload(expired).getJsonNumber("exp").longValue());
      assertEquals(401, userinfo(expired), "Keycloak rejects the expired token");

      // a claim removed, a foreign issuer
      String noGroups =
          key.resign(again.accessToken(), Json.createObjectBuilder().addNull("groups").build());
      assertFalse(Jwt.payload(noGroups).containsKey("groups"));
      String foreign =
          key.sign(
              Json.createObjectBuilder(again.accessClaims())
                  .add("iss", "https://idp.evil.example/realms/vclick")
                  .build());
      assertTrue(verifies(foreign, jwk(key.kid()).orElseThrow()));

      // a tampered token (original signature) does not verify
      String tampered = Jwt.tamper(again.accessToken(), "preferred_username", "frank");
      assertEquals(401, userinfo(tampered));

      key.remove();
      assertFalse(jwk(key.kid()).isPresent(), "removed from the JWKS");
      key.remove(); // idempotent
    }
  }

  static int userinfo(String accessToken) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(login.issuer() + "/protocol/openid-connect/userinfo"))
                .header("Authorization", "Bearer " + accessToken)
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  static Optional<JsonObject> jwk(String kid) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(login.issuer() + "/protocol/openid-connect/certs"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
      for (JsonValue k : reader.readObject().getJsonArray("keys")) {
        if (kid.equals(k.asJsonObject().getString("kid", null))) {
          return Optional.of(k.asJsonObject());
        }
      }
    }
    return Optional.empty();
  }

  static boolean verifies(String token, JsonObject jwk) throws Exception {
    Base64.Decoder d = Base64.getUrlDecoder();
    PublicKey publicKey =
        KeyFactory.getInstance("RSA")
            .generatePublic(
                new RSAPublicKeySpec(
                    new BigInteger(1, d.decode(jwk.getString("n"))),
                    new BigInteger(1, d.decode(jwk.getString("e")))));
    int lastDot = token.lastIndexOf('.');
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initVerify(publicKey);
    s.update(token.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII));
    return s.verify(d.decode(token.substring(lastDot + 1)));
  }
}
