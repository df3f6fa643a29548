package com.vclick.web.it;

import static com.vclick.testkit.SignalingClient.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.testkit.Jwt;
import com.vclick.testkit.KeycloakLogin;
import com.vclick.testkit.RealmTestKey;
import com.vclick.testkit.SignalingClient;
import com.vclick.testkit.TestEnv;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The signaling WebSocket of the deployed WAR, spoken to by a plain client, against the real
 * Keycloak: who may connect, what bad messages get, the call state machine as the parties see it,
 * and the call log behind it. The failsafe configuration shortens the deadlines (auth 5 s, ring 4
 * s, reconnect grace 3 s) and sets small socket caps (6 per user; 8 sockets waiting for their hello
 * per address, 12 in all).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SignalingIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(25);

  private static final String[] USERS = {"alice", "bob", "carol", "dave", "erin", "eve", "frank"};
  private static final java.util.Map<String, String> TOKENS = new java.util.HashMap<>();
  private static final java.util.Map<String, String> SUBJECTS = new java.util.HashMap<>();
  private static RealmTestKey testKey;

  private final List<SignalingClient> clients = new ArrayList<>();

  @ArquillianResource private URL base;

  @Deployment(testable = false)
  static WebArchive war() {
    return BuiltWar.load();
  }

  @BeforeAll
  static void signIn() {
    var login = KeycloakLogin.vclick();
    for (String user : USERS) {
      var tokens = login.loginToWebApp(user);
      TOKENS.put(user, tokens.accessToken());
      SUBJECTS.put(user, tokens.accessClaims().getString("sub"));
    }
    testKey = RealmTestKey.register("vclick");
  }

  @AfterAll
  static void removeKey() {
    if (testKey != null) {
      testKey.remove();
    }
  }

  /** Closes this test's sockets and waits until the server saw every user go offline. */
  @AfterEach
  void closeClients() {
    clients.forEach(SignalingClient::close);
    try (var watcher = SignalingClient.signIn(HTTP, base.toString(), TOKENS.get("erin"))) {
      waitOffline(watcher, "alice", "bob", "carol", "dave", "frank");
    }
  }

  private static void waitOffline(SignalingClient watcher, String... users) {
    var ids = Json.createArrayBuilder();
    for (String user : users) {
      ids.add(SUBJECTS.get(user));
    }
    watcher.send(message("presence.watch").add("users", ids));
    for (String user : users) {
      presenceOf(watcher, SUBJECTS.get(user), "offline");
    }
  }

  private SignalingClient connect() {
    var client = SignalingClient.connect(HTTP, base.toString());
    clients.add(client);
    return client;
  }

  private SignalingClient signIn(String user) {
    var client = SignalingClient.signIn(HTTP, base.toString(), TOKENS.get(user));
    clients.add(client);
    return client;
  }

  private static void assertError(SignalingClient client, String code) {
    JsonObject error = client.next("error");
    assertEquals(code, error.getString("code"), error.toString());
    assertFalse(error.getString("detail").isBlank());
    assertFalse(error.toString().contains("Exception"), "no stack traces to clients: " + error);
  }

  /** A round trip proving the socket is open and every earlier message was handled. */
  private static void assertUsable(SignalingClient client) {
    client.send(message("ping"));
    client.next("pong");
  }

  // --- who may connect ---------------------------------------------------------------------------

  @Test
  void aPageOfAnotherOriginIsRefusedAtTheHandshake() {
    var refused =
        assertThrows(
            CompletionException.class,
            () -> SignalingClient.connect(HTTP, base.toString(), "http://evil.example"));
    var handshake = assertInstanceOfCause(refused);
    assertEquals(403, handshake.getResponse().statusCode());

    String appOrigin = TestEnv.require("VCLICK_PUBLIC_URL");
    try (var allowed = SignalingClient.connect(HTTP, base.toString(), appOrigin)) {
      allowed.send(message("hello").add("token", TOKENS.get("alice")));
      assertEquals(SUBJECTS.get("alice"), allowed.next("welcome").getString("userId"));
    }
  }

  private static WebSocketHandshakeException assertInstanceOfCause(CompletionException e) {
    assertTrue(
        e.getCause() instanceof WebSocketHandshakeException,
        "expected a refused handshake, got " + e.getCause());
    return (WebSocketHandshakeException) e.getCause();
  }

  @Test
  void anythingBeforeHelloClosesTheSocket() {
    var client = connect();
    client.send(message("presence.watch").add("users", Json.createArrayBuilder().add("x")));
    assertError(client, "unauthenticated");
    assertEquals(4401, client.awaitClose(CLOSE_WAIT));
  }

  /**
   * Payara ships its own Nimbus JOSE+JWT (for MP-JWT) and delegates to the server first: the token
   * verifier's copy is relocated into the ejb jar, and no Nimbus jar sits in WEB-INF/lib where the
   * server's could shadow it.
   */
  @Test
  void theTokenLibraryCannotBeShadowedByTheServers() throws Exception {
    try (var war = new java.util.zip.ZipFile(System.getProperty("vclick.war"))) {
      List<String> libs =
          war.stream().map(e -> e.getName()).filter(n -> n.startsWith("WEB-INF/lib/")).toList();
      assertTrue(libs.stream().noneMatch(n -> n.contains("nimbus")), libs.toString());
      String ejb = libs.stream().filter(n -> n.contains("vclick-ejb")).findFirst().orElseThrow();
      try (var jar = new java.util.zip.ZipInputStream(war.getInputStream(war.getEntry(ejb)))) {
        boolean relocated = false;
        for (var e = jar.getNextEntry(); e != null; e = jar.getNextEntry()) {
          assertFalse(e.getName().startsWith("com/nimbusds/"), e.getName());
          relocated |= e.getName().equals("com/vclick/shaded/nimbusds/jose/JWSObject.class");
        }
        assertTrue(relocated, "Nimbus relocated into " + ejb);
      }
    }
  }

  @Test
  void refusedTokensCloseTheSocket() {
    long now = Instant.now().getEpochSecond();
    String alice = TOKENS.get("alice");
    List<String> refused =
        List.of(
            "not-a-jwt",
            Jwt.tamper(alice, "sub", SUBJECTS.get("frank")),
            testKey.resign(
                alice,
                Json.createObjectBuilder().add("exp", now - 3600).add("iat", now - 4000).build()),
            testKey.resign(alice, Json.createObjectBuilder().add("aud", "other-api").build()));
    for (String token : refused) {
      var client = connect();
      client.send(message("hello").add("token", token));
      assertError(client, "unauthenticated");
      assertEquals(4401, client.awaitClose(CLOSE_WAIT));
    }
  }

  /**
   * The classic JOSE attacks on alice's real token, each refused for the algorithm before any key
   * is used: "none", HS256 keyed with the realm's public RSA key (the key confusion attack), and
   * RS256 naming a key the realm never had.
   */
  @Test
  void forgedAlgorithmsAndKeysAreRefused() throws Exception {
    String[] parts = TOKENS.get("alice").split("\\.");
    JsonObject realHeader = Jwt.header(TOKENS.get("alice"));
    String none = Jwt.encode(Json.createObjectBuilder().add("alg", "none").build());
    String hs256 =
        Jwt.encode(
            Json.createObjectBuilder()
                .add("alg", "HS256")
                .add("kid", realHeader.getString("kid"))
                .build());
    var mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(
            realmPublicKey(realHeader.getString("kid")), "HmacSHA256"));
    String hsSigned = hs256 + "." + parts[1];
    String confusion =
        hsSigned
            + "."
            + java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    mac.doFinal(hsSigned.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    String unknownKid =
        Jwt.encode(Json.createObjectBuilder().add("alg", "RS256").add("kid", "forged").build())
            + "."
            + parts[1]
            + "."
            + parts[2];

    for (var attack :
        java.util.Map.of(
                none + "." + parts[1] + ".",
                "UNSUPPORTED_ALGORITHM",
                confusion,
                "UNSUPPORTED_ALGORITHM",
                unknownKid,
                "UNKNOWN_KEY")
            .entrySet()) {
      var client = connect();
      client.send(message("hello").add("token", attack.getKey()));
      JsonObject error = client.next("error");
      assertEquals("unauthenticated", error.getString("code"), error.toString());
      assertTrue(error.getString("detail").contains(attack.getValue()), error.toString());
      assertEquals(4401, client.awaitClose(CLOSE_WAIT));
    }
  }

  /** The DER encoding of the realm's public RSA key with this kid, as its JWKS publishes it. */
  private static byte[] realmPublicKey(String kid) throws Exception {
    var response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        TestEnv.keycloakUrl() + "/realms/vclick/protocol/openid-connect/certs"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    try (var reader = Json.createReader(new StringReader(response.body()))) {
      for (JsonValue key : reader.readObject().getJsonArray("keys")) {
        JsonObject jwk = key.asJsonObject();
        if (kid.equals(jwk.getString("kid", null))) {
          var decoder = java.util.Base64.getUrlDecoder();
          var spec =
              new java.security.spec.RSAPublicKeySpec(
                  new java.math.BigInteger(1, decoder.decode(jwk.getString("n"))),
                  new java.math.BigInteger(1, decoder.decode(jwk.getString("e"))));
          return java.security.KeyFactory.getInstance("RSA").generatePublic(spec).getEncoded();
        }
      }
    }
    throw new AssertionError("the realm publishes no key " + kid);
  }

  @Test
  void silenceAfterTheHandshakeIsClosed() {
    var client = connect();
    assertEquals(4401, client.awaitClose(CLOSE_WAIT));
    assertEquals("unauthenticated", client.next("error").getString("code"));
  }

  @Test
  void anAccountWithoutTheCallerRoleIsForbidden() {
    var client = connect();
    client.send(message("hello").add("token", TOKENS.get("eve")));
    assertError(client, "forbidden");
    assertEquals(4403, client.awaitClose(CLOSE_WAIT));
  }

  @Test
  void theSocketClosesWhenTheTokenExpires() {
    // Still inside the 30 s clock skew when it arrives, past it a few seconds later.
    long exp = Instant.now().getEpochSecond() - 27;
    String shortLived =
        testKey.resign(
            TOKENS.get("alice"),
            Json.createObjectBuilder().add("exp", exp).add("iat", exp - 300).build());
    var client = connect();
    client.send(message("hello").add("token", shortLived));
    client.next("welcome");
    assertEquals(4401, client.awaitClose(CLOSE_WAIT));
    assertEquals("token-expired", client.next("error").getString("code"));
  }

  @Test
  void helloAgainRenewsTheTokenButCannotSwitchUsers() {
    var alice = signIn("alice");
    alice.send(message("hello").add("token", TOKENS.get("alice")));
    assertEquals(SUBJECTS.get("alice"), alice.next("welcome").getString("userId"));
    alice.send(message("hello").add("token", TOKENS.get("bob")));
    assertError(alice, "invalid");
    assertUsable(alice);
  }

  // --- socket caps -------------------------------------------------------------------------------

  private static final int MAX_PER_USER = 6;
  private static final int MAX_UNAUTHENTICATED_PER_ADDRESS = 8;
  private static final int MAX_UNAUTHENTICATED = 12;

  private static String hello(String user) {
    return message("hello").add("token", TOKENS.get(user)).build().toString();
  }

  private static String typeOf(String json) {
    try (var reader = Json.createReader(new StringReader(json))) {
      return reader.readObject().getString("type");
    }
  }

  /** A socket over a cap: one error naming it, then close 4429, both at once. */
  private static void assertRefusedAsTooMany(RawWebSocket socket, String why) throws Exception {
    int code = socket.awaitClose();
    assertEquals(
        4429, code, "closed " + socket.age() + " after opening: " + socket.texts().toString());
    assertEquals(1, socket.texts().size(), socket.texts().toString());
    try (var reader = Json.createReader(new StringReader(socket.texts().get(0)))) {
      JsonObject error = reader.readObject();
      assertEquals("too-many-connections", error.getString("code"), error.toString());
      assertTrue(error.getString("detail").contains(why), error.toString());
    }
  }

  private static void closeAll(List<RawWebSocket> sockets) {
    for (RawWebSocket socket : sockets) {
      try {
        socket.closeCleanly();
      } catch (java.io.IOException e) {
        // already gone
      }
    }
  }

  @Test
  void aUserBeyondTheSocketCapIsRefusedAndClosingOneMakesRoom() {
    List<SignalingClient> dave = new ArrayList<>();
    for (int i = 0; i < MAX_PER_USER; i++) {
      dave.add(signIn("dave"));
    }
    var excess = connect();
    excess.send(message("hello").add("token", TOKENS.get("dave")));
    JsonObject error = excess.next("error");
    assertEquals("too-many-connections", error.getString("code"), error.toString());
    assertEquals("hello", error.getString("inReplyTo"));
    assertEquals(4429, excess.awaitClose(CLOSE_WAIT));

    dave.forEach(SignalingIT::assertUsable);
    // The close handshake ends after the server's close handler ran: the room is there at once.
    dave.get(0).close();
    assertUsable(signIn("dave"));
    // Another user is not affected by dave's cap.
    assertUsable(signIn("bob"));
  }

  @Test
  void socketsThatNeverSayHelloAreCappedPerAddress() throws Exception {
    List<RawWebSocket> silent = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_UNAUTHENTICATED_PER_ADDRESS; i++) {
        silent.add(RawWebSocket.open(base, "127.0.0.2"));
      }
      try (var excess = RawWebSocket.open(base, "127.0.0.2")) {
        assertRefusedAsTooMany(excess, "from your address");
      }
      try (var otherAddress = RawWebSocket.open(base, "127.0.0.3")) {
        otherAddress.sendText(hello("alice"));
        assertEquals("welcome", typeOf(otherAddress.nextText()));
        otherAddress.closeCleanly();
      }
      // A hello takes a socket out of the count: the address may open one more.
      silent.get(0).sendText(hello("bob"));
      assertEquals("welcome", typeOf(silent.get(0).nextText()));
      silent.add(RawWebSocket.open(base, "127.0.0.2"));
      silent.get(silent.size() - 1).sendText(hello("carol"));
      assertEquals("welcome", typeOf(silent.get(silent.size() - 1).nextText()));
    } finally {
      closeAll(silent);
    }
  }

  /**
   * A flood from many addresses: when every place is taken, the oldest silent socket makes way, so
   * a real client (which says hello at once) still signs in, and signed-in users are unaffected.
   */
  @Test
  void socketsThatNeverSayHelloAreCappedInAllAndTheOldestMakeWay() throws Exception {
    var frank = signIn("frank");
    List<RawWebSocket> silent = new ArrayList<>();
    try {
      // Four per address, under that cap: only the cap in all applies.
      for (int i = 0; i < MAX_UNAUTHENTICATED; i++) {
        silent.add(RawWebSocket.open(base, "127.0.1." + (1 + i / 4)));
      }
      silent.add(RawWebSocket.open(base, "127.0.1.9"));
      assertRefusedAsTooMany(silent.get(0), "the oldest are closed");

      var erin = signIn("erin");
      assertRefusedAsTooMany(silent.get(1), "the oldest are closed");
      assertUsable(erin);
      assertUsable(frank);
      assertEquals(200, status("api/calls", "frank"));
      // The sockets that were not pushed out are still waiting: a hello now still works.
      silent.get(2).sendText(hello("alice"));
      assertEquals("welcome", typeOf(silent.get(2).nextText()));
    } finally {
      closeAll(silent);
    }
  }

  // --- bad input ---------------------------------------------------------------------------------

  @Test
  void badMessagesGetAnErrorAndChangeNothing() {
    var alice = signIn("alice");
    alice.sendText("{not json");
    assertError(alice, "malformed");
    alice.sendText("{\"type\":\"call.transfer\",\"v\":1}");
    assertError(alice, "unknown-type");
    alice.sendText("{\"type\":\"welcome\",\"v\":1,\"userId\":\"x\"}");
    assertError(alice, "unknown-type");
    alice.sendText("{\"type\":\"ping\",\"v\":7}");
    assertError(alice, "version");
    alice.sendText("{\"type\":\"ping\",\"v\":1,\"admin\":true}");
    assertError(alice, "invalid");
    alice.sendText("{\"type\":\"ping\",\"v\":1,\"pad\":\"" + "x".repeat(100_000) + "\"}");
    assertError(alice, "too-large");
    alice.send(message("call.answer").add("callId", UUID.randomUUID().toString()));
    assertError(alice, "not-in-call");
    alice.send(
        message("call.invite").add("ref", "r1").add("to", "nobody@nowhere").add("media", "video"));
    assertError(alice, "unknown-user");
    alice.send(message("call.invite").add("ref", "r2").add("to", "alice").add("media", "video"));
    assertError(alice, "invalid");
    assertUsable(alice);
  }

  @Test
  void aFloodIsRateLimitedAndTheSocketSurvives() {
    var alice = signIn("alice");
    for (int i = 0; i < 150; i++) {
      alice.send(message("ping"));
    }
    assertEquals("rate-limited", alice.next("error").getString("code"));
    assertFalse(alice.isClosed());
  }

  // --- presence and calls ------------------------------------------------------------------------

  private static JsonObject invite(SignalingClient from, String to, String ref) {
    from.send(message("call.invite").add("ref", ref).add("to", to).add("media", "video"));
    return from.next(
        m -> ref.equals(m.getString("ref", null)), "the answer to " + ref, Duration.ofSeconds(10));
  }

  private static JsonObject ended(SignalingClient client, String callId) {
    return client.next(
        m -> "call.ended".equals(m.getString("type")) && callId.equals(m.getString("callId")),
        "call.ended for " + callId,
        Duration.ofSeconds(15));
  }

  private static JsonObject presenceOf(SignalingClient client, String user, String presence) {
    return client.next(
        m ->
            "presence.update".equals(m.getString("type"))
                && user.equals(m.getString("user"))
                && presence.equals(m.getString("presence")),
        user + " " + presence,
        Duration.ofSeconds(10));
  }

  /**
   * The amplification attack: a 1,000-id watch re-sent over and over. The first one answers each
   * real person once and refuses the rest in one error; every repeat costs one message at most.
   */
  @Test
  void aRepeatedWatchAnswersOnlyWhatChangedAndRefusesIdsThatAreNotPeople() {
    var carol = signIn("carol");
    var ids = Json.createArrayBuilder();
    List<String> people = List.of("alice", "bob", "dave", "frank");
    people.forEach(user -> ids.add(SUBJECTS.get(user)));
    for (int i = people.size(); i < 1000; i++) {
      ids.add(UUID.randomUUID().toString());
    }
    JsonArray thousand = ids.build();

    carol.send(message("presence.watch").add("users", thousand));
    for (String user : people) {
      presenceOf(carol, SUBJECTS.get(user), "offline");
    }
    JsonObject refused = carol.next("error");
    assertEquals("unknown-user", refused.getString("code"), refused.toString());
    assertEquals("presence.watch", refused.getString("inReplyTo"));
    assertTrue(refused.getString("detail").startsWith("996 "), refused.toString());
    assertUsable(carol);
    assertTrue(carol.pending().isEmpty(), carol.pending().toString());

    for (int i = 0; i < 5; i++) {
      carol.send(message("presence.watch").add("users", thousand));
    }
    assertUsable(carol);
    List<JsonObject> answers = carol.pending();
    assertEquals(5, answers.size(), "one error per repeat, no presence: " + answers);
    assertTrue(answers.stream().allMatch(m -> "unknown-user".equals(m.getString("code", ""))));

    // Still watching after the repeats (each person once), and refused ids were not stored.
    var bob = signIn("bob");
    presenceOf(carol, SUBJECTS.get("bob"), "online");
    bob.close();
    presenceOf(carol, SUBJECTS.get("bob"), "offline");
    carol.send(
        message("presence.watch").add("users", Json.createArrayBuilder().add(SUBJECTS.get("bob"))));
    assertUsable(carol);
    assertTrue(
        carol.pending().stream().noneMatch(m -> m.getString("type").equals("presence.update")),
        carol.pending().toString());
  }

  @Test
  void aCallFromInviteToHangupWithRelayOnlyBetweenItsParties() {
    var carol = signIn("carol");
    carol.send(
        message("presence.watch")
            .add("users", Json.createArrayBuilder().add(SUBJECTS.get("alice"))));
    presenceOf(carol, SUBJECTS.get("alice"), "offline");
    var alice = signIn("alice");
    presenceOf(carol, SUBJECTS.get("alice"), "online");
    var bob = signIn("bob");
    var bobSecondTab = signIn("bob");
    var frank = signIn("frank");

    JsonObject ringing = invite(alice, "bob@acme-bank.example", "ref-1");
    assertEquals("call.ringing", ringing.getString("type"));
    String callId = ringing.getString("callId");
    assertEquals(SUBJECTS.get("bob"), ringing.getString("peer"));
    for (var tab : List.of(bob, bobSecondTab)) {
      JsonObject incoming = tab.next("call.incoming");
      assertEquals(callId, incoming.getString("callId"));
      assertEquals(SUBJECTS.get("alice"), incoming.getString("peer"));
      assertEquals("video", incoming.getString("media"));
    }

    // Before the answer nobody relays; a stranger can neither answer nor relay nor end it.
    alice.send(message("sdp").add("callId", callId).add("kind", "offer").add("sdp", "v=0\r\n"));
    assertError(alice, "not-in-call");
    frank.send(message("call.answer").add("callId", callId));
    assertError(frank, "not-in-call");
    frank.send(message("call.hangup").add("callId", callId));
    assertError(frank, "not-in-call");

    bob.send(message("call.answer").add("callId", callId));
    assertEquals(callId, alice.next("call.answered").getString("callId"));
    assertEquals("answered-elsewhere", ended(bobSecondTab, callId).getString("reason"));
    presenceOf(carol, SUBJECTS.get("alice"), "busy");

    String offer = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n";
    alice.send(message("sdp").add("callId", callId).add("kind", "offer").add("sdp", offer));
    JsonObject relayed = bob.next("sdp");
    assertEquals(offer, relayed.getString("sdp"));
    assertEquals("offer", relayed.getString("kind"));
    String candidate = "candidate:1 1 udp 41885695 127.0.0.1 50000 typ relay raddr 0.0.0.0 rport 0";
    bob.send(
        message("candidate")
            .add("callId", callId)
            .add("candidate", candidate)
            .add("sdpMid", "0")
            .add("sdpMLineIndex", 0));
    assertEquals(candidate, alice.next("candidate").getString("candidate"));

    // The other tab of bob, and frank, cannot send into the call.
    bobSecondTab.send(
        message("sdp").add("callId", callId).add("kind", "answer").add("sdp", "v=0\r\n"));
    assertError(bobSecondTab, "not-in-call");
    frank.send(message("sdp").add("callId", callId).add("kind", "answer").add("sdp", "v=0\r\n"));
    assertError(frank, "not-in-call");
    assertUsable(alice);
    assertTrue(alice.pending().stream().noneMatch(m -> m.getString("type").equals("sdp")));

    alice.send(message("call.media").add("callId", callId).add("path", "relay"));
    assertUsable(alice);
    alice.send(message("call.hangup").add("callId", callId));
    assertEquals("hangup", ended(alice, callId).getString("reason"));
    assertEquals("hangup", ended(bob, callId).getString("reason"));
    presenceOf(carol, SUBJECTS.get("alice"), "online");

    JsonObject logged = ownCall("alice", callId);
    assertEquals("outgoing", logged.getString("direction"));
    assertEquals("hangup", logged.getString("endReason"));
    assertEquals("relay", logged.getString("mediaPath"));
    assertEquals(SUBJECTS.get("bob"), logged.getJsonObject("peer").getString("id"));
    assertFalse(logged.isNull("answeredAt"));
    assertEquals("incoming", ownCall("bob", callId).getString("direction"));
    assertTrue(
        get("api/calls/all?limit=100", "frank").asJsonArray().stream()
            .anyMatch(c -> c.asJsonObject().getString("callId").equals(callId)),
        "edge-admin sees everyone's calls");
    assertEquals(403, status("api/calls/all", "alice"));
    assertEquals(403, status("api/calls", "eve"));
    assertEquals(401, status("api/calls", null));
    assertEquals(400, status("api/calls?limit=0", "alice"));
    assertEquals(400, status("api/calls?before=yesterday", "alice"));
  }

  @Test
  void declineCancelOfflineBusyAndNoAnswer() {
    var alice = signIn("alice");
    var bob = signIn("bob");
    var dave = signIn("dave");

    String declined = invite(alice, "bob", "r-decline").getString("callId");
    bob.next("call.incoming");
    bob.send(message("call.decline").add("callId", declined));
    assertEquals("declined", ended(alice, declined).getString("reason"));

    String cancelled = invite(alice, "bob", "r-cancel").getString("callId");
    bob.next("call.incoming");
    alice.send(message("call.cancel").add("callId", cancelled));
    assertEquals("cancelled", ended(bob, cancelled).getString("reason"));

    JsonObject offline = invite(alice, "carol@acme-bank.example", "r-offline");
    assertEquals("call.ended", offline.getString("type"));
    assertEquals("offline", offline.getString("reason"));
    JsonObject missed = ownCall("carol", offline.getString("callId"));
    assertTrue(missed.getBoolean("missed"), missed.toString());
    assertEquals("offline", missed.getString("endReason"));

    String active = invite(alice, "bob", "r-active").getString("callId");
    bob.next("call.incoming");
    bob.send(message("call.answer").add("callId", active));
    alice.next("call.answered");
    JsonObject busy = invite(dave, "bob", "r-busy");
    assertEquals("busy", busy.getString("reason"));
    alice.send(
        message("call.invite").add("ref", "r-twice").add("to", "dave").add("media", "audio"));
    assertError(alice, "in-call");
    bob.send(message("call.hangup").add("callId", active));
    ended(alice, active);

    String unanswered = invite(alice, "bob", "r-timeout").getString("callId");
    assertEquals("no-answer", ended(alice, unanswered).getString("reason"));
    assertEquals("no-answer", ended(bob, unanswered).getString("reason"));
    assertTrue(ownCall("bob", unanswered).getBoolean("missed"));
  }

  @Test
  void crossingInvitesBecomeOneCall() {
    var alice = signIn("alice");
    var bob = signIn("bob");
    String first = invite(bob, "alice", "r-bob").getString("callId");
    alice.next("call.incoming");
    JsonObject merged = invite(alice, "bob", "r-alice");
    assertEquals("call.merged", merged.getString("type"));
    assertEquals(first, merged.getString("callId"));
    assertEquals(first, bob.next("call.answered").getString("callId"));
    bob.send(message("call.hangup").add("callId", first));
    ended(alice, first);
  }

  @Test
  void anActiveCallSurvivesAReconnectAndEndsWhenNobodyComesBack() {
    var alice = signIn("alice");
    var bob = signIn("bob");
    String callId = invite(alice, "bob", "r-reconnect").getString("callId");
    bob.next("call.incoming");
    bob.send(message("call.answer").add("callId", callId));
    alice.next("call.answered");

    bob.abort();
    try (var watcher = SignalingClient.signIn(HTTP, base.toString(), TOKENS.get("erin"))) {
      waitOffline(watcher, "bob"); // the server noticed
    }
    alice.send(message("sdp").add("callId", callId).add("kind", "offer").add("sdp", "v=0\r\n"));
    assertError(alice, "peer-away");
    var bobAgain = connect();
    bobAgain.send(message("hello").add("token", TOKENS.get("bob")));
    JsonArray calls = bobAgain.next("welcome").getJsonArray("calls");
    assertEquals(1, calls.size());
    assertEquals(callId, calls.getJsonObject(0).getString("callId"));
    assertEquals("active", calls.getJsonObject(0).getString("state"));
    assertEquals("callee", calls.getJsonObject(0).getString("role"));
    bobAgain.send(message("call.resume").add("callId", callId));
    assertUsable(bobAgain);
    alice.send(message("sdp").add("callId", callId).add("kind", "offer").add("sdp", "v=0\r\n"));
    assertEquals(callId, bobAgain.next("sdp").getString("callId"));

    alice.abort();
    assertEquals("connection-lost", ended(bobAgain, callId).getString("reason"));
    assertEquals("connection-lost", ownCall("bob", callId).getString("endReason"));
  }

  // --- REST helpers ------------------------------------------------------------------------------

  private JsonObject ownCall(String user, String callId) {
    return get("api/calls?limit=100", user).asJsonArray().stream()
        .map(JsonValue::asJsonObject)
        .filter(c -> c.getString("callId").equals(callId))
        .findFirst()
        .orElseThrow(() -> new AssertionError(user + "'s call log has no " + callId));
  }

  private JsonValue get(String path, String user) {
    HttpResponse<String> response = request(path, user);
    assertEquals(200, response.statusCode(), path + ": " + response.body());
    try (var reader = Json.createReader(new StringReader(response.body()))) {
      return reader.readValue();
    }
  }

  private int status(String path, String user) {
    HttpResponse<String> response = request(path, user);
    if (response.statusCode() >= 400) {
      assertNotNull(response.headers().firstValue("content-type").orElse(null));
    }
    return response.statusCode();
  }

  private HttpResponse<String> request(String path, String user) {
    var builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    if (user != null) {
      builder.header("Authorization", "Bearer " + TOKENS.get(user));
    }
    try {
      return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("GET " + path + " failed", e);
    }
  }
}
