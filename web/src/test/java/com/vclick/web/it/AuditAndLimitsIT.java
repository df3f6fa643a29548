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
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Attacks on the audit trail and the relay's minting, on the deployed WAR with real Keycloak
 * tokens: a mint flood is refused with 429 (and decisions with it) while other users are served,
 * issued credentials are audited as a counted summary, and a row rewritten with the plain chain
 * recomputed is caught by the seal ({@code VCLICK_AUDIT_KEY}, set for every IT by the failsafe
 * configuration). {@link AuditTestResource} plays the attacker with the database's password.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AuditAndLimitsIT {

  /** Default burst plus what refills while the flood runs, with a wide margin. */
  private static final int FLOOD_LIMIT = 500;

  private static String dave;
  private static String alice;
  private static String frank;

  @ArquillianResource private URL base;

  @Deployment(testable = false)
  static WebArchive war() {
    return BuiltWar.load().addClass(AuditTestResource.class);
  }

  @BeforeAll
  static void signIn() {
    var login = KeycloakLogin.vclick();
    dave = login.loginToWebApp("dave").accessToken();
    alice = login.loginToWebApp("alice").accessToken();
    frank = login.loginToWebApp("frank").accessToken();
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
    long target = entries.getJsonObject(0).getJsonNumber("seq").longValue();

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

  private JsonObject verify() throws Exception {
    var response = send("GET", "api/audit/verify", frank, null);
    assertEquals(200, response.statusCode(), response.body());
    return json(response.body()).asJsonObject();
  }
}
