package com.vclick.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class JwtTest {

  private static final String HEADER = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"k1\"}";
  private static final String PAYLOAD =
      "{\"iss\":\"http://127.0.0.1:8180/realms/vclick\",\"sub\":\"u-1\",\"exp\":1700000300,"
          + "\"groups\":[\"caller\",\"regulated\"],\"name\":\"Zoë Ünïcode\"}";
  private static final String SIGNATURE = "c2lnbmF0dXJlLWJ5dGVz";

  private static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static final String TOKEN = b64(HEADER) + "." + b64(PAYLOAD) + "." + SIGNATURE;

  @Test
  void decodesHeaderAndPayload() {
    JsonObject header = Jwt.header(TOKEN);
    assertEquals("RS256", header.getString("alg"));
    assertEquals("k1", header.getString("kid"));

    JsonObject payload = Jwt.payload(TOKEN);
    assertEquals("http://127.0.0.1:8180/realms/vclick", payload.getString("iss"));
    assertEquals(1700000300L, payload.getJsonNumber("exp").longValue());
    assertEquals("regulated", payload.getJsonArray("groups").getString(1));
    assertEquals("Zoë Ünïcode", payload.getString("name"));
  }

  @Test
  void tamperChangesOnlyTheClaimAndKeepsHeaderAndSignature() {
    String tampered = Jwt.tamper(TOKEN, "sub", "someone-else");
    String[] before = TOKEN.split("\\.");
    String[] after = tampered.split("\\.");
    assertEquals(3, after.length);
    assertEquals(before[0], after[0], "header kept byte for byte");
    assertEquals(before[2], after[2], "signature kept byte for byte");
    assertNotEquals(before[1], after[1]);

    JsonObject payload = Jwt.payload(tampered);
    assertEquals("someone-else", payload.getString("sub"));
    assertEquals("http://127.0.0.1:8180/realms/vclick", payload.getString("iss"));
    assertEquals(2, payload.getJsonArray("groups").size());
  }

  @Test
  void tamperWithNumbersArraysAndNewClaims() {
    String expired = Jwt.tamper(TOKEN, "exp", 1L);
    assertEquals(1L, Jwt.payload(expired).getJsonNumber("exp").longValue());

    String admin =
        Jwt.tamper(
            TOKEN, "groups", Json.createArrayBuilder().add("caller").add("edge-admin").build());
    assertEquals("edge-admin", Jwt.payload(admin).getJsonArray("groups").getString(1));

    String added = Jwt.tamper(TOKEN, "acr", "2");
    assertEquals("2", Jwt.payload(added).getString("acr"));
  }

  @Test
  void withoutClaimRemovesIt() {
    String noGroups = Jwt.withoutClaim(TOKEN, "groups");
    assertFalse(Jwt.payload(noGroups).containsKey("groups"));
    assertTrue(Jwt.payload(noGroups).containsKey("sub"));
    assertTrue(noGroups.endsWith("." + SIGNATURE));
  }

  @Test
  void encodedPartsAreUnpaddedBase64Url() {
    String tampered = Jwt.tamper(TOKEN, "name", "??>>~~");
    String payloadPart = tampered.split("\\.")[1];
    assertFalse(payloadPart.contains("="));
    assertFalse(payloadPart.contains("+"));
    assertFalse(payloadPart.contains("/"));
  }

  @Test
  void rejectsWhatIsNotACompactJws() {
    assertThrows(IllegalArgumentException.class, () -> Jwt.payload(null));
    assertThrows(IllegalArgumentException.class, () -> Jwt.payload("abc"));
    assertThrows(IllegalArgumentException.class, () -> Jwt.payload("a.b.c.d.e"));
    assertThrows(IllegalArgumentException.class, () -> Jwt.payload("e30.!!!.sig"));
    assertThrows(IllegalArgumentException.class, () -> Jwt.payload("e30." + b64("[1,2]") + ".s"));
  }
}
