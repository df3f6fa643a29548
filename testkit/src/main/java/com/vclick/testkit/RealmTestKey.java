package com.vclick.testkit;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * An extra RS256 signing key registered in a realm, to craft tokens with a valid, published
 * signature but otherwise wrong content (expired, foreign issuer, wrong audience, missing roles).
 *
 * <p>The key is an {@code rsa} key provider component holding a freshly generated 2048-bit key,
 * active and enabled so that Keycloak publishes it in the realm's JWKS, with a priority lower than
 * the realm's own RS256 key so that Keycloak keeps signing its tokens with its own key. The
 * registration checks both. {@link #remove()} (or {@link #close()}) deletes the component.
 *
 * <p>Relying parties cache the JWKS: register the key before the application under test first
 * fetches it, or make the application refetch on an unknown {@code kid}.
 */
public final class RealmTestKey implements AutoCloseable {

  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  private final KeycloakAdminApi admin;
  private final String realm;
  private final String componentId;
  private final String kid;
  private final PrivateKey privateKey;
  private volatile boolean removed;

  private RealmTestKey(
      KeycloakAdminApi admin, String realm, String componentId, String kid, PrivateKey key) {
    this.admin = admin;
    this.realm = realm;
    this.componentId = componentId;
    this.kid = kid;
    this.privateKey = key;
  }

  /**
   * Registers a test key in {@code realm} of the Keycloak at {@code KEYCLOAK_URL}, as the bootstrap
   * admin ({@code KC_BOOTSTRAP_ADMIN_USERNAME} / {@code KC_BOOTSTRAP_ADMIN_PASSWORD}).
   */
  public static RealmTestKey register(String realm) {
    return register(
        TestEnv.keycloakUrl(),
        realm,
        TestEnv.require("KC_BOOTSTRAP_ADMIN_USERNAME"),
        TestEnv.require("KC_BOOTSTRAP_ADMIN_PASSWORD"));
  }

  /** Registers a test key in {@code realm}, authenticating to the master realm as an admin. */
  public static RealmTestKey register(
      String keycloakUrl, String realm, String adminUsername, String adminPassword) {
    KeycloakAdminApi admin = new KeycloakAdminApi(keycloakUrl, adminUsername, adminPassword);
    String realmPath = "/realms/" + realm;
    String realmId = admin.getObject(realmPath).getString("id");

    JsonObject keysBefore = admin.getObject(realmPath + "/keys");
    String signingKid = activeRs256Kid(keysBefore);
    long signingPriority = priorityOf(keysBefore, signingKid);

    KeyPair keyPair = generateKeyPair();
    String name = "vclick-test-key-" + HexFormat.of().formatHex(randomBytes(6));
    JsonObject component =
        Json.createObjectBuilder()
            .add("name", name)
            .add("providerId", "rsa")
            .add("providerType", "org.keycloak.keys.KeyProvider")
            .add("parentId", realmId)
            .add(
                "config",
                Json.createObjectBuilder()
                    .add("priority", array(Long.toString(signingPriority - 100)))
                    .add("enabled", array("true"))
                    .add("active", array("true"))
                    .add("algorithm", array("RS256"))
                    .add("privateKey", array(pem(keyPair.getPrivate()))))
            .build();
    HttpResponse<String> created = admin.post(realmPath + "/components", component);
    if (created.statusCode() != 201) {
      throw new IllegalStateException(
          "could not register the test key in realm '"
              + realm
              + "': HTTP "
              + created.statusCode()
              + " "
              + created.body());
    }
    String location =
        created
            .headers()
            .firstValue("Location")
            .orElseThrow(() -> new IllegalStateException("no Location for the new key component"));
    String componentId = location.substring(location.lastIndexOf('/') + 1);

    try {
      JsonObject keysAfter = admin.getObject(realmPath + "/keys");
      String kid = kidOfComponent(keysAfter, componentId);
      String signingNow = activeRs256Kid(keysAfter);
      if (!signingKid.equals(signingNow)) {
        throw new IllegalStateException(
            "the test key took over signing (active RS256 kid "
                + signingNow
                + " instead of "
                + signingKid
                + ")");
      }
      RealmTestKey key = new RealmTestKey(admin, realm, componentId, kid, keyPair.getPrivate());
      key.awaitPublished();
      return key;
    } catch (RuntimeException e) {
      admin.delete(realmPath + "/components/" + componentId);
      throw e;
    }
  }

  /** The key id Keycloak publishes for this key (the {@code kid} of tokens it signs). */
  public String kid() {
    return kid;
  }

  /** The id of the key provider component in the realm. */
  public String componentId() {
    return componentId;
  }

  /** The realm's issuer, e.g. {@code http://127.0.0.1:8180/realms/vclick}. */
  public String issuer() {
    return admin.baseUrl() + "/realms/" + realm;
  }

  /** Signs {@code claims} as a compact JWS with header {@code {alg:RS256, typ:JWT, kid}}. */
  public String sign(JsonObject claims) {
    JsonObject header =
        Json.createObjectBuilder().add("alg", "RS256").add("typ", "JWT").add("kid", kid).build();
    String signingInput = Jwt.encode(header) + "." + Jwt.encode(claims);
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(privateKey);
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + Jwt.base64Url(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RS256 signing failed", e);
    }
  }

  /**
   * Re-signs the claims of an existing token (typically a real one from {@link KeycloakLogin}) with
   * this key after applying {@code changes} (each member replaces or adds a claim; a JSON {@code
   * null} member removes it). E.g. an expired token: {@code resign(token, {"exp": past})}.
   */
  public String resign(String token, JsonObject changes) {
    JsonObjectBuilder claims = Json.createObjectBuilder(Jwt.payload(token));
    for (Map.Entry<String, JsonValue> change : changes.entrySet()) {
      if (change.getValue().getValueType() == JsonValue.ValueType.NULL) {
        claims.remove(change.getKey());
      } else {
        claims.add(change.getKey(), change.getValue());
      }
    }
    return sign(claims.build());
  }

  /** Deletes the key provider component; idempotent. */
  public void remove() {
    if (removed) {
      return;
    }
    HttpResponse<String> response = admin.delete("/realms/" + realm + "/components/" + componentId);
    if (response.statusCode() != 204 && response.statusCode() != 404) {
      throw new IllegalStateException(
          "could not remove test key " + kid + ": HTTP " + response.statusCode());
    }
    removed = true;
  }

  @Override
  public void close() {
    remove();
  }

  /** Polls the public JWKS until it lists the key (immediate on a single node). */
  private void awaitPublished() {
    Instant deadline = Instant.now().plus(PUBLISH_TIMEOUT);
    KeycloakLogin realmUrls = new KeycloakLogin(admin.baseUrl(), realm);
    String certs = realmUrls.issuer() + "/protocol/openid-connect/certs";
    var http = Http.newClient();
    while (true) {
      HttpResponse<String> response = Http.send(http, Http.request(certs).GET().build());
      if (response.statusCode() == 200) {
        JsonArray keys = Http.json(response.body()).getJsonArray("keys");
        for (JsonValue k : keys) {
          if (kid.equals(k.asJsonObject().getString("kid", null))) {
            return;
          }
        }
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("test key " + kid + " never appeared in " + certs);
      }
      LockSupport.parkNanos(POLL_INTERVAL.toNanos()); // a pause between polls, not a wait-for
    }
  }

  private static String activeRs256Kid(JsonObject keys) {
    JsonObject active = keys.getJsonObject("active");
    if (active == null || !active.containsKey("RS256")) {
      throw new IllegalStateException("the realm has no active RS256 key: " + keys);
    }
    return active.getString("RS256");
  }

  private static long priorityOf(JsonObject keys, String kid) {
    for (JsonValue k : keys.getJsonArray("keys")) {
      JsonObject key = k.asJsonObject();
      if (kid.equals(key.getString("kid", null))) {
        return key.getJsonNumber("providerPriority").longValue();
      }
    }
    throw new IllegalStateException("no key " + kid + " in the realm's keys");
  }

  private static String kidOfComponent(JsonObject keys, String componentId) {
    for (JsonValue k : keys.getJsonArray("keys")) {
      JsonObject key = k.asJsonObject();
      if (componentId.equals(key.getString("providerId", null))
          && "RS256".equals(key.getString("algorithm", null))) {
        if (!"ACTIVE".equals(key.getString("status", null))) {
          throw new IllegalStateException("test key is not active: " + key);
        }
        return key.getString("kid");
      }
    }
    throw new IllegalStateException("Keycloak lists no key for component " + componentId);
  }

  private static KeyPair generateKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(PrivateKey key) {
    // PKCS#8, which Keycloak's rsa provider accepts; it derives a self-signed certificate itself.
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----";
  }

  private static JsonArray array(String value) {
    return Json.createArrayBuilder().add(value).build();
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }
}
