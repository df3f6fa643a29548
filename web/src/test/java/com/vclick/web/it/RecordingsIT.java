package com.vclick.web.it;

import static com.vclick.web.it.ApiCalls.JSON;
import static com.vclick.web.it.ApiCalls.assertProblem;
import static com.vclick.web.it.ApiCalls.json;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.testkit.KeycloakLogin;
import com.vclick.testkit.SignalingClient;
import com.vclick.testkit.Tokens;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.junit.jupiter.api.function.Executable;

/**
 * The recordings store on the deployed WAR with real Keycloak tokens and a real two-second Matroska
 * file made with ffmpeg. No media server hands recordings over yet, so recordings are ingested (and
 * retention run as of a later instant) through {@link RecordingsTestResource}, which is packaged
 * into this deployment only. Checked: the security matrix (erin, recording-reviewer, may; alice,
 * whose call it is, may not), metadata against the file (SHA-256, size, duration, codecs), the
 * store's layout and read-only file, play with a byte range, download, the audit trail of each
 * access, legal hold, verification (also of a tampered file), the audit chain noticing an edited
 * row, retention deleting an expired recording but not one on hold. Each test ingests its own
 * recordings on an origin of its own.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RecordingsIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static String erin;
  private static String erinId;
  private static String alice;
  private static String aliceId;
  private static String bobId;
  private static String bob;
  private static String eve;
  private static String frank;
  private static Path folder;
  private static Path file;
  private static byte[] bytes;

  @ArquillianResource private URL base;

  @Deployment(testable = false)
  static WebArchive war() {
    // The test-only resource joins the real WAR in this deployment alone.
    return BuiltWar.load()
        .addClass(RecordingsTestResource.class)
        .addClass(AuditRows.class)
        .addClass(IntegrityTestResource.class);
  }

  @BeforeAll
  static void signInAndRecord() throws Exception {
    var login = KeycloakLogin.vclick();
    Tokens erinTokens = login.loginToWebApp("erin");
    erin = erinTokens.accessToken();
    erinId = erinTokens.accessClaims().getString("sub");
    Tokens aliceTokens = login.loginToWebApp("alice");
    alice = aliceTokens.accessToken();
    aliceId = aliceTokens.accessClaims().getString("sub");
    Tokens bobTokens = login.loginToWebApp("bob");
    bob = bobTokens.accessToken();
    bobId = bobTokens.accessClaims().getString("sub");
    eve = login.loginToWebApp("eve").accessToken();
    frank = login.loginToWebApp("frank").accessToken();
    folder = Files.createTempDirectory("vclick-recordings-it");
    file = TestMedia.twoSecondRecording(folder);
    bytes = Files.readAllBytes(file);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (folder != null) {
      try (var files = Files.list(folder)) {
        for (Path each : files.toList()) {
          Files.deleteIfExists(each);
        }
      }
      Files.deleteIfExists(folder);
    }
  }

  // --- security matrix --------------------------------------------------------------------------

  @Test
  void onlyRecordingReviewersMayReachRecordingsEvenOfTheirOwnCalls() throws Exception {
    String id = ingest(origin()).getString("recordingId");
    String hold = "{\"hold\":true,\"reason\":\"x\"}";
    List<Executable> checks = new ArrayList<>();
    for (String token : new String[] {null, alice, eve}) {
      int status = token == null ? 401 : 403;
      checks.add(expect("GET", "api/recordings", token, null, status));
      checks.add(expect("GET", "api/recordings/" + id, token, null, status));
      checks.add(expect("GET", "api/recordings/" + id + "/media", token, null, status));
      checks.add(expect("GET", "api/recordings/" + id + "/media?download=1", token, null, status));
      checks.add(expect("PUT", "api/recordings/" + id + "/legal-hold", token, hold, status));
      checks.add(expect("GET", "api/recordings/" + id + "/verify", token, null, status));
      checks.add(
          expect("POST", "api/it/recordings/sweep?at=" + Instant.now(), token, null, status));
    }
    checks.add(expect("GET", "api/recordings/" + id, erin, null, 200));
    assertAll(checks);
    assertEquals(
        List.of("recording.stored"),
        actions(audit(id)),
        "refused requests read nothing and are not audited as reads");
  }

  private Executable expect(String method, String path, String token, String body, int status) {
    return () -> {
      var response = ApiCalls.send(base, method, path, token, body, body == null ? null : JSON);
      assertEquals(status, response.statusCode(), method + " " + path + ": " + response.body());
      if (status >= 400) {
        assertProblem(response, status);
      }
    };
  }

  // --- metadata, play, download, verify
  // -----------------------------------------------------------

  @Test
  void aReviewerListsReadsPlaysDownloadsAndVerifiesAndEachReadIsAudited() throws Exception {
    String origin = origin();
    String connection = UUID.randomUUID().toString();
    String callId = UUID.randomUUID().toString();
    Instant started = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.MILLIS);
    JsonObject ingested = ingest(callId, origin, started, List.of(connection));
    String id = ingested.getString("recordingId");

    // The store's layout: <dir>/<yyyy>/<mm>/<id>.mkv, read-only, the same bytes.
    Path stored = Path.of(ingested.getString("file"));
    var now = Instant.now().atZone(ZoneOffset.UTC);
    assertEquals(
        Path.of(ingested.getString("dir"))
            .resolve(String.format("%04d/%02d/%s.mkv", now.getYear(), now.getMonthValue(), id)),
        stored);
    assertEquals("r--r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(stored)));
    assertArrayEquals(bytes, Files.readAllBytes(stored));

    JsonArray listed = list(erin, "origin=" + encode(origin));
    assertEquals(1, listed.size(), listed.toString());
    JsonObject recording = get(id);
    assertEquals(recording, listed.getJsonObject(0), "the list shows what the metadata shows");
    assertTrue(ids(list(erin, "user=" + aliceId + "&limit=500")).contains(id));
    assertTrue(ids(list(erin, "user=" + bobId + "&limit=500")).contains(id));
    assertFalse(ids(list(erin, "user=" + erinId + "&limit=500")).contains(id));
    assertEquals(List.of(), list(erin, "origin=" + encode(origin) + "&before=" + started));
    assertEquals(
        List.of(id),
        ids(
            list(
                erin,
                "origin="
                    + encode(origin)
                    + "&from="
                    + started
                    + "&to="
                    + started.plusSeconds(1))));

    assertAll(
        () -> assertEquals(TestMedia.sha256(bytes), recording.getString("sha256")),
        () -> assertEquals(bytes.length, recording.getJsonNumber("sizeBytes").longValue()),
        () ->
            assertTrue(
                recording
                        .getJsonNumber("durationSeconds")
                        .bigDecimalValue()
                        .subtract(BigDecimal.valueOf(2))
                        .abs()
                        .compareTo(new BigDecimal("0.5"))
                    <= 0,
                "about 2 s: " + recording.get("durationSeconds")),
        () -> assertEquals("matroska", recording.getString("container")),
        () -> assertEquals("video/x-matroska", recording.getString("mediaType")),
        () -> assertEquals(List.of("video", "audio"), streamTypes(recording)),
        () -> assertTrue(recording.isNull("probeError"), recording.toString()),
        () -> assertEquals(origin, recording.getString("origin")),
        () -> assertEquals(callId, recording.getString("callId")),
        () -> assertEquals(List.of(connection), strings(recording.getJsonArray("connectionIds"))),
        () -> assertEquals(started.toString(), recording.getString("startedAt")),
        () -> assertEquals(started.plusSeconds(2).toString(), recording.getString("endedAt")),
        () -> assertEquals(aliceId, participant(recording, 0).getString("userId")),
        () -> assertEquals("alice", participant(recording, 0).getString("username")),
        () -> assertEquals("Alice Archer", participant(recording, 0).getString("displayName")),
        () -> assertEquals(bobId, participant(recording, 1).getString("userId")),
        () -> assertFalse(recording.getBoolean("legalHold")),
        () -> assertTrue(recording.isNull("deletedAt")),
        () ->
            assertEquals(
                Instant.parse(recording.getString("createdAt")).plus(Duration.ofDays(365)),
                Instant.parse(recording.getString("retentionEndsAt"))),
        () -> assertFalse(recording.containsKey("file"), "the server's path is never shown"));

    // Play with a Range request, as <video> seeks; then the last 100 bytes; then all of it.
    var first = media(id, "", "bytes=0-1023");
    assertEquals(206, first.statusCode());
    assertEquals("bytes 0-1023/" + bytes.length, header(first, "Content-Range"));
    assertEquals("1024", header(first, "Content-Length"));
    assertEquals("bytes", header(first, "Accept-Ranges"));
    assertTrue(header(first, "Content-Type").startsWith("video/x-matroska"));
    assertArrayEquals(Arrays.copyOfRange(bytes, 0, 1024), first.body());
    var last = media(id, "", "bytes=-100");
    assertEquals(206, last.statusCode());
    assertArrayEquals(Arrays.copyOfRange(bytes, bytes.length - 100, bytes.length), last.body());
    var whole = media(id, "", null);
    assertEquals(200, whole.statusCode());
    assertArrayEquals(bytes, whole.body());
    assertTrue(header(whole, "Content-Disposition").startsWith("inline"));
    var beyond = media(id, "", "bytes=" + bytes.length + "-");
    assertEquals(416, beyond.statusCode());
    assertEquals("bytes */" + bytes.length, header(beyond, "Content-Range"));

    var download = media(id, "?download=1", null);
    assertEquals(200, download.statusCode());
    assertEquals(
        "attachment; filename=\"recording-" + id + ".mkv\"",
        header(download, "Content-Disposition"));
    assertEquals(TestMedia.sha256(bytes), TestMedia.sha256(download.body()));

    JsonObject verified = verify(id);
    assertTrue(verified.getBoolean("intact"), verified.toString());
    assertEquals(recording.getString("sha256"), verified.getString("computedSha256"));

    JsonArray trail = audit(id);
    assertEquals(
        List.of(
            "recording.stored",
            "recording.played",
            "recording.played",
            "recording.played",
            "recording.downloaded",
            "recording.verified"),
        actions(trail),
        "every read audited, the refused range not: " + trail);
    assertEquals("system:recordings", trail.getJsonObject(0).getString("actor"));
    assertTrue(
        trail.getJsonObject(0).getString("detail").startsWith("sha256=" + TestMedia.sha256(bytes)),
        "the trail pins the hash");
    assertAll(
        () -> assertEquals(erinId, trail.getJsonObject(1).getString("actor")),
        () -> assertEquals("range=bytes 0-1023", trail.getJsonObject(1).getString("detail")),
        () -> assertEquals("range=full", trail.getJsonObject(3).getString("detail")),
        () -> assertEquals(erinId, trail.getJsonObject(4).getString("actor")),
        () -> assertEquals("intact=true", trail.getJsonObject(5).getString("detail")));
  }

  @Test
  void aChangedFileFailsVerification() throws Exception {
    JsonObject ingested = ingest(origin());
    String id = ingested.getString("recordingId");
    Path stored = Path.of(ingested.getString("file"));
    var permissions = Files.getPosixFilePermissions(stored);
    byte[] changed = bytes.clone();
    changed[changed.length / 2] ^= 0x01;
    Files.setPosixFilePermissions(stored, PosixFilePermissions.fromString("rw-r-----"));
    try {
      Files.write(stored, changed);
      JsonObject verification = verify(id);
      assertFalse(verification.getBoolean("intact"), verification.toString());
      assertEquals(TestMedia.sha256(changed), verification.getString("computedSha256"));
      assertNotEquals(verification.getString("sha256"), verification.getString("computedSha256"));
    } finally {
      Files.write(stored, bytes);
      Files.setPosixFilePermissions(stored, permissions);
    }
    assertTrue(verify(id).getBoolean("intact"));
    assertEquals(
        List.of("intact=false", "intact=true"),
        audit(id).stream()
            .map(JsonValue::asJsonObject)
            .filter(e -> e.getString("action").equals("recording.verified"))
            .map(e -> e.getString("detail"))
            .toList());
  }

  // --- legal hold and bad input
  // -------------------------------------------------------------------

  @Test
  void legalHoldIsSetAndReleasedWithAReasonTheAuditTrailOnlyHashes() throws Exception {
    String id = ingest(origin()).getString("recordingId");
    String reason = "Case 2026-114: hold for the regulator";
    JsonObject held = hold(id, true, reason);
    assertTrue(held.getBoolean("legalHold"));
    assertEquals(reason, held.getString("legalHoldReason"));
    assertEquals(erinId, held.getString("legalHoldChangedBy"));
    assertTrue(get(id).getBoolean("legalHold"));
    JsonObject released = hold(id, false, "Case closed");
    assertFalse(released.getBoolean("legalHold"));
    assertEquals("Case closed", released.getString("legalHoldReason"));

    JsonArray trail = audit(id);
    assertEquals(
        List.of("recording.stored", "recording.legal-hold.set", "recording.legal-hold.released"),
        actions(trail));
    assertEquals(
        "reason-sha256=" + TestMedia.sha256(reason.getBytes(StandardCharsets.UTF_8)),
        trail.getJsonObject(1).getString("detail"));
    assertFalse(trail.toString().contains("Case"), "no reason text in the audit trail");

    String path = "api/recordings/" + id + "/legal-hold";
    assertAll(
        bad("PUT", path, "{}", "hold:"),
        bad("PUT", path, "{\"hold\":\"yes\",\"reason\":\"r\"}", "hold:"),
        bad("PUT", path, "{\"hold\":true}", "reason:"),
        bad("PUT", path, "{\"hold\":true,\"reason\":\"  \"}", "reason:"),
        bad("PUT", path, "{\"hold\":true,\"reason\":\"" + "r".repeat(501) + "\"}", "reason:"),
        bad("PUT", path, "{\"hold\":true,\"reason\":\"r\",\"until\":\"2030\"}", "Unknown field"),
        bad("PUT", path, "[]", null),
        bad("GET", "api/recordings/not-a-uuid", null, null),
        bad("GET", "api/recordings/" + id + "/media?download=yes", null, "download"),
        bad("GET", "api/recordings?limit=0", null, "limit"),
        bad("GET", "api/recordings?limit=501", null, "limit"),
        bad("GET", "api/recordings?before=yesterday", null, "before"),
        bad("GET", "api/recordings?from=today", null, "from"),
        bad("GET", "api/recordings?user=", null, "user"),
        bad("GET", "api/recordings?origin=", null, "origin"),
        expect("GET", "api/recordings/" + UUID.randomUUID(), erin, null, 404),
        expect("GET", "api/recordings/" + UUID.randomUUID() + "/media", erin, null, 404),
        expect("GET", "api/recordings/" + UUID.randomUUID() + "/verify", erin, null, 404));
    assertEquals(3, audit(id).size(), "refused requests change and audit nothing");
  }

  private Executable bad(String method, String path, String body, String detailStart) {
    return () -> {
      var response = ApiCalls.send(base, method, path, erin, body, body == null ? null : JSON);
      assertEquals(400, response.statusCode(), path + " " + body + ": " + response.body());
      String detail = assertProblem(response, 400);
      if (detailStart != null) {
        assertTrue(detail.startsWith(detailStart), detail);
      }
    };
  }

  @Test
  void onlyMatroskaOrWebmFilesWithAValidContextAreIngested() throws Exception {
    Path text = folder.resolve("not-a-recording.mkv");
    Files.writeString(text, "hello");
    var refused =
        send(
            "POST",
            "api/it/recordings",
            ingestBody(text, "call-1", origin(), Instant.now(), List.of()));
    assertEquals(400, refused.statusCode(), refused.body());
    assertEquals("finishedFile: not a Matroska or WebM file.", assertProblem(refused, 400));
    JsonObject noParticipants =
        Json.createObjectBuilder(
                json(ingestBody(file, "call-2", origin(), Instant.now(), List.of())).asJsonObject())
            .add("participants", JsonValue.EMPTY_JSON_ARRAY)
            .build();
    var invalid = send("POST", "api/it/recordings", noParticipants.toString());
    assertEquals(400, invalid.statusCode(), invalid.body());
    assertTrue(assertProblem(invalid, 400).startsWith("participants:"));
  }

  /**
   * A conference's recording keeps when each participant took part (one stretch per time in the
   * call); a stretch of someone who is not a participant is refused and nothing is stored.
   */
  @Test
  void aConferenceRecordingListsWhenEachParticipantTookPart() throws Exception {
    String callId = UUID.randomUUID().toString();
    Instant started = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
    JsonArray stretches =
        Json.createArrayBuilder()
            .add(stretch(aliceId, started, started.plusSeconds(50)))
            .add(stretch(bobId, started.plusSeconds(5), started.plusSeconds(20)))
            .add(stretch(bobId, started.plusSeconds(40), started.plusSeconds(50)))
            .build();
    JsonObject body =
        Json.createObjectBuilder(
                json(ingestBody(file, callId, origin(), started, List.of())).asJsonObject())
            .add("attendance", stretches)
            .build();
    var response = send("POST", "api/it/recordings", body.toString());
    assertEquals(200, response.statusCode(), response.body());
    JsonObject recording = get(json(response.body()).asJsonObject().getString("recordingId"));
    assertEquals(stretches, recording.getJsonArray("attendance"), recording.toString());

    String strangerCall = UUID.randomUUID().toString();
    JsonObject stranger =
        Json.createObjectBuilder(
                json(ingestBody(file, strangerCall, origin(), started, List.of())).asJsonObject())
            .add(
                "attendance",
                Json.createArrayBuilder()
                    .add(stretch(erinId, started, started.plusSeconds(1)))
                    .build())
            .build();
    var refused = send("POST", "api/it/recordings", stranger.toString());
    assertEquals("attendance[0].userId: not one of the participants.", assertProblem(refused, 400));
    assertTrue(
        list(erin, "limit=500").stream()
            .noneMatch(r -> strangerCall.equals(r.asJsonObject().getString("callId"))),
        "nothing stored");
    JsonObject twoParty =
        get(
            ingest(UUID.randomUUID().toString(), origin(), started, List.of())
                .getString("recordingId"));
    assertEquals(JsonValue.EMPTY_JSON_ARRAY, twoParty.getJsonArray("attendance"));
  }

  /**
   * A call of the web app links, in both parties' call logs, the recordings stored under its id.
   */
  @Test
  void theCallLogLinksTheRecordingsOfItsCall() throws Exception {
    String callId;
    try (var caller = SignalingClient.signIn(HTTP, base.toString(), alice);
        var callee = SignalingClient.signIn(HTTP, base.toString(), bob)) {
      caller.send(
          SignalingClient.message("call.invite")
              .add("ref", "r-rec")
              .add("to", bobId)
              .add("media", "audio"));
      callId = caller.next("call.ringing").getString("callId");
      callee.next("call.incoming");
      callee.send(SignalingClient.message("call.answer").add("callId", callId));
      caller.next("call.answered");
      caller.send(SignalingClient.message("call.hangup").add("callId", callId));
      callee.next("call.ended");
    }
    assertEquals(List.of(), strings(ownCall(alice, callId).getJsonArray("recordingIds")));
    Instant started = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.MILLIS);
    String id = ingest(callId, origin(), started, List.of()).getString("recordingId");
    assertEquals(List.of(id), strings(ownCall(alice, callId).getJsonArray("recordingIds")));
    assertEquals(List.of(id), strings(ownCall(bob, callId).getJsonArray("recordingIds")));
  }

  private JsonObject ownCall(String token, String callId) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(base.toString()).resolve("api/calls?limit=100"))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + token)
            .build();
    var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return json(response.body()).asJsonArray().stream()
        .map(JsonValue::asJsonObject)
        .filter(c -> callId.equals(c.getString("callId")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no call " + callId + " in the call log"));
  }

  private static JsonObject stretch(String userId, Instant joined, Instant left) {
    return Json.createObjectBuilder()
        .add("userId", userId)
        .add("joinedAt", joined.toString())
        .add("leftAt", left.toString())
        .build();
  }

  // --- the audit chain
  // ----------------------------------------------------------------------------

  @Test
  void theAuditChainNoticesAnEditedRowOfARecordingAccess() throws Exception {
    String id = ingest(origin()).getString("recordingId");
    assertEquals(206, media(id, "", "bytes=0-99").statusCode());
    JsonObject played = audit(id).getJsonObject(1);
    assertEquals("recording.played", played.getString("action"));
    long seq = played.getJsonNumber("seq").longValue();
    assertTrue(auditVerification().getBoolean("intact"));

    String original = tamper(seq, "range=bytes 0-0");
    assertEquals("range=bytes 0-99", original);
    try {
      JsonObject broken = auditVerification();
      assertFalse(broken.getBoolean("intact"), broken.toString());
      assertEquals(seq, broken.getJsonNumber("firstBrokenSequence").longValue());
    } finally {
      tamper(seq, original);
    }
    assertTrue(auditVerification().getBoolean("intact"), "intact again once put back");
  }

  // --- retention
  // ----------------------------------------------------------------------------------

  @Test
  void retentionDeletesAnExpiredRecordingButNotOneOnLegalHold() throws Exception {
    JsonObject expiring = ingest(origin());
    JsonObject kept = ingest(origin());
    String expiringId = expiring.getString("recordingId");
    String keptId = kept.getString("recordingId");
    hold(keptId, true, "Litigation hold");

    JsonArray early = sweep(Instant.now().plus(Duration.ofDays(364)));
    assertFalse(strings(early).contains(expiringId), "not yet: " + early);

    JsonArray deleted = sweep(Instant.now().plus(Duration.ofDays(366)));
    assertTrue(strings(deleted).contains(expiringId), deleted.toString());
    assertFalse(strings(deleted).contains(keptId), "held: " + deleted);

    JsonObject gone = get(expiringId);
    assertFalse(gone.isNull("deletedAt"), "the row stays, marked: " + gone);
    assertFalse(Files.exists(Path.of(expiring.getString("file"))), "the file is gone");
    assertTrue(Files.exists(Path.of(kept.getString("file"))));
    assertAll(
        expect("GET", "api/recordings/" + expiringId + "/media", erin, null, 410),
        expect("GET", "api/recordings/" + expiringId + "/verify", erin, null, 410),
        expect(
            "PUT",
            "api/recordings/" + expiringId + "/legal-hold",
            erin,
            "{\"hold\":true,\"reason\":\"too late\"}",
            409));
    assertEquals(206, media(keptId, "", "bytes=0-9").statusCode());
    JsonObject deletion = audit(expiringId).getJsonObject(1);
    assertEquals("recording.deleted", deletion.getString("action"));
    assertEquals("system:retention", deletion.getString("actor"));
    assertEquals("reason=retention retention-days=365", deletion.getString("detail"));
    assertTrue(auditVerification().getBoolean("intact"));

    hold(keptId, false, "Litigation over");
    assertTrue(strings(sweep(Instant.now().plus(Duration.ofDays(366)))).contains(keptId));
    assertFalse(Files.exists(Path.of(kept.getString("file"))));
  }

  // --- plumbing
  // -----------------------------------------------------------------------------------

  /** An origin of the test's own, so that it lists only its own recordings. */
  private static String origin() {
    return "https://" + UUID.randomUUID() + ".meet.example.com";
  }

  private JsonObject ingest(String origin) throws Exception {
    return ingest(
        UUID.randomUUID().toString(),
        origin,
        Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.MILLIS),
        List.of());
  }

  private JsonObject ingest(String callId, String origin, Instant started, List<String> connections)
      throws Exception {
    var response =
        send("POST", "api/it/recordings", ingestBody(file, callId, origin, started, connections));
    assertEquals(200, response.statusCode(), response.body());
    return json(response.body()).asJsonObject();
  }

  private static String ingestBody(
      Path file, String callId, String origin, Instant started, List<String> connections) {
    var ids = Json.createArrayBuilder();
    connections.forEach(ids::add);
    return Json.createObjectBuilder()
        .add("file", file.toString())
        .add("callId", callId)
        .add("connectionIds", ids)
        .add(
            "participants",
            Json.createArrayBuilder()
                .add(person(aliceId, "alice", "Alice Archer"))
                .add(person(bobId, "bob", "Bob Baker")))
        .add("origin", origin)
        .add("startedAt", started.toString())
        .add("endedAt", started.plusSeconds(2).toString())
        .build()
        .toString();
  }

  private static JsonObject person(String id, String username, String name) {
    return Json.createObjectBuilder()
        .add("userId", id)
        .add("username", username)
        .add("displayName", name)
        .build();
  }

  private JsonObject get(String id) throws Exception {
    var response = send("GET", "api/recordings/" + id, null);
    assertEquals(200, response.statusCode(), response.body());
    return json(response.body()).asJsonObject();
  }

  private JsonArray list(String token, String query) throws Exception {
    var response = ApiCalls.send(base, "GET", "api/recordings?" + query, token, null, null);
    assertEquals(200, response.statusCode(), response.body());
    return json(response.body()).asJsonArray();
  }

  private JsonObject verify(String id) throws Exception {
    var response = send("GET", "api/recordings/" + id + "/verify", null);
    assertEquals(200, response.statusCode(), response.body());
    return json(response.body()).asJsonObject();
  }

  private JsonObject hold(String id, boolean hold, String reason) throws Exception {
    String body =
        Json.createObjectBuilder().add("hold", hold).add("reason", reason).build().toString();
    var response = send("PUT", "api/recordings/" + id + "/legal-hold", body);
    assertEquals(200, response.statusCode(), response.body());
    return json(response.body()).asJsonObject();
  }

  private JsonArray sweep(Instant at) throws Exception {
    var response = send("POST", "api/it/recordings/sweep?at=" + at, null);
    assertEquals(200, response.statusCode(), response.body());
    return json(response.body()).asJsonObject().getJsonArray("deleted");
  }

  private JsonArray audit(String id) throws Exception {
    var response = send("GET", "api/it/recordings/audit?target=recording:" + id, null);
    assertEquals(200, response.statusCode(), response.body());
    return json(response.body()).asJsonArray();
  }

  private String tamper(long seq, String detail) throws Exception {
    var request =
        HttpRequest.newBuilder(
                URI.create(base.toString()).resolve("api/it/recordings/audit/" + seq + "/detail"))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + erin)
            .header("Content-Type", "text/plain")
            .PUT(HttpRequest.BodyPublishers.ofString(detail))
            .build();
    var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return response.body();
  }

  private JsonObject auditVerification() throws Exception {
    var response = send("GET", "api/audit/verify", null);
    assertEquals(200, response.statusCode(), response.body());
    return json(response.body()).asJsonObject();
  }

  // --- recording integrity: a server stopped mid-call, the store behind, the compliance view
  // -------

  /** The Janus recordings folder of this deployment (failsafe sets the same for the server). */
  private static Path mediaFolder() throws Exception {
    return Files.createDirectories(Path.of(System.getProperty("vclick.it.mediaRecordings")));
  }

  /** What a crashed server's call left in the media server's folder: a converted segment. */
  private static Path leftover(String callId) throws Exception {
    String stamp =
        java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC)
            .format(Instant.now().minus(3, ChronoUnit.MINUTES));
    return Files.copy(file, mediaFolder().resolve(callId + "-" + stamp + ".mkv"));
  }

  private void orphan(RecordScenario scenario, String callId, String connection, String decision)
      throws Exception {
    var body =
        Json.createObjectBuilder()
            .add("recordedCallId", callId)
            .add("userId", aliceId)
            .add("username", "alice")
            .add("connectionId", connection)
            .add("decisionId", decision)
            .add("origin", scenario.origin)
            .add("minutesAgo", 10)
            .build();
    assertEquals(204, send("POST", "api/it/integrity/orphans", body.toString()).statusCode());
  }

  private JsonObject session(String callId) throws Exception {
    var response = send("GET", "api/it/integrity/sessions/" + callId, null);
    assertEquals(200, response.statusCode(), response.body());
    return json(response.body()).asJsonObject();
  }

  private JsonObject integrity(String action) throws Exception {
    var response = send("POST", "api/it/integrity/" + action, null);
    assertEquals(200, response.statusCode(), response.body());
    return json(response.body()).asJsonObject();
  }

  private List<String> auditActions(String target) throws Exception {
    var response = send("GET", "api/it/recordings/audit?target=" + encode(target), null);
    assertEquals(200, response.statusCode(), response.body());
    return actions(json(response.body()).asJsonArray());
  }

  @Test
  void aServerStoppedMidCallIsReconciledAndTheComplianceViewExplainsEveryGap() throws Exception {
    var scenario = new RecordScenario(base, frank, alice);
    scenario.recordTheOrigin();
    try {
      String decision = scenario.decide();
      // 1: the server died during the call; Janus's files of it are left: archived as partial.
      String leftCall = UUID.randomUUID().toString();
      String leftConnection = scenario.connection(decision, true);
      Path left = leftover(leftCall);
      orphan(scenario, leftCall, leftConnection, decision);
      // 2: the same, and the media server has nothing of it: the failure is audited.
      String lostCall = UUID.randomUUID().toString();
      String lostConnection = scenario.connection(decision, true);
      orphan(scenario, lostCall, lostConnection, decision);
      // 3: a connection that never connected, 4: one that connected and nothing recorded it.
      String idle = scenario.connection(decision, false);
      String bypass = scenario.connection(decision, true);

      // The server's own 30-second sweep may take them first: the outcomes are what counts.
      integrity("reconcile");

      JsonObject archived = session(leftCall);
      assertEquals("stored", archived.getString("outcome"), archived.toString());
      assertTrue(archived.getString("reason").contains("the server stopped during the call"));
      var recording = send("GET", "api/recordings/" + archived.getString("recordingId"), null);
      JsonObject stored = json(recording.body()).asJsonObject();
      assertTrue(stored.getJsonObject("legs").getBoolean("partial"), stored.toString());
      assertTrue(stored.getString("incomplete").startsWith("partial:"), stored.toString());
      assertEquals(List.of(leftConnection), strings(stored.getJsonArray("connectionIds")));
      assertFalse(Files.exists(left), "the media server's copy is removed once stored");
      assertEquals(List.of("recording.interrupted"), auditActions("recorded-call:" + leftCall));

      JsonObject lost = session(lostCall);
      assertEquals("failed", lost.getString("outcome"), lost.toString());
      assertTrue(lost.getString("reason").contains("the media server has no files of it"));
      assertEquals(List.of("recording.failed"), auditActions("recorded-call:" + lostCall));
      integrity("reconcile");
      assertEquals(
          List.of("recording.interrupted"),
          auditActions("recorded-call:" + leftCall),
          "settled once, by one reconciliation");

      JsonObject view = RecordScenario.compliance(base, erin);
      JsonObject group =
          view.getJsonArray("groups").stream()
              .map(JsonValue::asJsonObject)
              .filter(g -> g.getString("origin").equals(scenario.origin))
              .findFirst()
              .orElseThrow();
      assertEquals(aliceId, group.getString("userId"));
      assertEquals(4, group.getInt("connections"), view.toString());
      assertEquals(0, group.getInt("recorded"));
      assertEquals(1, group.getInt("stored"));
      assertEquals(1, group.getInt("failed"));
      assertEquals(4, group.getInt("gap"));
      assertEquals(1, group.getInt("unexplained"), "the connection nothing recorded");
      assertTrue(view.getJsonObject("totals").getInt("unexplained") >= 1);
      assertEquals("incomplete", RecordScenario.gapOf(view, leftConnection).getString("status"));
      assertEquals("failed", RecordScenario.gapOf(view, lostConnection).getString("status"));
      assertEquals("no-media", RecordScenario.gapOf(view, idle).getString("status"));
      assertEquals("unexplained", RecordScenario.gapOf(view, bypass).getString("status"));
      assertEquals(
          archived.getString("recordingId"),
          RecordScenario.gapOf(view, leftConnection).getString("recordingId"));

      String from = encode(Instant.now().minus(1, ChronoUnit.HOURS).toString());
      var csv = send("GET", "api/recordings/compliance?format=csv&from=" + from, null);
      assertEquals(200, csv.statusCode(), csv.body());
      assertTrue(header(csv, "Content-Type").startsWith("text/csv"));
      List<String> lines = csv.body().lines().toList();
      assertTrue(lines.get(0).startsWith("connectionId,userId,username"), lines.get(0));
      assertEquals(4, lines.stream().filter(l -> l.contains(scenario.origin)).count(), csv.body());
      assertTrue(lines.stream().anyMatch(l -> l.startsWith(bypass) && l.contains(",unexplained,")));
      assertEquals(
          403,
          ApiCalls.send(base, "GET", "api/recordings/compliance", alice, null, null).statusCode());
      assertEquals(
          400,
          send(
                  "GET",
                  "api/recordings/compliance?from="
                      + encode(Instant.now().toString())
                      + "&to="
                      + encode(Instant.now().minus(1, ChronoUnit.DAYS).toString()),
                  null)
              .statusCode());
    } finally {
      scenario.restoreShippedPolicy();
    }
  }

  /**
   * What {@code /api/health} (details, for frank: edge-admin) says is degraded, once its background
   * probe (every 10 s while up) saw the state wanted: polled, bounded by a deadline.
   */
  private List<String> degradedOnceProbed(boolean wanted) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(25).toNanos();
    while (true) {
      var response = ApiCalls.send(base, "GET", "api/health", frank, null, null);
      List<String> degraded =
          strings(json(response.body()).asJsonObject().getJsonArray("degraded"));
      if (degraded.isEmpty() != wanted || System.nanoTime() > deadline) {
        return degraded;
      }
      Thread.sleep(250); // polling the probe's report, bounded by the deadline
    }
  }

  @Test
  void aStoreThatFailsIsRetriedWhileHealthSaysItIsBehind() throws Exception {
    var scenario = new RecordScenario(base, frank, alice);
    scenario.recordTheOrigin();
    Path store = Path.of(System.getProperty("vclick.it.store"));
    Path aside = store.resolveSibling(store.getFileName() + ".aside");
    try {
      String decision = scenario.decide();
      String callId = UUID.randomUUID().toString();
      // The store's folder is unusable: a file where the folder should be.
      if (Files.exists(store)) {
        Files.move(store, aside);
      }
      Files.writeString(store, "not a folder");
      Path left = leftover(callId);
      orphan(scenario, callId, scenario.connection(decision, true), decision);
      integrity("reconcile");
      JsonObject waiting = session(callId);
      assertTrue(waiting.isNull("outcome"), waiting.toString());
      assertEquals(1, waiting.getInt("queued"));
      assertTrue(Files.exists(left), "kept until stored");
      assertEquals(List.of("recordings-ingest"), degradedOnceProbed(true));

      Files.delete(store);
      if (Files.exists(aside)) {
        Files.move(aside, store);
      }
      integrity("retry-now");
      assertEquals("stored", session(callId).getString("outcome"));
      assertFalse(Files.exists(left));
      assertEquals(List.of(), degradedOnceProbed(false));
    } finally {
      if (Files.isRegularFile(store)) {
        Files.delete(store);
      }
      if (Files.exists(aside) && !Files.exists(store)) {
        Files.move(aside, store);
      }
      scenario.restoreShippedPolicy();
    }
  }

  private HttpResponse<byte[]> media(String id, String query, String range) throws Exception {
    var request =
        HttpRequest.newBuilder(
                URI.create(base.toString()).resolve("api/recordings/" + id + "/media" + query))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + erin);
    if (range != null) {
      request.header("Range", range);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return ApiCalls.send(base, method, path, erin, body, body == null ? null : JSON);
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse("");
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static List<String> actions(JsonArray trail) {
    return trail.stream().map(e -> e.asJsonObject().getString("action")).toList();
  }

  private static List<String> ids(JsonArray recordings) {
    return recordings.stream().map(r -> r.asJsonObject().getString("recordingId")).toList();
  }

  private static List<String> strings(JsonArray array) {
    return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
  }

  private static JsonObject participant(JsonObject recording, int index) {
    return recording.getJsonArray("participants").getJsonObject(index);
  }

  private static List<String> streamTypes(JsonObject recording) {
    return recording.getJsonObject("codecs").getJsonArray("streams").stream()
        .map(s -> s.asJsonObject().getString("type"))
        .toList();
  }
}
