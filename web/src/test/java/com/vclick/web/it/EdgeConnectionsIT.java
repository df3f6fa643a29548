package com.vclick.web.it;

import static com.vclick.web.it.ApiCalls.JSON;
import static com.vclick.web.it.ApiCalls.assertProblem;
import static com.vclick.web.it.ApiCalls.json;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.testkit.KeycloakLogin;
import com.vclick.testkit.Tokens;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * The Secure Edge connection log on the deployed WAR with real Keycloak tokens: the security
 * matrix, batches refused whole with the field named, alice and bob pairing one connection by its
 * DTLS fingerprints and each learning the other's identity from the directory, the call both of
 * them (and edge-admin frank, but not carol) see, the CSV export, idempotent repeats. Each test
 * works on an origin of its own, so that it sees only its own calls.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class EdgeConnectionsIT {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static String alice;
  private static String aliceId;
  private static String bob;
  private static String bobId;
  private static String carol;
  private static String carolId;
  private static String eve;
  private static String frank;

  @ArquillianResource private URL base;

  @Deployment(testable = false)
  static WebArchive war() {
    // The test-only resource (run the lost-connection sweep later, read audit) joins the real WAR.
    return BuiltWar.load().addClass(EdgeConnectionsTestResource.class).addClass(AuditRows.class);
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
    Tokens carolTokens = login.loginToWebApp("carol");
    carol = carolTokens.accessToken();
    carolId = carolTokens.accessClaims().getString("sub");
    eve = login.loginToWebApp("eve").accessToken();
    frank = login.loginToWebApp("frank").accessToken();
  }

  // --- security matrix --------------------------------------------------------------------------

  @Test
  void securityMatrix() throws Exception {
    String batch =
        batch(created(UUID.randomUUID().toString(), UUID.randomUUID().toString(), origin()));
    List<Executable> checks = new ArrayList<>();
    for (String token : new String[] {null, eve}) {
      int status = token == null ? 401 : 403;
      checks.add(expect("POST", "api/edge/connections", token, batch, status));
      checks.add(expect("GET", "api/edge/calls", token, null, status));
    }
    checks.add(expect("GET", "api/edge/calls?user=" + aliceId, carol, null, 403));
    checks.add(expect("GET", "api/edge/calls?user=" + bobId, bob, null, 403));
    checks.add(expect("GET", "api/edge/calls", carol, null, 200));
    checks.add(expect("GET", "api/edge/calls?user=" + aliceId, frank, null, 200));
    assertAll(checks);
  }

  private Executable expect(String method, String path, String token, String body, int status) {
    return () -> {
      var response = send(method, path, token, body);
      assertEquals(status, response.statusCode(), method + " " + path + ": " + response.body());
      if (status >= 400) {
        assertProblem(response, status);
      }
      if (status == 401) {
        assertTrue(
            response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
      }
    };
  }

  // --- invalid batches --------------------------------------------------------------------------

  @Test
  void badBatchesAreRefusedWholeNamingTheFieldAndNothingIsStored() throws Exception {
    String origin = origin();
    String page = UUID.randomUUID().toString();
    String fresh = UUID.randomUUID().toString();
    JsonObject good = created(fresh, page, origin);
    String future = Instant.now().plus(Duration.ofMinutes(11)).toString();
    String old = Instant.now().minus(Duration.ofHours(25)).toString();
    assertAll(
        refused(alice, "{}", "events:"),
        refused(alice, "{\"events\":[]}", "events:"),
        refused(alice, "[]", null),
        refused(alice, "{\"events\":", null),
        refused(alice, "{\"events\":[],\"userId\":\"" + bobId + "\"}", null),
        refused(alice, batch(good, with(good, "event", "opened")), "events[1].event:"),
        refused(alice, batch(good, with(good, "userId", bobId)), "events[1].userId:"),
        refused(alice, batch(good, with(good, "connectionId", "42")), "events[1].connectionId:"),
        refused(alice, batch(good, with(good, "pageId", "x")), "events[1].pageId:"),
        refused(alice, batch(good, with(good, "at", future)), "events[1].at:"),
        refused(alice, batch(good, with(good, "at", old)), "events[1].at:"),
        refused(alice, batch(good, with(good, "at", "now")), "events[1].at:"),
        refused(
            alice,
            batch(good, with(connected(fresh, page, origin, fp(), fp()), "protocol", "sctp")),
            "events[1].protocol:"),
        refused(
            alice,
            batch(good, with(connected(fresh, page, origin, fp(), fp()), "localFingerprint", "x")),
            "events[1].localFingerprint:"),
        refused(
            alice,
            batch(good, with(closed(fresh, page, origin, 1, 2), "bytesSent", Json.createValue(-1))),
            "events[1].bytesSent:"),
        refused(
            alice,
            batch(good, with(closed(fresh, page, origin, 1, 2), "endReason", "crashed")),
            "events[1].endReason:"),
        refused(
            alice,
            batch(good, with(created(fresh, page, origin), "bytesSent", Json.createValue(1))),
            "events[1].bytesSent:"),
        refused(alice, "{\"events\":[" + good + "],\"x\":\"" + "a".repeat(70_000) + "\"}", 413));

    // A connection of someone else is unknown: bob's batch naming alice's is refused whole.
    String alices = UUID.randomUUID().toString();
    String alicePage = UUID.randomUUID().toString();
    assertEquals(
        200,
        send("POST", "api/edge/connections", alice, batch(created(alices, alicePage, origin)))
            .statusCode());
    String bobs = UUID.randomUUID().toString();
    var stolen =
        send(
            "POST",
            "api/edge/connections",
            bob,
            batch(
                created(bobs, UUID.randomUUID().toString(), origin),
                closed(alices, alicePage, origin, 1, 1)));
    assertEquals(400, stolen.statusCode(), stolen.body());
    assertEquals(
        "events[1].connectionId: Unknown connection; choose a new id.", assertProblem(stolen, 400));

    assertEquals(List.of(), calls(bob, origin), "nothing of bob's refused batch");
    JsonArray everything = calls(frank, origin);
    assertEquals(1, everything.size(), "only alice's accepted connection: " + everything);
    JsonObject only = everything.getJsonObject(0);
    assertEquals(alices, only.getString("callId"));
    assertEquals(1, only.getJsonArray("connections").size());
    assertTrue(only.getJsonArray("connections").getJsonObject(0).isNull("closedAt"));
  }

  private Executable refused(String token, String body, String field) {
    return () -> {
      var response = send("POST", "api/edge/connections", token, body);
      assertEquals(400, response.statusCode(), body + ": " + response.body());
      String detail = assertProblem(response, 400);
      if (field != null) {
        assertTrue(detail.startsWith(field), "detail names " + field + ": " + detail);
      }
    };
  }

  private Executable refused(String token, String body, int status) {
    return () -> {
      var response = send("POST", "api/edge/connections", token, body);
      assertEquals(status, response.statusCode(), response.body());
      assertProblem(response, status);
    };
  }

  // --- pairing and the call log -----------------------------------------------------------------

  @Test
  void aliceAndBobArePairedAndBothSeeTheCallCarolDoesNotFrankDoes() throws Exception {
    String origin = origin();
    String aliceDecision = decide(alice, origin);
    String bobDecision = decide(bob, origin);
    String alices = UUID.randomUUID().toString();
    String alicePage = UUID.randomUUID().toString();
    String bobs = UUID.randomUUID().toString();
    String bobPage = UUID.randomUUID().toString();
    String aliceCert = fp();
    String bobCert = fp();

    JsonObject aliceConnected =
        withDecision(connected(alices, alicePage, origin, aliceCert, bobCert), aliceDecision);
    JsonObject first =
        report(
            alice, withDecision(created(alices, alicePage, origin), aliceDecision), aliceConnected);
    assertEquals(2, first.getInt("accepted"));
    assertEquals(JsonValue.EMPTY_JSON_OBJECT, first.getJsonObject("peers"), "bob not yet there");

    // Bob's browser writes the same certificates in lower case: normalised, they still match.
    JsonObject second =
        report(
            bob,
            withDecision(created(bobs, bobPage, origin), bobDecision),
            withDecision(
                connected(bobs, bobPage, origin, bobCert.toLowerCase(), aliceCert.toLowerCase()),
                bobDecision));
    JsonObject aliceSeenByBob = second.getJsonObject("peers").getJsonObject(bobs);
    assertEquals(Set.of(bobs), second.getJsonObject("peers").keySet());
    assertEquals(aliceId, aliceSeenByBob.getString("userId"));
    assertEquals("alice", aliceSeenByBob.getString("username"));
    assertEquals("alice@acme-bank.example", aliceSeenByBob.getString("email"));
    assertTrue(aliceSeenByBob.getString("displayName").startsWith("Alice"));

    // Alice learns it by repeating her event (it changes nothing) or with her next one.
    JsonObject again = report(alice, aliceConnected);
    JsonObject bobSeenByAlice = again.getJsonObject("peers").getJsonObject(alices);
    assertEquals(bobId, bobSeenByAlice.getString("userId"));
    assertEquals("bob@acme-bank.example", bobSeenByAlice.getString("email"));

    report(alice, closed(alices, alicePage, origin, 1_000, 2_000));
    JsonObject last = report(bob, closed(bobs, bobPage, origin, 2_000, 1_000));
    assertEquals(aliceId, last.getJsonObject("peers").getJsonObject(bobs).getString("userId"));

    for (String viewer : new String[] {alice, bob}) {
      JsonArray calls = calls(viewer, origin);
      assertEquals(1, calls.size(), calls.toString());
      JsonObject call = calls.getJsonObject(0);
      assertEquals(alices, call.getString("callId"), "named after its first connection");
      assertEquals(origin, call.getString("origin"));
      assertTrue(!call.isNull("endedAt"), "both ends closed");
      assertTrue(call.getJsonNumber("durationSeconds").longValue() >= 0);
      assertEquals(
          List.of(aliceId, bobId),
          call.getJsonArray("participants").stream()
              .map(p -> p.asJsonObject().getString("userId"))
              .toList());
      JsonArray connections = call.getJsonArray("connections");
      assertEquals(2, connections.size());
      JsonObject aliceEnd = connections.getJsonObject(0);
      JsonObject bobEnd = connections.getJsonObject(1);
      assertEquals(alices, aliceEnd.getString("connectionId"));
      assertEquals(bobs, aliceEnd.getString("peerConnectionId"));
      assertEquals(alices, bobEnd.getString("peerConnectionId"));
      assertEquals("relay", aliceEnd.getString("localCandidateType"));
      assertEquals("udp", aliceEnd.getString("protocol"));
      assertEquals(1_000, aliceEnd.getJsonNumber("bytesSent").longValue());
      assertEquals("closed-by-page", bobEnd.getString("endReason"));
      // Each sees the decision of their own end only.
      JsonObject own = viewer.equals(alice) ? aliceEnd : bobEnd;
      JsonObject other = viewer.equals(alice) ? bobEnd : aliceEnd;
      assertEquals("relay", own.getString("decision"), own.toString());
      assertEquals("default", own.getJsonObject("rule").getString("id"));
      assertTrue(other.isNull("decision") && other.isNull("decisionId") && other.isNull("rule"));
    }

    assertEquals(List.of(), calls(carol, origin), "carol takes no part");
    JsonArray franks = list(frank, "user=" + aliceId + "&origin=" + encode(origin));
    assertEquals(1, franks.size());
    JsonArray connections = franks.getJsonObject(0).getJsonArray("connections");
    assertEquals(aliceDecision, connections.getJsonObject(0).getString("decisionId"));
    assertEquals(bobDecision, connections.getJsonObject(1).getString("decisionId"));
    assertEquals("relay", connections.getJsonObject(1).getString("decision"), "admins see all");
    assertEquals(1, list(frank, "user=" + bobId + "&origin=" + encode(origin)).size());
    assertEquals(
        0,
        list(
                frank,
                "user="
                    + aliceId
                    + "&origin="
                    + encode(origin)
                    + "&from="
                    + Instant.now().plusSeconds(60))
            .size());
    assertEquals(
        1,
        list(
                frank,
                "origin="
                    + encode(origin)
                    + "&to="
                    + Instant.now().plusSeconds(60)
                    + "&from="
                    + Instant.now().minusSeconds(600))
            .size());

    // The export: one record per connection, the call's id on each.
    var export = get(frank, "api/edge/calls?origin=" + encode(origin), "text/csv");
    assertEquals(200, export.statusCode(), export.body());
    assertTrue(export.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
    assertEquals(
        "attachment; filename=\"vclick-edge-calls.csv\"",
        export.headers().firstValue("Content-Disposition").orElse(""));
    String[] records = export.body().split("\r\n", -1);
    assertEquals(4, records.length, export.body());
    assertEquals("", records[3], "every record ends with CRLF");
    assertTrue(records[0].startsWith("callId,callStartedAt,callEndedAt,connectionId,userId,"));
    assertTrue(records[1].startsWith(alices + ","), records[1]);
    assertTrue(records[2].startsWith(alices + ","), records[2]);
    assertTrue(records[1].contains("," + alices + "," + aliceId + ",alice,"), records[1]);
    assertTrue(records[2].contains("," + bobs + "," + bobId + ",bob,"), records[2]);
    assertEquals(
        export.body(),
        get(frank, "api/edge/calls?format=csv&origin=" + encode(origin), null).body());
  }

  /** Both ends reported at the same moment, by many pairs at once: every pair still pairs. */
  @Test
  void endsReportedAtTheSameMomentStillPair() throws Exception {
    String origin = origin();
    int pairs = 20;
    List<String> alices = new ArrayList<>();
    List<String> bobs = new ArrayList<>();
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < pairs; i++) {
      String aliceCert = fp();
      String bobCert = fp();
      alices.add(UUID.randomUUID().toString());
      bobs.add(UUID.randomUUID().toString());
      sent.add(
          sendAsync(
              alice,
              batch(
                  connected(
                      alices.get(i), UUID.randomUUID().toString(), origin, aliceCert, bobCert))));
      sent.add(
          sendAsync(
              bob,
              batch(
                  connected(
                      bobs.get(i), UUID.randomUUID().toString(), origin, bobCert, aliceCert))));
    }
    for (var response : sent) {
      assertEquals(200, response.get().statusCode(), response.get().body());
    }
    JsonArray calls = list(frank, "limit=500&origin=" + encode(origin));
    assertEquals(pairs, calls.size(), "one call per pair");
    for (JsonValue value : calls) {
      JsonArray connections = value.asJsonObject().getJsonArray("connections");
      assertEquals(2, connections.size(), value.toString());
      String a = connections.getJsonObject(0).getString("connectionId");
      String b = connections.getJsonObject(1).getString("connectionId");
      assertEquals(b, connections.getJsonObject(0).getString("peerConnectionId"));
      assertEquals(a, connections.getJsonObject(1).getString("peerConnectionId"));
      int i = alices.contains(a) ? alices.indexOf(a) : alices.indexOf(b);
      assertEquals(Set.of(alices.get(i), bobs.get(i)), Set.of(a, b), "the pair, not a mix-up");
    }
  }

  @Test
  void repeatedEventsChangeNothing() throws Exception {
    String origin = origin();
    String page = UUID.randomUUID().toString();
    String a = UUID.randomUUID().toString();
    String b = UUID.randomUUID().toString();
    String batch =
        batch(
            created(a, page, origin),
            connected(a, page, origin, fp(), fp()),
            created(b, page, origin),
            closed(b, page, origin, 5, 6),
            closed(a, page, origin, 7, 8));
    assertEquals(5, report(alice, batch).getInt("accepted"));
    JsonArray once = calls(alice, origin);
    assertEquals(5, report(alice, batch).getInt("accepted"), "a repeat is accepted");
    // Out of order and late: a closed event again, with other values, then created ones.
    report(
        alice,
        batch(closed(a, page, origin, 99, 99), created(a, page, origin), created(b, page, origin)));
    assertEquals(once, calls(alice, origin));
    assertEquals(1, once.size(), "the two overlapping connections of the page are one call");
    assertEquals(2, once.getJsonObject(0).getJsonArray("connections").size());
  }

  @Test
  void callsArePagedNewestFirst() throws Exception {
    String origin = origin();
    String page = UUID.randomUUID().toString();
    String earlier = UUID.randomUUID().toString();
    String later = UUID.randomUUID().toString();
    report(
        bob,
        batch(
            ago(created(earlier, page, origin), 60),
            ago(closed(earlier, page, origin, 1, 1), 50),
            ago(created(later, page, origin), 40)));

    JsonArray newest = list(bob, "limit=1&origin=" + encode(origin));
    assertEquals(1, newest.size());
    JsonObject open = newest.getJsonObject(0);
    assertEquals(later, open.getString("callId"), "a page's calls that do not overlap are two");
    assertTrue(open.isNull("endedAt"));
    assertTrue(open.getJsonNumber("durationSeconds").longValue() >= 40, open.toString());
    JsonArray next =
        list(bob, "limit=1&origin=" + encode(origin) + "&before=" + open.getString("startedAt"));
    assertEquals(earlier, next.getJsonObject(0).getString("callId"));
    assertEquals(10, next.getJsonObject(0).getJsonNumber("durationSeconds").longValue());
    assertEquals(
        List.of(),
        list(
            bob,
            "origin="
                + encode(origin)
                + "&before="
                + next.getJsonObject(0).getString("startedAt")));
  }

  @Test
  void anEventOfAConnectionNeverCreatedCreatesItAndFormulasAreDefusedInTheExport()
      throws Exception {
    String origin = "=HYPERLINK(\"https://evil.example\",\"x\")-" + UUID.randomUUID();
    String c = UUID.randomUUID().toString();
    report(alice, batch(closed(c, UUID.randomUUID().toString(), origin, 1, 2)));

    JsonArray calls = calls(alice, origin);
    assertEquals(1, calls.size(), "an origin that is no http origin is kept as sent");
    JsonObject connection = calls.getJsonObject(0).getJsonArray("connections").getJsonObject(0);
    assertTrue(connection.isNull("createdAt"));
    assertTrue(!connection.isNull("closedAt"));
    assertEquals(connection.getString("closedAt"), calls.getJsonObject(0).getString("startedAt"));

    String export = get(alice, "api/edge/calls?format=csv&origin=" + encode(origin), null).body();
    assertTrue(
        export.contains(",\"'" + origin.replace("\"", "\"\"") + "\","),
        "defused and quoted: " + export);
  }

  @Test
  void badQueriesAreRefused() {
    assertAll(
        badQuery("limit=0"),
        badQuery("limit=501"),
        badQuery("before=yesterday"),
        badQuery("from=today"),
        badQuery("to=1"),
        badQuery("format=xml"),
        badQuery("origin="),
        badQuery("user="));
  }

  private Executable badQuery(String query) {
    return () -> {
      var response = get(frank, "api/edge/calls?" + query, null);
      assertEquals(400, response.statusCode(), query + ": " + response.body());
      assertProblem(response, 400);
    };
  }

  // --- pairing that cannot be claimed -----------------------------------------------------------

  /**
   * Carol read both fingerprints of alice and bob's connection in the site's signaling and claims
   * to be bob's end: nobody pairs, carol learns nothing of alice (no peer, no call), the call is
   * flagged and the claim audited.
   */
  @Test
  void aForgedClaimOfSomeonesFingerprintsIsDisputedAndRevealsNothing() throws Exception {
    String origin = origin();
    String aliceCert = fp();
    String bobCert = fp();
    String a = UUID.randomUUID().toString();
    String alicePage = UUID.randomUUID().toString();
    String b = UUID.randomUUID().toString();
    String forged = UUID.randomUUID().toString();
    report(alice, connected(a, alicePage, origin, aliceCert, bobCert));
    report(bob, connected(b, UUID.randomUUID().toString(), origin, bobCert, aliceCert));
    assertEquals(1, calls(frank, origin).size(), "alice and bob: one call");

    JsonObject answer =
        report(carol, connected(forged, UUID.randomUUID().toString(), origin, bobCert, aliceCert));

    assertEquals(JsonValue.EMPTY_JSON_OBJECT, answer.getJsonObject("peers"), "no peer named");
    JsonArray carols = calls(carol, origin);
    assertEquals(1, carols.size(), carols.toString());
    JsonObject carolsCall = carols.getJsonObject(0);
    assertEquals(1, carolsCall.getJsonArray("connections").size(), "her own connection only");
    assertTrue(carolsCall.getBoolean("disputed"));
    assertTrue(!carolsCall.toString().contains(aliceId), "nothing of alice: " + carolsCall);
    assertTrue(!carolsCall.toString().contains(a));

    JsonArray all = calls(frank, origin);
    assertEquals(3, all.size(), "alice, bob and carol: a call each: " + all);
    for (JsonValue call : all) {
      assertTrue(call.asJsonObject().getBoolean("disputed"), call.toString());
      JsonObject connection = call.asJsonObject().getJsonArray("connections").getJsonObject(0);
      assertTrue(connection.getBoolean("pairingDisputed"));
      assertTrue(connection.isNull("peerConnectionId"), connection.toString());
    }
    assertEquals(
        JsonValue.EMPTY_JSON_OBJECT,
        report(alice, connected(a, alicePage, origin, aliceCert, bobCert)).getJsonObject("peers"),
        "the real end learns no peer either while the claim stands");

    JsonArray audit = testApi("GET", "audit?target=" + encode("edge-connection:" + forged));
    assertEquals(1, audit.size(), audit.toString());
    assertEquals("edge.pairing.disputed", audit.getJsonObject(0).getString("action"));
    assertEquals(carolId, audit.getJsonObject(0).getString("actor"));
    assertEquals("disputed=3 unpaired=1", audit.getJsonObject(0).getString("detail"));
    String csv = get(frank, "api/edge/calls?format=csv&origin=" + encode(origin), null).body();
    assertEquals(3, csv.split("\r\n").length - 1, csv);
    assertTrue(csv.lines().skip(1).allMatch(line -> line.endsWith(",true")), csv);
  }

  /** A claim made before both real ends pairs with the first only until the second reports. */
  @Test
  void aForgerWhoClaimsFirstIsCutOffWhenTheRealEndReports() throws Exception {
    String origin = origin();
    String aliceCert = fp();
    String bobCert = fp();
    String a = UUID.randomUUID().toString();
    String forged = UUID.randomUUID().toString();
    report(carol, connected(forged, UUID.randomUUID().toString(), origin, bobCert, aliceCert));
    report(alice, connected(a, UUID.randomUUID().toString(), origin, aliceCert, bobCert));

    JsonObject bobs =
        report(
            bob,
            connected(
                UUID.randomUUID().toString(),
                UUID.randomUUID().toString(),
                origin,
                bobCert,
                aliceCert));

    assertEquals(JsonValue.EMPTY_JSON_OBJECT, bobs.getJsonObject("peers"));
    JsonArray carols = calls(carol, origin);
    assertEquals(1, carols.size(), carols.toString());
    assertTrue(!carols.toString().contains(a), "alice's connection is out of carol's view");
    assertTrue(carols.getJsonObject(0).getBoolean("disputed"));
  }

  // --- accounting that ends ---------------------------------------------------------------------

  /**
   * Alice's browser goes away mid-call (her last sample 10 s ago, nothing since): the sweep, run as
   * of an hour later, ends her connection as lost at that sample with its figures, her call with
   * it, and audits it; her browser's late close, if it ever comes, replaces the verdict.
   */
  @Test
  void aConnectionWhoseBrowserWentAwayEndsAsLostWithItsLastFiguresAndItsCallEnds()
      throws Exception {
    String origin = origin();
    String aliceCert = fp();
    String bobCert = fp();
    String a = UUID.randomUUID().toString();
    String alicePage = UUID.randomUUID().toString();
    String b = UUID.randomUUID().toString();
    String bobPage = UUID.randomUUID().toString();
    JsonObject lastSample =
        ago(
            event("sample", a, alicePage, origin)
                .add("bytesSent", 5_000)
                .add("bytesReceived", 6_000)
                .build(),
            10);
    report(
        alice,
        created(a, alicePage, origin),
        connected(a, alicePage, origin, aliceCert, bobCert),
        lastSample);
    report(
        bob, connected(b, bobPage, origin, bobCert, aliceCert), closed(b, bobPage, origin, 7, 8));
    assertTrue(calls(frank, origin).getJsonObject(0).isNull("endedAt"), "alice's end is open");

    var swept = send("POST", "api/it/edge-connections/sweep?seconds=3600", frank, "");
    assertEquals(200, swept.statusCode(), swept.body());
    assertTrue(json(swept.body()).asJsonObject().getInt("ended") >= 1, swept.body());

    JsonObject call = calls(frank, origin).getJsonObject(0);
    JsonObject lost = connectionOf(call, a);
    assertEquals("lost", lost.getString("endReason"));
    assertEquals(lastSample.getString("at"), lost.getString("closedAt"), "ends at its last sample");
    assertEquals(5_000, lost.getJsonNumber("bytesSent").longValue());
    assertEquals(6_000, lost.getJsonNumber("bytesReceived").longValue());
    assertTrue(!call.isNull("endedAt"), "the call ended: " + call);
    JsonArray audit = testApi("GET", "audit?target=" + encode("edge-page:" + alicePage));
    assertEquals(1, audit.size(), audit.toString());
    assertEquals("system", audit.getJsonObject(0).getString("actor"));
    assertEquals("edge.connections.lost", audit.getJsonObject(0).getString("action"));
    // Both hold here: alice has no presence socket in this test, and nothing was heard for an hour.
    String detail = audit.getJsonObject(0).getString("detail");
    assertTrue(
        detail.matches("user=" + aliceId + " connections=1 reason=(no-report|reporter-offline)"),
        detail);

    report(alice, closed(a, alicePage, origin, 9_000, 9_500));
    assertEquals(
        "closed-by-page",
        connectionOf(calls(frank, origin).getJsonObject(0), a).getString("endReason"));
  }

  /** Both ends of many calls closing at the same moment (each report reaches the other's page). */
  @Test
  void pairedEndsClosingAtTheSameMomentEndEveryCall() throws Exception {
    String origin = origin();
    int pairs = 10;
    List<String> alicesCloses = new ArrayList<>();
    List<String> bobsCloses = new ArrayList<>();
    for (int i = 0; i < pairs; i++) {
      String aliceCert = fp();
      String bobCert = fp();
      String a = UUID.randomUUID().toString();
      String alicePage = UUID.randomUUID().toString();
      String b = UUID.randomUUID().toString();
      String bobPage = UUID.randomUUID().toString();
      report(alice, connected(a, alicePage, origin, aliceCert, bobCert));
      report(bob, connected(b, bobPage, origin, bobCert, aliceCert));
      alicesCloses.add(batch(closed(a, alicePage, origin, 1, 2)));
      bobsCloses.add(batch(closed(b, bobPage, origin, 3, 4)));
    }
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < pairs; i++) {
      sent.add(sendAsync(alice, alicesCloses.get(i)));
      sent.add(sendAsync(bob, bobsCloses.get(i)));
    }
    for (var response : sent) {
      assertEquals(200, response.get().statusCode(), response.get().body());
    }
    JsonArray calls = list(frank, "limit=500&origin=" + encode(origin));
    assertEquals(pairs, calls.size(), "one call per pair");
    for (JsonValue call : calls) {
      assertEquals(2, call.asJsonObject().getJsonArray("connections").size(), call.toString());
      assertTrue(!call.asJsonObject().isNull("endedAt"), call.toString());
    }
  }

  private static JsonObject connectionOf(JsonObject call, String connectionId) {
    for (JsonValue value : call.getJsonArray("connections")) {
      if (value.asJsonObject().getString("connectionId").equals(connectionId)) {
        return value.asJsonObject();
      }
    }
    throw new AssertionError(connectionId + " not in " + call);
  }

  private JsonArray testApi(String method, String path) throws Exception {
    var response = send(method, "api/it/edge-connections/" + path, frank, null);
    assertEquals(200, response.statusCode(), response.body());
    return json(response.body()).asJsonArray();
  }

  // --- plumbing ---------------------------------------------------------------------------------

  /** An origin no other test uses. */
  private static String origin() {
    return "https://meet-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
  }

  /** A made-up certificate's SHA-256 fingerprint. */
  private static String fp() {
    byte[] hash = new byte[32];
    RANDOM.nextBytes(hash);
    return "sha-256 " + HexFormat.ofDelimiter(":").withUpperCase().formatHex(hash);
  }

  private static JsonObjectBuilder event(
      String kind, String connection, String page, String origin) {
    return Json.createObjectBuilder()
        .add("connectionId", connection)
        .add("pageId", page)
        .addNull("decisionId")
        .add("origin", origin)
        .add("event", kind)
        .add("at", Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS).toString());
  }

  private static JsonObject created(String connection, String page, String origin) {
    return event("created", connection, page, origin).build();
  }

  private static JsonObject connected(
      String connection, String page, String origin, String local, String remote) {
    return event("connected", connection, page, origin)
        .add("localFingerprint", local)
        .add("remoteFingerprint", remote)
        .add("localCandidateType", "relay")
        .add("remoteCandidateType", "relay")
        .add("protocol", "udp")
        .build();
  }

  private static JsonObject closed(
      String connection, String page, String origin, long sent, long received) {
    return event("closed", connection, page, origin)
        .add("at", Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.MILLIS).toString())
        .add("bytesSent", sent)
        .add("bytesReceived", received)
        .add("endReason", "closed-by-page")
        .build();
  }

  /** The event, {@code seconds} ago. */
  private static JsonObject ago(JsonObject event, int seconds) {
    return with(
        event, "at", Instant.now().minusSeconds(seconds).truncatedTo(ChronoUnit.MILLIS).toString());
  }

  private static JsonObject with(JsonObject event, String field, String value) {
    return with(event, field, Json.createValue(value));
  }

  private static JsonObject with(JsonObject event, String field, JsonValue value) {
    return Json.createObjectBuilder(event).add(field, value).build();
  }

  private static JsonObject withDecision(JsonObject event, String decisionId) {
    return with(event, "decisionId", decisionId);
  }

  private static String batch(JsonObject... events) {
    JsonArrayBuilder array = Json.createArrayBuilder();
    for (JsonObject event : events) {
      array.add(event);
    }
    return Json.createObjectBuilder().add("events", array).build().toString();
  }

  private JsonObject report(String token, JsonObject... events) throws Exception {
    return report(token, batch(events));
  }

  private JsonObject report(String token, String batch) throws Exception {
    var response = send("POST", "api/edge/connections", token, batch);
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Cache-Control").orElse("").contains("no-store"));
    return json(response.body()).asJsonObject();
  }

  private String decide(String token, String origin) throws Exception {
    var response =
        send(
            "POST",
            "api/edge/decision",
            token,
            Json.createObjectBuilder().add("origin", origin).build().toString());
    assertEquals(200, response.statusCode(), response.body());
    return json(response.body()).asJsonObject().getString("decisionId");
  }

  private JsonArray calls(String token, String origin) throws Exception {
    return list(token, "origin=" + encode(origin));
  }

  private JsonArray list(String token, String query) throws Exception {
    var response = get(token, "api/edge/calls?" + query, null);
    assertEquals(200, response.statusCode(), query + ": " + response.body());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith(JSON));
    return json(response.body()).asJsonArray();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private HttpResponse<String> send(String method, String path, String token, String body)
      throws Exception {
    return ApiCalls.send(base, method, path, token, body, body == null ? null : JSON);
  }

  private CompletableFuture<HttpResponse<String>> sendAsync(String token, String batch) {
    return HTTP.sendAsync(
        HttpRequest.newBuilder(URI.create(base.toString()).resolve("api/edge/connections"))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", JSON)
            .POST(HttpRequest.BodyPublishers.ofString(batch))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A GET with an Accept header (none when null). */
  private HttpResponse<String> get(String token, String path, String accept) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(base.toString()).resolve(path))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + token);
    if (accept != null) {
      request.header("Accept", accept);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
