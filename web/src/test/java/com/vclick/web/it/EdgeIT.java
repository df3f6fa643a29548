package com.vclick.web.it;

import static com.vclick.web.it.ApiCalls.JSON;
import static com.vclick.web.it.ApiCalls.assertProblem;
import static com.vclick.web.it.ApiCalls.json;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.testkit.KeycloakLogin;
import com.vclick.testkit.TestEnv;
import com.vclick.testkit.Tokens;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * Secure Edge policies and decisions on the deployed WAR against the real Keycloak (roles from
 * tokens, groups from the directory) and coturn's shared secret: the security matrix, the shipped
 * default, a policy edited by frank deciding for alice and bob, optimistic locking, invalid
 * policies refused whole, the audit trail and the decision log. Every test leaves the shipped
 * policy in force.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class EdgeIT {

  private static final String MEET = "https://meet.example.com";
  private static final String DESK = "https://desk.trading.example";

  private static String alice;
  private static String aliceId;
  private static String bob;
  private static String bobId;
  private static String eve;
  private static String frank;

  @ArquillianResource private URL base;

  @Deployment(testable = false)
  static WebArchive war() {
    return BuiltWar.load();
  }

  @BeforeAll
  static void signIn() {
    var login = KeycloakLogin.vclick();
    Tokens aliceTokens = login.loginToWebApp("alice");
    alice = aliceTokens.accessToken();
    aliceId = aliceTokens.accessClaims().getString("sub");
    Tokens bobTokens = login.loginToWebApp("bob");
    bob = bobTokens.accessToken();
    bobId = bobTokens.accessClaims().getString("sub");
    eve = login.loginToWebApp("eve").accessToken();
    frank = login.loginToWebApp("frank").accessToken();
  }

  /** Puts the shipped policy back, so that no test depends on another's leftovers. */
  @AfterEach
  void restoreTheShippedPolicy() throws Exception {
    JsonObject shipped =
        Json.createObjectBuilder()
            .add("version", currentPolicy().getJsonNumber("version").longValue())
            .add("default", Json.createObjectBuilder().add("decision", "relay"))
            .add("rules", JsonValue.EMPTY_JSON_ARRAY)
            .build();
    var response = send("PUT", "api/edge/policy", frank, shipped.toString(), JSON);
    assertEquals(200, response.statusCode(), response.body());
  }

  // --- security matrix --------------------------------------------------------------------------

  private static final String DECISION = "{\"origin\":\"" + MEET + "\"}";

  @Test
  void securityMatrix() throws Exception {
    long version = currentPolicy().getJsonNumber("version").longValue();
    List<Executable> checks = new ArrayList<>();
    for (String token : new String[] {null, eve}) {
      int status = token == null ? 401 : 403;
      checks.add(expect("POST", "api/edge/decision", token, DECISION, status));
      checks.add(expect("GET", "api/edge/policy", token, null, status));
      checks.add(expect("PUT", "api/edge/policy", token, unchangedPolicy(), status));
      checks.add(expect("GET", "api/edge/decisions", token, null, status));
    }
    checks.add(expect("POST", "api/edge/decision", bob, DECISION, 200));
    checks.add(expect("GET", "api/edge/policy", bob, null, 403));
    checks.add(expect("PUT", "api/edge/policy", bob, unchangedPolicy(), 403));
    checks.add(expect("GET", "api/edge/decisions", bob, null, 403));
    checks.add(expect("GET", "api/edge/decisions?user=" + bobId, bob, null, 403));
    assertAll(checks);
    assertEquals(
        version,
        currentPolicy().getJsonNumber("version").longValue(),
        "refused PUTs changed nothing");

    assertEquals(200, send("POST", "api/edge/decision", frank, DECISION, JSON).statusCode());
    assertEquals(200, send("GET", "api/edge/policy", frank, null, null).statusCode());
    assertEquals(200, send("GET", "api/edge/decisions", frank, null, null).statusCode());
    var put = send("PUT", "api/edge/policy", frank, unchangedPolicy(), JSON);
    assertEquals(200, put.statusCode(), put.body());
  }

  /** The current document as it is: a PUT of it changes only the version. */
  private String unchangedPolicy() throws Exception {
    return currentPolicy().toString();
  }

  private Executable expect(String method, String path, String token, String body, int status) {
    return () -> {
      var response = send(method, path, token, body, body == null ? null : JSON);
      String label = method + " " + path + " with " + who(token);
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

  private static String who(String token) {
    return token == null ? "no token" : token.equals(eve) ? "eve" : token.equals(bob) ? "bob" : "?";
  }

  // --- the shipped default ----------------------------------------------------------------------

  @Test
  void theShippedDefaultRelaysWithCredentialsBoundToUserAndOrigin() throws Exception {
    JsonObject policy = currentPolicy();
    assertEquals(0, policy.getJsonArray("rules").size(), policy.toString());
    assertEquals("relay", policy.getJsonObject("default").getString("decision"));

    long before = Instant.now().getEpochSecond();
    var response =
        send(
            "POST",
            "api/edge/decision",
            bob,
            "{\"origin\":\"HTTPS://Meet.Example.com:443/\"}",
            JSON);
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Cache-Control").orElse("").contains("no-store"));
    JsonObject decision = json(response.body()).asJsonObject();

    UUID.fromString(decision.getString("decisionId"));
    assertEquals(MEET, decision.getString("origin"), "normalised");
    assertEquals("relay", decision.getString("decision"));
    assertEquals("default", decision.getJsonObject("rule").getString("id"));
    JsonObject settings = decision.getJsonObject("settings");
    assertEquals("relay-only", settings.getString("candidateFilter"));
    assertEquals("192.0.2.1", settings.getString("fakeLocalIp"));
    assertEquals(0, settings.getJsonArray("allowedLocalRanges").size());
    for (String block :
        List.of("blockCamera", "blockMicrophone", "blockScreenCapture", "blockDataChannels")) {
      assertFalse(settings.getBoolean(block), block);
    }
    assertFalse(decision.containsKey("explanation"), "bob is no edge-admin");
    Instant decidedAt = Instant.parse(decision.getString("decidedAt"));
    assertTrue(Math.abs(decidedAt.getEpochSecond() - before) < 60, decidedAt.toString());

    JsonObject turn = decision.getJsonObject("turn");
    String username = turn.getString("username");
    String[] parts = username.split(":");
    assertEquals(3, parts.length, username);
    long expiry = Long.parseLong(parts[0]);
    assertTrue(expiry > before && expiry <= before + 600 + 5, "expiry within 10 minutes");
    assertEquals(bobId, parts[1]);
    assertEquals(originTag(MEET), parts[2]);
    assertEquals(
        hmac(TestEnv.require("VCLICK_TURN_SECRET"), username), turn.getString("credential"));
    long ttl = turn.getJsonNumber("ttl").longValue();
    assertTrue(ttl > 0 && ttl <= 600, "ttl " + ttl);
    assertEquals(
        List.of(TestEnv.require("VCLICK_TURN_URIS").split(",")),
        turn.getJsonArray("uris").getValuesAs(JsonString::getString));
  }

  @Test
  void aMalformedOriginIsDeniedNotRefusedButABadBodyIsRefused() throws Exception {
    for (String origin :
        List.of("null", "file:///etc/passwd", "https://exa mple.com", "javascript:alert(1)", "")) {
      var response =
          send("POST", "api/edge/decision", bob, body("origin", Json.createValue(origin)), JSON);
      assertEquals(200, response.statusCode(), origin + ": " + response.body());
      JsonObject decision = json(response.body()).asJsonObject();
      assertEquals("deny", decision.getString("decision"), origin);
      assertTrue(decision.isNull("rule"), origin);
      assertTrue(decision.isNull("origin"), origin);
      assertFalse(decision.containsKey("turn"), origin);
      assertTrue(decision.getJsonObject("settings").getBoolean("blockCamera"), "locked down");
    }
    assertAll(
        refused("POST", "api/edge/decision", "{}", 400),
        refused("POST", "api/edge/decision", "{\"origin\":42}", 400),
        refused("POST", "api/edge/decision", "{\"origin\":null}", 400),
        refused("POST", "api/edge/decision", "{\"origin\":[\"" + MEET + "\"]}", 400),
        refused("POST", "api/edge/decision", "{\"origin\":\"" + MEET + "\",\"user\":\"x\"}", 400),
        refused("POST", "api/edge/decision", "{\"origin\":", 400),
        refused("POST", "api/edge/decision", "[\"" + MEET + "\"]", 400),
        refused(
            "POST",
            "api/edge/decision",
            body("origin", Json.createValue("https://" + "a".repeat(2048) + ".example")),
            400),
        refused("POST", "api/edge/decision", "{\"x\":\"" + "a".repeat(70_000) + "\"}", 413));
  }

  private Executable refused(String method, String path, String body, int status) {
    return () -> {
      var response = send(method, path, bob, body, JSON);
      assertEquals(status, response.statusCode(), method + " " + path + ": " + response.body());
      assertProblem(response, status);
    };
  }

  // --- a policy edited by frank -----------------------------------------------------------------

  /**
   * 1: traders on trading sites → deny; 2: callers on meet, in a window that is always open → allow
   * with mode-3; 3: anyone, anywhere, in a window that cannot be open now → record.
   */
  private static JsonObject threeRules(long version) {
    DayOfWeek today = LocalDate.now(ZoneOffset.UTC).getDayOfWeek();
    JsonArrayBuilder notToday = Json.createArrayBuilder();
    // From the day after tomorrow on: never today, nor tomorrow should the test cross midnight.
    for (int plus = 2; plus <= 5; plus++) {
      notToday.add(today.plus(plus).name().substring(0, 3));
    }
    JsonArrayBuilder everyDay = Json.createArrayBuilder();
    for (DayOfWeek day : DayOfWeek.values()) {
      everyDay.add(day.name());
    }
    return Json.createObjectBuilder()
        .add("version", version)
        .add("default", Json.createObjectBuilder().add("decision", "relay"))
        .add(
            "rules",
            Json.createArrayBuilder()
                .add(
                    Json.createObjectBuilder()
                        .add("id", "traders-deny")
                        .add("name", "Traders: no WebRTC on trading sites")
                        .add("groups", Json.createArrayBuilder().add("traders"))
                        .add("origins", Json.createArrayBuilder().add("https://*.trading.example"))
                        .add("decision", "deny")
                        .add(
                            "settings",
                            Json.createObjectBuilder()
                                .add("blockCamera", true)
                                .add("blockMicrophone", true)))
                .add(
                    Json.createObjectBuilder()
                        .add("id", "meet-allow")
                        .add("name", "Callers meet directly")
                        .add("roles", Json.createArrayBuilder().add("caller"))
                        .add("origins", Json.createArrayBuilder().add(MEET))
                        .add(
                            "timeWindows",
                            Json.createArrayBuilder()
                                .add(
                                    Json.createObjectBuilder()
                                        .add("days", everyDay)
                                        .add("from", "00:00")
                                        .add("to", "00:00")
                                        .add("zone", "UTC")))
                        .add("decision", "allow")
                        .add(
                            "settings",
                            Json.createObjectBuilder().add("candidateFilter", "mode-3")))
                .add(
                    Json.createObjectBuilder()
                        .add("id", "record-later")
                        .add("name", "Record, but not today")
                        .add(
                            "timeWindows",
                            Json.createArrayBuilder()
                                .add(
                                    Json.createObjectBuilder()
                                        .add("days", notToday)
                                        .add("from", "09:00")
                                        .add("to", "17:00")
                                        .add("zone", "UTC")))
                        .add("decision", "record")))
        .build();
  }

  @Test
  void frankPolicyDecidesForAliceAndBobByGroupRoleOriginAndTime() throws Exception {
    long version = currentPolicy().getJsonNumber("version").longValue();
    long audited = auditedEntries();
    var put = send("PUT", "api/edge/policy", frank, threeRules(version).toString(), JSON);
    assertEquals(200, put.statusCode(), put.body());
    JsonObject saved = json(put.body()).asJsonObject();
    assertEquals(version + 1, saved.getJsonNumber("version").longValue());
    assertEquals(saved, currentPolicy(), "GET shows what the PUT answered");
    assertEquals(audited + 1, auditedEntries(), "the change is audited");
    assertEquals(
        List.of("traders-deny", "meet-allow", "record-later"),
        saved.getJsonArray("rules").stream()
            .map(rule -> rule.asJsonObject().getString("id"))
            .toList());

    JsonObject aliceOnDesk = decide(alice, DESK);
    assertEquals("deny", aliceOnDesk.getString("decision"));
    assertEquals("traders-deny", aliceOnDesk.getJsonObject("rule").getString("id"));
    assertTrue(aliceOnDesk.getJsonObject("settings").getBoolean("blockCamera"));
    assertFalse(aliceOnDesk.containsKey("turn"), "no relay for a deny");

    JsonObject aliceOnMeet = decide(alice, MEET);
    assertEquals("allow", aliceOnMeet.getString("decision"));
    assertEquals("meet-allow", aliceOnMeet.getJsonObject("rule").getString("id"));
    assertEquals("mode-3", aliceOnMeet.getJsonObject("settings").getString("candidateFilter"));
    assertFalse(aliceOnMeet.containsKey("turn"));

    JsonObject bobOnDesk = decide(bob, DESK);
    assertEquals("relay", bobOnDesk.getString("decision"), "bob is staff, not traders");
    assertEquals("default", bobOnDesk.getJsonObject("rule").getString("id"));
    assertTrue(
        bobOnDesk
            .getJsonObject("turn")
            .getString("username")
            .endsWith(":" + bobId + ":" + originTag(DESK)));
    assertFalse(bobOnDesk.containsKey("explanation"));

    assertEquals("meet-allow", decide(bob, MEET).getJsonObject("rule").getString("id"));
    JsonObject aliceOnApex = decide(alice, "https://trading.example");
    assertEquals("relay", aliceOnApex.getString("decision"), "*.trading.example is subdomains");
    assertEquals("default", aliceOnApex.getJsonObject("rule").getString("id"));

    JsonObject frankOnDesk = decide(frank, DESK);
    assertEquals("default", frankOnDesk.getJsonObject("rule").getString("id"));
    String explanation =
        String.join(
            "\n", frankOnDesk.getJsonArray("explanation").getValuesAs(JsonString::getString));
    assertTrue(explanation.contains("Traders: no WebRTC on trading sites"), explanation);
    assertTrue(explanation.contains("it-security"), "frank's group: " + explanation);
    assertTrue(explanation.contains("Record, but not today"), explanation);
    assertTrue(explanation.contains("outside its time windows"), explanation);
    assertTrue(explanation.contains("the default applies"), explanation);
  }

  @Test
  void aPolicyRoundTripsThroughGetAndPut() throws Exception {
    long version = currentPolicy().getJsonNumber("version").longValue();
    assertEquals(
        200,
        send("PUT", "api/edge/policy", frank, threeRules(version).toString(), JSON).statusCode());
    JsonObject read = currentPolicy();

    var put = send("PUT", "api/edge/policy", frank, read.toString(), JSON);
    assertEquals(200, put.statusCode(), put.body());
    JsonObject again = json(put.body()).asJsonObject();
    assertEquals(version + 2, again.getJsonNumber("version").longValue());
    assertEquals(read.getJsonArray("rules"), again.getJsonArray("rules"));
    assertEquals(read.getJsonObject("default"), again.getJsonObject("default"));
  }

  @Test
  void aStaleVersionConflictsAndChangesNothing() throws Exception {
    long version = currentPolicy().getJsonNumber("version").longValue();
    assertEquals(
        200,
        send("PUT", "api/edge/policy", frank, threeRules(version).toString(), JSON).statusCode());
    JsonObject current = currentPolicy();
    long audited = auditedEntries();

    var stale =
        send(
            "PUT",
            "api/edge/policy",
            frank,
            Json.createObjectBuilder(current)
                .add("version", version)
                .add("rules", JsonValue.EMPTY_JSON_ARRAY)
                .build()
                .toString(),
            JSON);
    assertEquals(409, stale.statusCode(), stale.body());
    String detail = assertProblem(stale, 409);
    assertTrue(
        detail.startsWith("version:") && detail.contains(String.valueOf(version + 1)), detail);
    assertEquals(current, currentPolicy(), "nothing changed");
    assertEquals(audited, auditedEntries(), "nothing audited");
  }

  @Test
  void invalidPoliciesAreRefusedWholeNamingTheField() throws Exception {
    JsonObject current = currentPolicy();
    long version = current.getJsonNumber("version").longValue();
    long audited = auditedEntries();
    JsonObject valid = threeRules(version);

    assertAll(
        invalid(
            withRule(
                valid,
                0,
                "origins",
                Json.createArrayBuilder().add("https://exa mple.com/x").build()),
            400,
            "rules[0].origins[0]:"),
        invalid(
            withRule(
                withRule(valid, 1, "decision", Json.createValue("relay")),
                1,
                "settings",
                Json.createObjectBuilder().add("candidateFilter", "mode-1").build()),
            400,
            "rules[1].settings.candidateFilter:"),
        invalid(
            withRule(valid, 0, "colour", Json.createValue("red")).toString(),
            400,
            "rules[0].colour:"),
        invalid(
            Json.createObjectBuilder(valid).add("owner", "frank").build().toString(), 400, null),
        invalid(
            withRule(valid, 2, "id", Json.createValue("traders-deny")).toString(),
            400,
            "rules[2].id:"),
        invalid(
            Json.createObjectBuilder(valid).remove("version").build().toString(), 400, "version:"),
        invalid(
            withRule(
                    valid,
                    1,
                    "timeWindows",
                    Json.createArrayBuilder()
                        .add(
                            Json.createObjectBuilder()
                                .add("days", Json.createArrayBuilder().add("MON"))
                                .add("from", "08:00")
                                .add("to", "18:00")
                                .add("zone", "Mars/Olympus"))
                        .build())
                .toString(),
            400,
            "rules[1].timeWindows[0].zone:"),
        invalid("{\"version\":" + version + ",\"rules\":[", 400, null),
        invalid(manyRules(version, 2_000).toString(), 400, "rules:"),
        invalid("{\"version\":" + version + "," + padding(300_000) + "}", 413, null));
    var wrongType = send("PUT", "api/edge/policy", frank, valid.toString(), "text/plain");
    assertEquals(415, wrongType.statusCode(), wrongType.body());

    assertEquals(current, currentPolicy(), "nothing changed");
    assertEquals(audited, auditedEntries(), "nothing audited");
  }

  private Executable invalid(JsonObject body, int status, String field) {
    return invalid(body.toString(), status, field);
  }

  private Executable invalid(String body, int status, String field) {
    return () -> {
      var response = send("PUT", "api/edge/policy", frank, body, JSON);
      assertEquals(status, response.statusCode(), response.body());
      String detail = assertProblem(response, status);
      if (field != null) {
        assertTrue(detail.startsWith(field), "detail names " + field + ": " + detail);
      }
    };
  }

  private static JsonObject withRule(JsonObject policy, int index, String field, JsonValue value) {
    JsonArray rules = policy.getJsonArray("rules");
    JsonObject changed =
        Json.createObjectBuilder(rules.getJsonObject(index)).add(field, value).build();
    return Json.createObjectBuilder(policy)
        .add("rules", Json.createArrayBuilder(rules).set(index, changed))
        .build();
  }

  private static JsonObject manyRules(long version, int count) {
    JsonArrayBuilder rules = Json.createArrayBuilder();
    for (int i = 0; i < count; i++) {
      rules.add(
          Json.createObjectBuilder()
              .add("id", "r" + i)
              .add("name", "Rule " + i)
              .add("origins", Json.createArrayBuilder().add("https://r" + i + ".example"))
              .add("decision", "deny"));
    }
    return Json.createObjectBuilder()
        .add("version", version)
        .add("default", Json.createObjectBuilder().add("decision", "relay"))
        .add("rules", rules)
        .build();
  }

  private static String padding(int size) {
    return "\"padding\":\"" + "x".repeat(size) + "\"";
  }

  /**
   * A hundred realistic rules, pretty-printed (~128 KB, twice the general body limit), are
   * accepted, read back identically and decide.
   */
  @Test
  void aHundredRulePrettyPrintedPolicyFits() throws Exception {
    long version = currentPolicy().getJsonNumber("version").longValue();
    JsonArrayBuilder rules = Json.createArrayBuilder();
    for (int i = 0; i < 100; i++) {
      rules.add(
          Json.createObjectBuilder()
              .add("id", "desk-" + i)
              .add("name", "Desk " + i + ": conferencing sites in office hours")
              .add("enabled", true)
              .add("roles", Json.createArrayBuilder().add("caller"))
              .add("groups", Json.createArrayBuilder().add("staff").add("traders"))
              .add(
                  "origins",
                  Json.createArrayBuilder()
                      .add("https://*.desk" + i + ".example.com")
                      .add("https://meet" + i + ".example.com")
                      .add("https://teams" + i + ".example.com"))
              .add(
                  "timeWindows",
                  Json.createArrayBuilder()
                      .add(
                          Json.createObjectBuilder()
                              .add(
                                  "days",
                                  Json.createArrayBuilder()
                                      .add("MON")
                                      .add("TUE")
                                      .add("WED")
                                      .add("THU")
                                      .add("FRI"))
                              .add("from", "07:30")
                              .add("to", "19:00")
                              .add("zone", "Europe/London")))
              .add("decision", i == 99 ? "allow" : "relay")
              .add(
                  "settings",
                  Json.createObjectBuilder()
                      .add("candidateFilter", i == 99 ? "mode-2" : "relay-only")
                      .add("fakeLocalIp", "192.0.2.1")
                      .add("allowedLocalRanges", Json.createArrayBuilder().add("10.20.0.0/16"))
                      .add("blockCamera", false)
                      .add("blockMicrophone", false)
                      .add("blockScreenCapture", true)
                      .add("blockDataChannels", false)));
    }
    JsonObject policy =
        Json.createObjectBuilder()
            .add("version", version)
            .add("default", Json.createObjectBuilder().add("decision", "deny"))
            .add("rules", rules)
            .build();
    String pretty = pretty(policy);
    assertTrue(
        pretty.getBytes(StandardCharsets.UTF_8).length > 64 * 1024, "beyond the general limit");

    var put = send("PUT", "api/edge/policy", frank, pretty, JSON);
    assertEquals(200, put.statusCode(), put.body());
    JsonArray stored = currentPolicy().getJsonArray("rules");
    assertEquals(100, stored.size());
    // Every field was sent, in canonical form: what is read back is exactly what was sent.
    assertTrue(policy.getJsonArray("rules").equals(stored), "the rules read back as sent");
    assertEquals("deny", decide(bob, "https://elsewhere.example").getString("decision"));
  }

  // --- the decision log -------------------------------------------------------------------------

  @Test
  void decisionsAreRecordedAndListedForEdgeAdmins() throws Exception {
    List<JsonObject> issued = new ArrayList<>();
    for (String origin : List.of("https://a.example", "https://b.example", "null")) {
      issued.add(decide(bob, origin));
    }
    decide(alice, "https://a.example");

    var response = send("GET", "api/edge/decisions?user=" + bobId + "&limit=3", frank, null, null);
    assertEquals(200, response.statusCode(), response.body());
    JsonArray listed = json(response.body()).asJsonArray();
    assertEquals(3, listed.size(), listed.toString());
    Set<String> ids = new HashSet<>();
    Instant previous = Instant.MAX;
    for (JsonValue value : listed) {
      JsonObject entry = value.asJsonObject();
      ids.add(entry.getString("decisionId"));
      assertEquals(bobId, entry.getString("userId"));
      Instant decidedAt = Instant.parse(entry.getString("decidedAt"));
      assertFalse(decidedAt.isAfter(previous), "newest first");
      previous = decidedAt;
      assertTrue(entry.getJsonNumber("policyVersion").longValue() >= 0);
    }
    assertEquals(
        Set.copyOf(issued.stream().map(d -> d.getString("decisionId")).toList()),
        ids,
        "exactly bob's three latest decisions");
    for (JsonValue value : listed) {
      JsonObject entry = value.asJsonObject();
      JsonObject mine =
          issued.stream()
              .filter(d -> d.getString("decisionId").equals(entry.getString("decisionId")))
              .findFirst()
              .orElseThrow();
      assertEquals(mine.getString("decision"), entry.getString("decision"));
      assertEquals(mine.getString("decidedAt"), entry.getString("decidedAt"));
      if (mine.containsKey("turn")) {
        assertEquals(
            mine.getJsonObject("turn").getString("username"), entry.getString("turnUsername"));
        assertEquals(mine.getString("origin"), entry.getString("origin"));
        assertEquals("default", entry.getJsonObject("rule").getString("id"));
      } else {
        assertEquals("null", entry.getString("origin"), "a malformed origin as sent");
        assertTrue(entry.isNull("rule"));
        assertTrue(entry.isNull("turnUsername"));
      }
    }

    String oldest = listed.getJsonObject(2).getString("decidedAt");
    JsonArray older =
        json(send(
                    "GET",
                    "api/edge/decisions?user=" + bobId + "&before=" + oldest,
                    frank,
                    null,
                    null)
                .body())
            .asJsonArray();
    for (JsonValue value : older) {
      assertTrue(
          Instant.parse(value.asJsonObject().getString("decidedAt"))
              .isBefore(Instant.parse(oldest)));
    }
    JsonArray everyone =
        json(send("GET", "api/edge/decisions?limit=500", frank, null, null).body()).asJsonArray();
    assertTrue(
        everyone.stream().anyMatch(v -> v.asJsonObject().getString("userId").equals(aliceId)));

    assertAll(
        badQuery("limit=abc"),
        badQuery("limit=0"),
        badQuery("limit=501"),
        badQuery("before=yesterday"),
        badQuery("user="),
        badQuery("user=" + "x".repeat(65)));
  }

  private Executable badQuery(String query) {
    return () -> {
      var response = send("GET", "api/edge/decisions?" + query, frank, null, null);
      assertEquals(400, response.statusCode(), query + ": " + response.body());
      assertProblem(response, 400);
    };
  }

  // --- plumbing ---------------------------------------------------------------------------------

  private JsonObject currentPolicy() throws Exception {
    var response = send("GET", "api/edge/policy", frank, null, null);
    assertEquals(200, response.statusCode(), response.body());
    return json(response.body()).asJsonObject();
  }

  private JsonObject decide(String token, String origin) throws Exception {
    var response =
        send("POST", "api/edge/decision", token, body("origin", Json.createValue(origin)), JSON);
    assertEquals(200, response.statusCode(), origin + ": " + response.body());
    return json(response.body()).asJsonObject();
  }

  /** How many entries the audit trail holds, after checking that its chain is intact. */
  private long auditedEntries() throws Exception {
    var response = send("GET", "api/audit/verify", frank, null, null);
    assertEquals(200, response.statusCode(), response.body());
    JsonObject verification = json(response.body()).asJsonObject();
    assertTrue(verification.getBoolean("intact"), verification.toString());
    return verification.getJsonNumber("entriesChecked").longValue();
  }

  private static String body(String field, JsonValue value) {
    return Json.createObjectBuilder().add(field, value).build().toString();
  }

  /** As the API documents it: the first 16 hex digits of SHA-256 of the normalised origin. */
  private static String originTag(String origin) throws Exception {
    byte[] digest =
        MessageDigest.getInstance("SHA-256").digest(origin.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest).substring(0, 16);
  }

  private static String hmac(String secret, String username) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    return Base64.getEncoder()
        .encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
  }

  private static String pretty(JsonObject document) {
    StringWriter out = new StringWriter();
    try (var writer =
        Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true)).createWriter(out)) {
      writer.write(document);
    }
    return out.toString();
  }

  private HttpResponse<String> send(
      String method, String path, String token, String body, String type) throws Exception {
    return ApiCalls.send(base, method, path, token, body, type);
  }
}
