package com.vclick.web.it;

import static com.vclick.web.it.ApiCalls.JSON;
import static com.vclick.web.it.ApiCalls.assertProblem;
import static com.vclick.web.it.ApiCalls.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.testkit.KeycloakLogin;
import java.net.URL;
import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Recorded calls' API (web/EDGE-API.md "Recorded calls") on the deployed WAR with real tokens: who
 * may open one, under which decision, and bad input refused with the field named. The media
 * server's part (offers through Janus, the recording) is shown end to end in the browser tests.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RecordedCallsIT {

  private static final String BASE = "api/edge/recorded-calls";
  private static final String SDP = "v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\n";

  private static String alice;
  private static String eve;

  @ArquillianResource private URL base;

  @Deployment(testable = false)
  static WebArchive war() {
    return BuiltWar.load();
  }

  @BeforeAll
  static void signIn() {
    var login = KeycloakLogin.vclick();
    alice = login.loginToWebApp("alice").accessToken();
    eve = login.loginToWebApp("eve").accessToken();
  }

  private HttpResponse<String> send(String method, String path, String token, String body)
      throws Exception {
    return ApiCalls.send(base, method, path, token, body, body == null ? null : JSON);
  }

  private String problem(HttpResponse<String> response, int status) {
    assertEquals(status, response.statusCode(), response.body());
    return assertProblem(response, status);
  }

  @Test
  void onlyCallersMayOpen() throws Exception {
    problem(send("POST", BASE, null, "{\"decisionId\":\"x\"}"), 401);
    problem(send("POST", BASE, eve, "{\"decisionId\":\"x\"}"), 403);
    problem(send("POST", BASE + "/x/offer", eve, "{}"), 403);
  }

  @Test
  void aCallNeedsTheCallersOwnRecordDecision() throws Exception {
    assertTrue(
        problem(send("POST", BASE, alice, "{\"decisionId\":\"no-such-decision\"}"), 400)
            .startsWith("decisionId:"));
    var decided =
        send("POST", "api/edge/decision", alice, "{\"origin\":\"https://meet.example.com\"}");
    String relayDecision = json(decided.body()).asJsonObject().getString("decisionId");
    assertTrue(
        problem(send("POST", BASE, alice, "{\"decisionId\":\"" + relayDecision + "\"}"), 400)
            .contains("not record"),
        "the shipped policy relays: no recorded call under it");
  }

  @Test
  void badInputIsRefusedWithTheFieldNamed() throws Exception {
    problem(send("POST", BASE, alice, "not json"), 400);
    assertTrue(problem(send("POST", BASE, alice, "{}"), 400).startsWith("decisionId:"));
    problem(send("POST", BASE, alice, "{\"decisionId\":\"x\",\"colour\":1}"), 400);
    String offer = BASE + "/00000000-0000-4000-8000-000000000000/offer";
    assertTrue(
        problem(send("POST", offer, alice, "{\"from\":\"middle\",\"sdp\":\"" + SDP + "\"}"), 400)
            .startsWith("from:"));
    assertTrue(
        problem(send("POST", offer, alice, "{\"from\":\"enterprise\",\"sdp\":\"hello\"}"), 400)
            .startsWith("sdp:"));
    String candidates = BASE + "/00000000-0000-4000-8000-000000000000/candidates";
    assertTrue(
        problem(
                send(
                    "POST",
                    candidates,
                    alice,
                    "{\"from\":\"far-end\",\"candidates\":[{\"candidate\":\"rm -rf\",\"sdpMid\":\"0\"}]}"),
                400)
            .startsWith("candidates[0].candidate:"));
  }

  @Test
  void anotherUsersOrAnUnknownCallIsNotFound() throws Exception {
    String offer = BASE + "/00000000-0000-4000-8000-000000000000/offer";
    problem(send("POST", offer, alice, "{\"from\":\"enterprise\",\"sdp\":\"" + SDP + "\"}"), 404);
    assertEquals(
        204,
        send("DELETE", BASE + "/00000000-0000-4000-8000-000000000000", alice, null).statusCode(),
        "hanging up what is not there is done");
  }
}
