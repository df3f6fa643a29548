package com.vclick.core.identity.token;

import static com.vclick.core.identity.token.TestKeys.jwk;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import com.vclick.core.testing.MutableClock;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpJwksSourceTest {

  private static final KeyPair SIGNING = TestKeys.rsaKeyPair();
  private static final KeyPair ROTATED = TestKeys.rsaKeyPair();
  private static final KeyPair ENCRYPTION = TestKeys.rsaKeyPair();

  private final AtomicInteger requests = new AtomicInteger();
  private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_764_000_000L));
  private volatile int status = 200;
  private volatile String body;
  private HttpServer server;
  private HttpJwksSource source;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/realms/vclick/protocol/openid-connect/certs",
        exchange -> {
          requests.incrementAndGet();
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
    body = jwks(Json.createArrayBuilder().add(jwk("sig-1", publicKey(SIGNING)).add("use", "sig")));
    source = new HttpJwksSource(uri(), clock);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI uri() {
    return URI.create(
        "http://127.0.0.1:"
            + server.getAddress().getPort()
            + "/realms/vclick/protocol/openid-connect/certs");
  }

  private static RSAPublicKey publicKey(KeyPair keys) {
    return (RSAPublicKey) keys.getPublic();
  }

  private static String jwks(JsonArrayBuilder keys) {
    return Json.createObjectBuilder().add("keys", keys).build().toString();
  }

  @Test
  void nothingIsFetchedBeforeTheFirstRefresh() {
    assertTrue(source.key("sig-1").isEmpty());
    assertEquals(0, requests.get());
  }

  @Test
  void loadsRsaSigningKeysAndIgnoresOthers() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    body =
        jwks(
            Json.createArrayBuilder()
                .add(jwk("sig-1", publicKey(SIGNING)).add("use", "sig"))
                .add(jwk("no-use", publicKey(ROTATED)))
                .add(jwk("enc-1", publicKey(ENCRYPTION)).add("use", "enc").add("alg", "RSA-OAEP"))
                .add(
                    Json.createObjectBuilder()
                        .add("kid", "ec-1")
                        .add("kty", "EC")
                        .add("crv", "P-256"))
                .add(jwk("broken", publicKey(ENCRYPTION)).add("n", "%%%"))
                .add(
                    Json.createObjectBuilder()
                        .add("kty", "RSA")
                        .add("n", "AQAB")
                        .add("e", "AQAB")));

    source.refresh();

    assertEquals(publicKey(SIGNING), source.key("sig-1").orElseThrow());
    assertEquals(publicKey(ROTATED), source.key("no-use").orElseThrow());
    assertTrue(source.key("enc-1").isEmpty());
    assertTrue(source.key("ec-1").isEmpty());
    assertTrue(source.key("broken").isEmpty());
  }

  @Test
  void refreshIsRateLimitedByTheClock() {
    source.refresh();
    source.refresh();
    clock.advance(Duration.ofSeconds(29));
    source.refresh();
    assertEquals(1, requests.get());

    clock.advance(Duration.ofSeconds(1));
    source.refresh();
    assertEquals(2, requests.get());
  }

  @Test
  void failedRefreshKeepsTheLastGoodKeysAndCountsTowardsTheLimit() {
    source.refresh();

    for (Runnable breakServer :
        new Runnable[] {
          () -> status = 500,
          () -> body = "{not json",
          () -> body = "{\"no\":\"keys\"}",
          () -> body = jwks(Json.createArrayBuilder()),
          () -> body = "[]"
        }) {
      status = 200;
      breakServer.run();
      clock.advance(Duration.ofSeconds(30));
      int before = requests.get();
      assertDoesNotThrow(source::refresh);
      assertEquals(before + 1, requests.get());
      assertEquals(publicKey(SIGNING), source.key("sig-1").orElseThrow());
    }

    int before = requests.get();
    source.refresh();
    assertEquals(before, requests.get(), "a failed attempt also starts the 30 s wait");
  }

  @Test
  void unreachableServerDoesNotThrow() {
    server.stop(0);
    assertDoesNotThrow(source::refresh);
    assertFalse(source.key("sig-1").isPresent());
  }

  @Test
  void verifierFollowsKeyRotationThroughTheEndpoint() {
    var verifier =
        new AccessTokenVerifier(
            new TokenRules("https://id.vclick.test/realms/vclick", "vclick-api", Duration.ZERO),
            source,
            clock);
    var claims =
        Json.createObjectBuilder()
            .add("iss", "https://id.vclick.test/realms/vclick")
            .add("aud", "vclick-api")
            .add("sub", "u-1")
            .add("typ", "Bearer")
            .add("exp", clock.instant().getEpochSecond() + 600)
            .build();

    String first = TestKeys.sign(SIGNING, TestKeys.rs256Header("sig-1"), claims);
    assertEquals("u-1", verifier.verify(first).caller().subject());
    assertEquals(1, requests.get());

    body = jwks(Json.createArrayBuilder().add(jwk("sig-2", publicKey(ROTATED)).add("use", "sig")));
    clock.advance(Duration.ofSeconds(60));
    String rotated = TestKeys.sign(ROTATED, TestKeys.rs256Header("sig-2"), claims);
    assertEquals("u-1", verifier.verify(rotated).caller().subject());
    assertEquals(2, requests.get());
  }

  @Test
  void forgedKidsCauseAtMostOneFetchPerInterval() {
    var verifier =
        new AccessTokenVerifier(
            new TokenRules("https://id.vclick.test/realms/vclick", "vclick-api", Duration.ZERO),
            source,
            clock);
    var claims = Json.createObjectBuilder().add("sub", "u-1").build();

    for (int i = 0; i < 20; i++) {
      String forged = TestKeys.sign(SIGNING, TestKeys.rs256Header("forged-" + i), claims);
      var e = assertThrows(InvalidTokenException.class, () -> verifier.verify(forged));
      assertEquals(InvalidTokenException.Reason.UNKNOWN_KEY, e.reason());
    }
    assertEquals(1, requests.get());
  }
}
