package com.vclick.web.it;

import static com.vclick.web.it.ApiCalls.JSON;
import static com.vclick.web.it.ApiCalls.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.net.URL;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * What recording-integrity ITs share: frank's policy recording {@code regulated} users on one
 * origin (and the shipped one back), alice's {@code record} decision there, and her page's reports
 * of a connection made under it (the connection log the compliance view reads).
 */
final class RecordScenario {

  private final URL base;
  private final String frank;
  private final String alice;
  final String origin = "https://it-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
  private final String page = UUID.randomUUID().toString();

  RecordScenario(URL base, String frank, String alice) {
    this.base = base;
    this.frank = frank;
    this.alice = alice;
  }

  /** Regulated users' calls on this origin are recorded. */
  void recordTheOrigin() throws Exception {
    putPolicy(
        Json.createArrayBuilder()
            .add(
                Json.createObjectBuilder()
                    .add("id", "it-record")
                    .add("name", "Regulated users are recorded")
                    .add("roles", Json.createArrayBuilder().add("regulated"))
                    .add("origins", Json.createArrayBuilder().add(origin))
                    .add("decision", "record"))
            .build()
            .asJsonArray());
  }

  /** The shipped policy back (relay, no rules). */
  void restoreShippedPolicy() throws Exception {
    putPolicy(JsonValue.EMPTY_JSON_ARRAY);
  }

  private void putPolicy(jakarta.json.JsonArray rules) throws Exception {
    long version =
        json(ApiCalls.send(base, "GET", "api/edge/policy", frank, null, null).body())
            .asJsonObject()
            .getJsonNumber("version")
            .longValue();
    JsonObject policy =
        Json.createObjectBuilder()
            .add("version", version)
            .add("default", Json.createObjectBuilder().add("decision", "relay"))
            .add("rules", rules)
            .build();
    var response = ApiCalls.send(base, "PUT", "api/edge/policy", frank, policy.toString(), JSON);
    assertEquals(200, response.statusCode(), response.body());
  }

  /** Alice's decision on the origin: {@code record} once {@link #recordTheOrigin()} ran. */
  String decide() throws Exception {
    var response =
        ApiCalls.send(
            base,
            "POST",
            "api/edge/decision",
            alice,
            Json.createObjectBuilder().add("origin", origin).build().toString(),
            JSON);
    assertEquals(200, response.statusCode(), response.body());
    JsonObject decided = json(response.body()).asJsonObject();
    assertEquals("record", decided.getString("decision"), decided.toString());
    return decided.getString("decisionId");
  }

  /** Alice's page reports a new connection under {@code decisionId}; connected when asked. */
  String connection(String decisionId, boolean connected) throws Exception {
    String id = UUID.randomUUID().toString();
    var events = Json.createArrayBuilder().add(event(id, decisionId, "created"));
    if (connected) {
      events.add(
          Json.createObjectBuilder(event(id, decisionId, "connected").build())
              .add("localFingerprint", fingerprint())
              .add("remoteFingerprint", fingerprint())
              .add("localCandidateType", "relay")
              .add("remoteCandidateType", "relay")
              .add("protocol", "udp"));
    }
    var response =
        ApiCalls.send(
            base,
            "POST",
            "api/edge/connections",
            alice,
            Json.createObjectBuilder().add("events", events).build().toString(),
            JSON);
    assertEquals(true, response.statusCode() / 100 == 2, response.body());
    return id;
  }

  private static String fingerprint() {
    byte[] hash = new byte[32];
    new java.security.SecureRandom().nextBytes(hash);
    return "sha-256 " + java.util.HexFormat.ofDelimiter(":").withUpperCase().formatHex(hash);
  }

  private JsonObjectBuilder event(String connection, String decisionId, String kind) {
    return Json.createObjectBuilder()
        .add("connectionId", connection)
        .add("pageId", page)
        .add("decisionId", decisionId)
        .add("origin", origin)
        .add("event", kind)
        .add("at", Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.MILLIS).toString());
  }

  /** The compliance view (erin's) of the last hour. */
  static JsonObject compliance(URL base, String erin) throws Exception {
    String from = Instant.now().minus(1, ChronoUnit.HOURS).toString();
    String to = Instant.now().plus(1, ChronoUnit.MINUTES).toString();
    var response =
        ApiCalls.send(
            base, "GET", "api/recordings/compliance?from=" + from + "&to=" + to, erin, null, null);
    assertEquals(200, response.statusCode(), response.body());
    return json(response.body()).asJsonObject();
  }

  /** The status of one connection in the view: its gap line, or recorded when not a gap. */
  static JsonObject gapOf(JsonObject compliance, String connectionId) {
    return compliance.getJsonArray("gaps").stream()
        .map(JsonValue::asJsonObject)
        .filter(g -> g.getString("connectionId").equals(connectionId))
        .findFirst()
        .orElse(null);
  }
}
