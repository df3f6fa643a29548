package com.vclick.web.it;

import static com.vclick.web.it.ApiCalls.JSON;
import static com.vclick.web.it.ApiCalls.assertProblem;
import static com.vclick.web.it.ApiCalls.json;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.testkit.Jwt;
import com.vclick.testkit.KeycloakLogin;
import com.vclick.testkit.RealmTestKey;
import com.vclick.testkit.TestEnv;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * The deployed WAR on a real Payara Micro, against the real Keycloak, coturn and Janus that {@code
 * ./vclick test} started: the security matrix, identity, directory, TURN credentials and bad input
 * on every endpoint. One class, so one Payara Micro start.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ApiIT {

  private static String alice;
  private static String aliceSubject;
  private static String eve;
  private static String frank;
  private static RealmTestKey testKey;

  @ArquillianResource private URL base;

  @Deployment(testable = false)
  static WebArchive war() {
    return BuiltWar.load();
  }

  @BeforeAll
  static void signIn() {
    var login = KeycloakLogin.vclick();
    var aliceTokens = login.loginToWebApp("alice");
    alice = aliceTokens.accessToken();
    aliceSubject = aliceTokens.accessClaims().getString("sub");
    eve = login.loginToWebApp("eve").accessToken();
    frank = login.loginToWebApp("frank").accessToken();
    // An extra realm key, published in the JWKS, to sign tokens Keycloak would never issue.
    testKey = RealmTestKey.register("vclick");
  }

  @AfterAll
  static void removeKey() {
    if (testKey != null) {
      testKey.remove();
    }
  }

  // --- security matrix -----------------------------------------------------------------------

  private record Endpoint(String method, String path) {}

  private static final List<Endpoint> PROTECTED =
      List.of(
          new Endpoint("GET", "api/me"),
          new Endpoint("GET", "api/directory?q=a"),
          new Endpoint("POST", "api/turn/credentials"));

  @Test
  void securityMatrix() {
    long now = Instant.now().getEpochSecond();
    String expired =
        testKey.resign(
            alice,
            Json.createObjectBuilder().add("exp", now - 3600).add("iat", now - 4000).build());
    String wrongAudience =
        testKey.resign(alice, Json.createObjectBuilder().add("aud", "some-other-api").build());
    String wrongIssuer =
        testKey.resign(
            alice, Json.createObjectBuilder().add("iss", "http://127.0.0.1:1/realms/evil").build());
    String validButTestSigned = testKey.resign(alice, JsonValue.EMPTY_JSON_OBJECT);
    String tampered = Jwt.tamper(alice, "preferred_username", "frank");
    String unsigned = unsignedCopyOf(alice);

    List<Executable> checks = new ArrayList<>();
    for (Endpoint endpoint : PROTECTED) {
      checks.add(expect(endpoint, null, 401));
      checks.add(expect(endpoint, "not-a-jwt", 401));
      checks.add(expect(endpoint, expired, 401));
      checks.add(expect(endpoint, wrongAudience, 401));
      checks.add(expect(endpoint, wrongIssuer, 401));
      checks.add(expect(endpoint, tampered, 401));
      checks.add(expect(endpoint, unsigned, 401));
      checks.add(expect(endpoint, alice, 200));
      // Proves the expired/audience/issuer refusals are about those claims, not the test key.
      checks.add(expect(endpoint, validButTestSigned, 200));
    }
    checks.add(expect(new Endpoint("GET", "api/me"), eve, 200));
    checks.add(expect(new Endpoint("GET", "api/directory?q=a"), eve, 403));
    checks.add(expect(new Endpoint("POST", "api/turn/credentials"), eve, 403));
    assertAll(checks);
  }

  private Executable expect(Endpoint endpoint, String token, int status) {
    return () -> {
      var response = send(endpoint.method(), endpoint.path(), token, null, null);
      String label = endpoint + " with " + describe(token);
      assertEquals(status, response.statusCode(), label + ": " + response.body());
      if (status >= 400) {
        assertProblem(response, status);
      }
      if (status == 401) {
        assertTrue(
            response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"),
            label + " lacks WWW-Authenticate");
      }
    };
  }

  private static String describe(String token) {
    if (token == null) {
      return "no token";
    }
    if (token.equals(alice)) {
      return "alice's token";
    }
    if (token.equals(eve)) {
      return "eve's token";
    }
    return "a crafted token";
  }

  private static String unsignedCopyOf(String token) {
    JsonObject header = Json.createObjectBuilder(Jwt.header(token)).add("alg", "none").build();
    String[] parts = token.split("\\.");
    return Jwt.encode(header) + "." + parts[1] + ".";
  }

  // --- identity, directory, relay ---------------------------------------------------------------

  @Test
  void meIsTheTokensIdentity() throws Exception {
    var response = send("GET", "api/me", alice, null, null);
    assertEquals(200, response.statusCode());
    JsonObject me = json(response.body()).asJsonObject();
    assertEquals("alice", me.getString("username"));
    assertEquals(aliceSubject, me.getString("subject"));
    assertEquals("alice@acme-bank.example", me.getString("email"));
    assertTrue(me.getString("phoneNumber").startsWith("+44207946"), me.toString());
    var roles = me.getJsonArray("roles").getValuesAs(JsonValue::toString);
    assertTrue(roles.contains("\"caller\"") && roles.contains("\"regulated\""), roles.toString());
  }

  @Test
  void directoryFindsColleaguesByNameEmailAndPhone() throws Exception {
    JsonArray byName =
        json(send("GET", "api/directory?q=baker", alice, null, null).body()).asJsonArray();
    assertEquals(1, byName.size(), byName.toString());
    JsonObject bob = byName.getJsonObject(0);
    assertEquals("bob", bob.getString("username"));
    assertEquals("bob@acme-bank.example", bob.getString("email"));
    String phone = bob.getString("phoneNumber");
    assertFalse(phone.isEmpty());

    JsonArray byPhone =
        json(send(
                    "GET",
                    "api/directory?q=" + phone.substring(phone.length() - 4),
                    alice,
                    null,
                    null)
                .body())
            .asJsonArray();
    assertTrue(byPhone.toString().contains("\"bob\""), byPhone.toString());
    JsonArray everyone =
        json(send("GET", "api/directory?limit=100", alice, null, null).body()).asJsonArray();
    assertEquals(7, everyone.size(), "the seven demo users");
  }

  @Test
  void directoryShowsGroupsToAnEdgeAdminOnly() throws Exception {
    JsonArray asCaller =
        json(send("GET", "api/directory?limit=100", alice, null, null).body()).asJsonArray();
    assertFalse(asCaller.isEmpty());
    for (JsonValue person : asCaller) {
      JsonObject fields = person.asJsonObject();
      assertEquals(
          Set.of("id", "username", "displayName", "email", "phoneNumber"),
          fields.keySet(),
          "a caller sees who someone is and how to reach them, nothing more: " + fields);
    }
    JsonArray asAdmin =
        json(send("GET", "api/directory?q=baker", frank, null, null).body()).asJsonArray();
    assertEquals(1, asAdmin.size(), asAdmin.toString());
    assertTrue(
        asAdmin.getJsonObject(0).getJsonArray("groups").toString().contains("staff"),
        asAdmin.toString());
  }

  @Test
  void turnCredentialsAreTheCoturnHmacBoundToTheCaller() throws Exception {
    long before = Instant.now().getEpochSecond();
    var response = send("POST", "api/turn/credentials", alice, null, null);
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Cache-Control").orElse("").contains("no-store"));
    JsonObject credentials = json(response.body()).asJsonObject();

    String username = credentials.getString("username");
    String[] parts = username.split(":", 2);
    long expiry = Long.parseLong(parts[0]);
    assertEquals(aliceSubject, parts[1]);
    assertTrue(expiry > before && expiry <= before + 600 + 5, "expiry within 10 minutes");
    assertEquals(
        expectedHmac(TestEnv.require("VCLICK_TURN_SECRET"), username),
        credentials.getString("credential"));
    assertEquals(
        List.of(TestEnv.require("VCLICK_TURN_URIS").split(",")),
        credentials
            .getJsonArray("uris")
            .getValuesAs(v -> ((jakarta.json.JsonString) v).getString()));
  }

  private static String expectedHmac(String secret, String username) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    return Base64.getEncoder()
        .encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theAuditTrailVerifiesSealedForAdminsOnly() throws Exception {
    // Issued credentials are audited as a counted summary a minute later (AuditAndLimitsIT).
    assertEquals(200, send("POST", "api/turn/credentials", alice, null, null).statusCode());
    assertEquals(403, send("GET", "api/audit/verify", alice, null, null).statusCode());

    var response = send("GET", "api/audit/verify", frank, null, null);
    assertEquals(200, response.statusCode(), response.body());
    JsonObject verification = json(response.body()).asJsonObject();
    assertTrue(verification.getBoolean("intact"), verification.toString());
    assertTrue(verification.getBoolean("sealed"), verification.toString());
  }

  @Test
  void healthTellsAnonymousCallersOnlyUpOrDown() throws Exception {
    awaitHealthUp();
    var response = send("GET", "api/health", null, null, null);
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(Json.createObjectBuilder().add("status", "UP").build(), json(response.body()));
    assertEquals(
        true,
        response.headers().firstValue("Cache-Control").orElse("").contains("no-store"),
        "never cached");
    // A caller's token is not enough for the details, nor is a wrong key.
    var asCaller = send("GET", "api/health", alice, null, null);
    assertEquals(Set.of("status"), json(asCaller.body()).asJsonObject().keySet());
    var wrongKey = healthWithKey("it-only-health-key-not-a-secreT");
    assertEquals(Set.of("status"), json(wrongKey.body()).asJsonObject().keySet());
  }

  @Test
  void healthShowsEachCheckToAnEdgeAdminAndToAMonitorWithTheKey() throws Exception {
    awaitHealthUp();
    var asAdmin = send("GET", "api/health", frank, null, null);
    var withKey = healthWithKey(TestEnv.require("VCLICK_HEALTH_KEY"));
    for (var response : List.of(asAdmin, withKey)) {
      assertEquals(200, response.statusCode(), response.body());
      JsonObject health = json(response.body()).asJsonObject();
      assertTrue(health.getBoolean("up"), health.toString());
      for (String check : List.of("database", "identity", "media", "directory")) {
        assertTrue(health.getJsonObject("checks").getBoolean(check), check);
      }
      assertFalse(health.getString("checkedAt").isEmpty(), health.toString());
    }
  }

  @Test
  void healthRequestsDoNotProbeTheDependencies() throws Exception {
    awaitHealthUp();
    // Answered from the background probe (every 10 s while up): a burst of requests sees the
    // time of one or two probes, where probing per request would give each its own.
    Set<String> probeTimes = new java.util.HashSet<>();
    long started = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      var response = healthWithKey(TestEnv.require("VCLICK_HEALTH_KEY"));
      probeTimes.add(json(response.body()).asJsonObject().getString("checkedAt"));
    }
    long tenSecondPeriods = (System.nanoTime() - started) / 10_000_000_000L;
    assertTrue(
        probeTimes.size() <= 2 + tenSecondPeriods,
        "20 requests saw " + probeTimes.size() + " probes: " + probeTimes);
  }

  /**
   * Waits (up to 30 s) for the background probe to report every dependency up: right after the
   * deployment the directory may still be loading, and the probe runs every second until it is.
   */
  private void awaitHealthUp() throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (healthWithKey(TestEnv.require("VCLICK_HEALTH_KEY")).statusCode() != 200) {
      assertTrue(System.nanoTime() < deadline, "/api/health never reported up within 30 s");
      java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
    }
  }

  private HttpResponse<String> healthWithKey(String key) throws Exception {
    var request =
        java.net.http.HttpRequest.newBuilder(URI.create(base.toString()).resolve("api/health"))
            .timeout(java.time.Duration.ofSeconds(20))
            .header("X-Vclick-Health-Key", key)
            .GET()
            .build();
    return java.net.http.HttpClient.newHttpClient()
        .send(request, HttpResponse.BodyHandlers.ofString());
  }

  // --- bad input --------------------------------------------------------------------------------

  @Test
  void presenceLookupAnswersForDirectoryEmailsOnly() throws Exception {
    String body =
        "{\"emails\":[\"BOB@acme-bank.example\",\"nobody@acme-bank.example\","
            + "\"x@example.com\",\"carol@acme-bank.example\"]}";
    assertEquals(401, send("POST", "api/presence/lookup", null, body, JSON).statusCode());
    assertEquals(403, send("POST", "api/presence/lookup", eve, body, JSON).statusCode());
    var response = send("POST", "api/presence/lookup", alice, body, JSON);
    assertEquals(200, response.statusCode(), response.body());
    JsonArray people = json(response.body()).asJsonObject().getJsonArray("people");
    assertEquals(2, people.size(), "bob and carol only: " + people);
    JsonObject bob = people.getJsonObject(0);
    assertEquals("bob@acme-bank.example", bob.getString("email"));
    assertEquals("Bob Baker", bob.getString("displayName"));
    assertEquals("offline", bob.getString("presence"), "nobody signed bob in");
    assertFalse(bob.getString("userId").isBlank());
  }

  @Test
  void clientConfigOffersNoTelephonyGatewayByDefault() throws Exception {
    var response = send("GET", "api/client-config", null, null, null);
    assertEquals(200, response.statusCode());
    JsonObject config = json(response.body()).asJsonObject();
    assertEquals(0, config.getJsonArray("telephonyGateways").size());
    assertEquals("vclick-extension", config.getString("extensionClientId"));
  }

  @Test
  void badInputGetsAProblemAndChangesNothing() {
    String huge = "{\"x\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}";
    assertAll(
        badRequest("POST", "api/turn/credentials", "{not json", "application/json", 400),
        badRequest("POST", "api/turn/credentials", "[1,2,3]", "application/json", 400),
        badRequest("POST", "api/turn/credentials", "\"text\"", "application/json", 400),
        badRequest("POST", "api/turn/credentials", "{\"ttl\":99999}", "application/json", 400),
        badRequest("POST", "api/turn/credentials", huge, "application/json", 413),
        badRequest("GET", "api/directory?limit=abc", null, null, 400),
        badRequest("POST", "api/presence/lookup", "{}", JSON, 400),
        badRequest("POST", "api/presence/lookup", "{\"emails\":\"a@b\"}", JSON, 400),
        badRequest("POST", "api/presence/lookup", "{\"emails\":[1]}", JSON, 400),
        badRequest("POST", "api/presence/lookup", "{\"emails\":[\"no-at\"]}", JSON, 400),
        badRequest("POST", "api/presence/lookup", "{\"emails\":[],\"x\":1}", JSON, 400),
        badRequest("POST", "api/presence/lookup", tooManyEmails(), JSON, 400),
        badRequest("GET", "api/directory?limit=100000", null, null, 400),
        badRequest("GET", "api/directory?q=" + "x".repeat(500), null, null, 400),
        badRequest("DELETE", "api/me", null, null, 405),
        badRequest("GET", "api/no-such-thing", null, null, 404),
        badRequest("POST", "api/me", "{}", "application/json", 405));
  }

  private static String tooManyEmails() {
    var emails = Json.createArrayBuilder();
    for (int i = 0; i <= 200; i++) {
      emails.add("p" + i + "@acme-bank.example");
    }
    return Json.createObjectBuilder().add("emails", emails).build().toString();
  }

  private Executable badRequest(String method, String path, String body, String type, int status) {
    return () -> {
      var response = send(method, path, alice, body, type);
      assertEquals(status, response.statusCode(), method + " " + path + ": " + response.body());
      assertProblem(response, status);
    };
  }

  // --- plumbing ---------------------------------------------------------------------------------

  private HttpResponse<String> send(
      String method, String path, String token, String body, String type) throws Exception {
    return ApiCalls.send(base, method, path, token, body, type);
  }
}
