package com.vclick.web.it;

import static com.vclick.web.it.ApiCalls.JSON;
import static com.vclick.web.it.ApiCalls.assertProblem;
import static com.vclick.web.it.ApiCalls.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.testkit.KeycloakLogin;
import com.vclick.testkit.SignalingClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * Recorded calls' API (web/EDGE-API.md "Recorded calls") on the deployed WAR with real tokens: who
 * may open one, under which decision, and bad input refused with the field named. The media
 * server's part (offers through Janus, the recording) is shown end to end in the browser tests.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RecordedCallsIT {

  private static final String BASE = "api/edge/recorded-calls";
  private static final String SDP =
      "v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\nm=audio 9 UDP/TLS/RTP/SAVPF 111\\r\\n";

  private static String alice;
  private static String eve;
  private static String erin;
  private static String frank;

  @ArquillianResource private URL base;

  @Deployment(testable = false)
  static WebArchive war() {
    return BuiltWar.load()
        .addClass(RecordingsTestResource.class)
        .addClass(AuditRows.class)
        .addClass(IntegrityTestResource.class);
  }

  @BeforeAll
  static void signIn() {
    var login = KeycloakLogin.vclick();
    alice = login.loginToWebApp("alice").accessToken();
    eve = login.loginToWebApp("eve").accessToken();
    erin = login.loginToWebApp("erin").accessToken();
    frank = login.loginToWebApp("frank").accessToken();
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
  void hostileDescriptionsAndCandidatesAreRefusedBeforeTheMediaServerSeesThem() throws Exception {
    String offer = BASE + "/00000000-0000-4000-8000-000000000000/offer";
    // A line type WebRTC does not use, smuggled between the session's lines.
    String smuggled = SDP.replace("t=0 0", "t=0 0\\r\\nk=prompt");
    assertTrue(
        problem(
                send("POST", offer, alice, "{\"from\":\"far-end\",\"sdp\":\"" + smuggled + "\"}"),
                400)
            .startsWith("sdp line 5 "));
    // A NUL inside an attribute.
    String nul = SDP + "a=mid:0\\u0000\\r\\n";
    assertTrue(
        problem(send("POST", offer, alice, "{\"from\":\"far-end\",\"sdp\":\"" + nul + "\"}"), 400)
            .contains("control character"));
    String candidates = BASE + "/00000000-0000-4000-8000-000000000000/candidates";
    assertTrue(
        problem(
                send(
                    "POST",
                    candidates,
                    alice,
                    "{\"from\":\"far-end\",\"candidates\":[{\"candidate\":"
                        + "\"candidate:1 1 udp 1 10.0.0.1 5 typ host\",\"sdpMid\":\"0\"},"
                        + "{\"candidate\":\"candidate:1 1 udp 1 10.0.0.1 99999 typ host\","
                        + "\"sdpMid\":\"0\"}]}"),
                400)
            .startsWith("candidates[1].candidate: candidate has an invalid port"));
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

  // --- a recording that fails during the call, on the real Janus
  // ----------------------------------

  /** A canned Chromium SDP of the Janus adapter's tests, as JSON string content. */
  private static String cannedSdp(String name) throws Exception {
    String sdp = Files.readString(Path.of(System.getProperty("vclick.it.sdp"), name));
    return Json.createValue(sdp).toString();
  }

  private JsonObject session(String id) throws Exception {
    var response = send("GET", "api/it/integrity/sessions/" + id, erin, null);
    assertEquals(200, response.statusCode(), response.body());
    return json(response.body()).asJsonObject();
  }

  /**
   * Janus takes the call (canned Chromium SDPs: no media flows), then cannot record it: its
   * recordings folder went away. Under {@code block} (this deployment's fail mode) the call ends
   * for both legs (the server hangs up the media server's call: the wrapper's next request finds no
   * call, the page's connection loses its media path), audited {@code recording.failed}; the
   * session ends as that audited failure and the compliance view explains the gap with it. Alice's
   * signaling socket (her extension's) is told at once: {@code recording.stopped}, the wrapper's
   * cue to fail the page's connection.
   */
  @Test
  void aRecordingThatFailsDuringTheCallUnderBlockEndsTheCallAudited() throws Exception {
    var scenario = new RecordScenario(base, frank, alice);
    Path media = Path.of(System.getProperty("vclick.it.mediaRecordings"));
    Path aside = media.resolveSibling(media.getFileName() + ".aside");
    scenario.recordTheOrigin();
    var alicesSocket = SignalingClient.signIn(HttpClient.newHttpClient(), base.toString(), alice);
    try {
      String decision = scenario.decide();
      String connection = scenario.connection(decision, true);
      var opened =
          send(
              "POST",
              BASE,
              alice,
              "{\"decisionId\":\"" + decision + "\",\"connectionId\":\"" + connection + "\"}");
      assertEquals(201, opened.statusCode(), opened.body());
      String id = json(opened.body()).asJsonObject().getString("recordedCallId");
      assertTrue(session(id).isNull("outcome"), "persisted, open, from its opening");
      if (Files.exists(media)) {
        Files.move(media, aside);
      }
      var offered =
          send(
              "POST",
              BASE + "/" + id + "/offer",
              alice,
              "{\"from\":\"enterprise\",\"sdp\":" + cannedSdp("chromium-offer.sdp") + "}");
      assertEquals(200, offered.statusCode(), offered.body());
      var answered =
          send(
              "POST",
              BASE + "/" + id + "/answer",
              alice,
              "{\"from\":\"far-end\",\"sdp\":" + cannedSdp("chromium-answer.sdp") + "}");
      assertEquals(200, answered.statusCode(), "the call is up: " + answered.body());

      JsonObject ended = session(id);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (ended.isNull("outcome") && System.nanoTime() < deadline) {
        Thread.sleep(100); // polling the server's state, bounded by the deadline
        ended = session(id);
      }
      assertEquals("failed", ended.getString("outcome"), ended.toString());
      assertTrue(ended.getString("reason").startsWith("recording.failed:"), ended.toString());
      assertTrue(ended.getString("reason").endsWith("(call-ended)"), ended.toString());
      problem(
          send(
              "POST",
              BASE + "/" + id + "/candidates",
              alice,
              "{\"from\":\"far-end\",\"candidates\":[{\"candidate\":\"\",\"sdpMid\":\"0\"}]}"),
          404);

      var trail = send("GET", "api/it/recordings/audit?target=recorded-call:" + id, erin, null);
      List<JsonObject> entries =
          json(trail.body()).asJsonArray().stream().map(JsonValue::asJsonObject).toList();
      JsonObject failed =
          entries.stream()
              .filter(e -> e.getString("action").equals("recording.failed"))
              .findFirst()
              .orElseThrow(() -> new AssertionError(trail.body()));
      assertTrue(failed.getString("detail").contains("failMode=block"), failed.toString());
      assertTrue(failed.getString("detail").contains("call=call-ended"), failed.toString());
      assertTrue(
          entries.stream().anyMatch(e -> e.getString("detail").equals("reason=recording-failed")),
          "the call released because of it: " + trail.body());

      JsonObject gap = RecordScenario.gapOf(RecordScenario.compliance(base, erin), connection);
      assertEquals("failed", gap.getString("status"));
      assertEquals(id, gap.getString("recordedCallId"));

      JsonObject stopped = alicesSocket.next("recording.stopped");
      assertEquals(id, stopped.getString("recordedCallId"), stopped.toString());
      assertEquals("recording-failed", stopped.getString("reason"), stopped.toString());
    } finally {
      alicesSocket.close();
      if (Files.exists(aside)) {
        Files.move(aside, media);
      }
      scenario.restoreShippedPolicy();
    }
  }
}
