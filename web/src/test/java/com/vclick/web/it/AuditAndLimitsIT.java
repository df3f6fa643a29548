package com.vclick.web.it;

import static com.vclick.web.it.ApiCalls.JSON;
import static com.vclick.web.it.ApiCalls.assertProblem;
import static com.vclick.web.it.ApiCalls.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.testkit.KeycloakLogin;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Attacks on the audit trail and the relay's minting, on the deployed WAR with real Keycloak
 * tokens: a mint flood is refused with 429 (and decisions with it) while other users are served,
 * issued credentials are audited as a counted summary, and a row rewritten with the plain chain
 * recomputed is caught by the seal ({@code VCLICK_AUDIT_KEY}, set for every IT by the failsafe
 * configuration), and retention as of a later instant deletes due decisions, calls and connections
 * and archives the audit trail to files that verify as one chain with the rest. {@link
 * AuditTestResource} plays the attacker with the database's password and moves time for retention.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AuditAndLimitsIT {

  /**
   * The default burst plus what refills while the flood runs (one a minute in the ITs: {@code
   * VCLICK_TURN_MINT_PER_MINUTE} in web/pom.xml), with a wide margin.
   */
  private static final int FLOOD_LIMIT = 200;

  private static String dave;
  private static String alice;
  private static String frank;
  private static String bob;
  private static String bobId;

  @ArquillianResource private URL base;

  @Deployment(testable = false)
  static WebArchive war() {
    return BuiltWar.load().addClass(AuditTestResource.class).addClass(AuditRows.class);
  }

  /**
   * The archive folder every IT's server shares ({@code VCLICK_AUDIT_ARCHIVE_DIR} in web/pom.xml),
   * each with a new in-memory database: this class's archive files and checkpoints must not outlive
   * its database, nor meet another class's (an archive folder belongs to one database).
   */
  @BeforeAll
  @AfterAll
  static void emptyTheArchiveFolder() throws Exception {
    Path folder = Path.of(System.getProperty("vclick.it.auditArchive"));
    if (Files.isDirectory(folder)) {
      try (var files = Files.list(folder)) {
        for (Path file : files.toList()) {
          Files.delete(file);
        }
      }
    }
  }

  @BeforeAll
  static void signIn() {
    var login = KeycloakLogin.vclick();
    dave = login.loginToWebApp("dave").accessToken();
    alice = login.loginToWebApp("alice").accessToken();
    frank = login.loginToWebApp("frank").accessToken();
    var bobTokens = login.loginToWebApp("bob");
    bob = bobTokens.accessToken();
    bobId = bobTokens.accessClaims().getString("sub");
  }

  private HttpResponse<String> send(String method, String path, String token, String body)
      throws Exception {
    return ApiCalls.send(base, method, path, token, body, body == null ? null : JSON);
  }

  @Test
  void aMintFloodIsRefusedPerUserAndAuditedAsOneCountedSummary() throws Exception {
    send("POST", "api/it/audit/turn-summary", frank, null);
    int issued = 0;
    HttpResponse<String> refused = null;
    for (int i = 0; i < FLOOD_LIMIT && refused == null; i++) {
      var response = send("POST", "api/turn/credentials", dave, null);
      if (response.statusCode() == 200) {
        issued++;
      } else {
        refused = response;
      }
    }
    assertTrue(refused != null, "no refusal in " + FLOOD_LIMIT + " requests");
    assertEquals(429, refused.statusCode(), refused.body());
    assertTrue(assertProblem(refused, 429).contains("retry in"), refused.body());
    long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
    assertTrue(issued >= 60, "the default burst of 60 was served first, was " + issued);

    var decision =
        send("POST", "api/edge/decision", dave, "{\"origin\":\"https://meet.example.com\"}");
    assertEquals(429, decision.statusCode(), "decisions share the limit: " + decision.body());
    assertEquals(200, send("POST", "api/turn/credentials", alice, null).statusCode());

    assertEquals(204, send("POST", "api/it/audit/turn-summary", frank, null).statusCode());
    JsonArray summaries =
        json(send("GET", "api/it/audit/entries?action=turn.credentials.issued", frank, null).body())
            .asJsonArray();
    List<JsonObject> daves =
        summaries.getValuesAs(JsonObject.class).stream()
            .filter(entry -> entry.getString("actor").equals("dave"))
            .toList();
    assertEquals(1, daves.size(), summaries.toString());
    assertTrue(
        daves.get(0).getString("detail").startsWith("count=" + issued + " "),
        daves.get(0).toString());
    assertTrue(daves.get(0).getBoolean("sealed"));
    assertTrue(verify().getBoolean("intact"));
  }

  @Test
  void aRowRewrittenWithThePlainChainRecomputedIsCaughtBySeal() throws Exception {
    assertEquals(200, send("POST", "api/turn/credentials", alice, null).statusCode());
    assertEquals(204, send("POST", "api/it/audit/turn-summary", frank, null).statusCode());
    JsonObject before = verify();
    assertTrue(before.getBoolean("intact"), before.toString());
    assertTrue(before.getBoolean("sealed"), "the ITs run with VCLICK_AUDIT_KEY: " + before);
    JsonArray entries =
        json(send("GET", "api/it/audit/entries?action=turn.credentials.issued", frank, null).body())
            .asJsonArray();
    long target = entries.getJsonObject(entries.size() - 1).getJsonNumber("seq").longValue();

    var rewrite =
        ApiCalls.send(
            base,
            "POST",
            "api/it/audit/rewrite/" + target,
            frank,
            "count=0 (nothing issued)",
            "text/plain");
    assertEquals(200, rewrite.statusCode(), rewrite.body());
    JsonArray originals = json(rewrite.body()).asJsonArray();
    try {
      JsonObject after = verify();
      assertFalse(after.getBoolean("intact"), after.toString());
      assertEquals(
          target, after.getJsonNumber("firstBrokenSequence").longValue(), after.toString());
      assertTrue(after.getString("problem").contains("seal"), after.toString());
    } finally {
      assertEquals(
          204, send("POST", "api/it/audit/restore", frank, originals.toString()).statusCode());
    }
    assertTrue(verify().getBoolean("intact"), "restored rows verify again");
  }

  @Test
  void entriesRemovedFromTheEndAreCaughtByTheCheckpointOutsideTheDatabase() throws Exception {
    assertEquals(200, send("POST", "api/turn/credentials", alice, null).statusCode());
    assertEquals(204, send("POST", "api/it/audit/turn-summary", frank, null).statusCode());
    assertEquals(204, send("POST", "api/it/audit/checkpoint", frank, null).statusCode());
    assertTrue(verify().getBoolean("intact"));

    var truncate = send("POST", "api/it/audit/truncate", frank, null);
    assertEquals(200, truncate.statusCode(), truncate.body());
    try {
      JsonObject after = verify();
      assertFalse(after.getBoolean("intact"), after.toString());
      assertTrue(after.getString("problem").contains("checkpoint"), after.toString());
    } finally {
      assertEquals(
          204, send("POST", "api/it/audit/untruncate", frank, truncate.body()).statusCode());
    }
    assertTrue(verify().getBoolean("intact"), "put back, it verifies again");
  }

  @Test
  void retentionDeletesDueRowsAndArchivesTheAuditTrailVerifiablyAcrossTheCut() throws Exception {
    String callId = UUID.randomUUID().toString();
    assertEquals(204, send("POST", "api/it/audit/calls/" + callId, frank, null).statusCode());
    var decided =
        send("POST", "api/edge/decision", bob, "{\"origin\":\"https://retention.example\"}");
    assertEquals(200, decided.statusCode(), decided.body());
    assertEquals(200, send("POST", "api/turn/credentials", bob, null).statusCode());
    assertEquals(204, send("POST", "api/it/audit/turn-summary", frank, null).statusCode());
    JsonObject before = verify();

    // A year and more from now, with the defaults (180 / 365 / 365 / 365 days), everything is due.
    Instant later = Instant.now().plus(Duration.ofDays(400));
    var swept = send("POST", "api/it/audit/retention?at=" + later, frank, null);
    assertEquals(200, swept.statusCode(), swept.body());
    JsonObject done = json(swept.body()).asJsonObject();
    assertTrue(done.getInt("edge_decision") >= 1, done.toString());
    assertTrue(done.getInt("edge_call") >= 1, done.toString());
    assertTrue(done.getInt("call_log") >= 1, done.toString());
    assertTrue(
        done.getInt("audit_entry") >= before.getJsonNumber("entriesChecked").longValue(),
        "every entry then in the database went to the archive: " + done + " " + before);

    assertEquals("0", count("edge_decision", "user_id", bobId));
    assertEquals("0", count("call_log", "call_id", callId));
    assertEquals("0", count("edge_call", "call_id", callId));
    assertEquals("0", count("edge_connection", "connection_id", callId));

    JsonObject after = verifyArchive("full");
    assertTrue(after.getBoolean("intact"), after.toString());
    assertTrue(after.getBoolean("sealed"), after.toString());
    assertTrue(
        after.getJsonNumber("firstSequence").longValue() > 1, "the database's chain moved on");
    JsonObject archive = after.getJsonObject("archive");
    assertTrue(archive.getInt("files") >= 1, after.toString());
    assertEquals(
        after.getJsonNumber("firstSequence").longValue() - 1,
        archive.getJsonNumber("entriesChecked").longValue(),
        "every archived entry was checked: " + after);
    JsonArray purged =
        json(send("GET", "api/it/audit/entries?action=retention.purged", frank, null).body())
            .asJsonArray();
    assertTrue(purged.toString().contains("edge_decision"), purged.toString());
    assertTrue(verifyArchive("link").getBoolean("intact"));
    assertEquals(400, send("GET", "api/audit/verify?archive=maybe", frank, null).statusCode());
  }

  private String count(String table, String column, String id) throws Exception {
    var response =
        send(
            "GET",
            "api/it/audit/count?table=" + table + "&column=" + column + "&id=" + id,
            frank,
            null);
    assertEquals(200, response.statusCode(), response.body());
    return response.body();
  }

  private JsonObject verifyArchive(String mode) throws Exception {
    var response = send("GET", "api/audit/verify?archive=" + mode, frank, null);
    assertEquals(200, response.statusCode(), response.body());
    return json(response.body()).asJsonObject();
  }

  private JsonObject verify() throws Exception {
    var response = send("GET", "api/audit/verify", frank, null);
    assertEquals(200, response.statusCode(), response.body());
    return json(response.body()).asJsonObject();
  }
}
