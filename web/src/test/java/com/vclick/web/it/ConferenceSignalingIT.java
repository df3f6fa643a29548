package com.vclick.web.it;

import static com.vclick.testkit.SignalingClient.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.testkit.KeycloakLogin;
import com.vclick.testkit.SignalingClient;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Calls with more than two parties over the real signaling WebSocket, with users signed in at the
 * real Keycloak: adding people, what an invite that ends without an answer does, leaving, the size
 * limit (the failsafe configuration sets {@code vclick.calls.max-parties} to 4 and a 4 s ring
 * timeout), and that nobody uninvited can send into a call. The third answer goes to the configured
 * media server (the shared Janus).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConferenceSignalingIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String[] USERS = {"alice", "bob", "carol", "dave", "erin", "frank"};
  private static final Map<String, String> TOKENS = new HashMap<>();
  private static final Map<String, String> SUBJECTS = new HashMap<>();

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
  }

  /** Closes this test's sockets and waits until the server saw every user go offline. */
  @AfterEach
  void closeClients() {
    clients.forEach(SignalingClient::close);
    try (var watcher = SignalingClient.signIn(HTTP, base.toString(), TOKENS.get("erin"))) {
      var ids = Json.createArrayBuilder();
      List<String> users = List.of("alice", "bob", "carol", "dave", "frank");
      users.forEach(u -> ids.add(SUBJECTS.get(u)));
      watcher.send(message("presence.watch").add("users", ids));
      for (String user : users) {
        watcher.next(
            m ->
                "presence.update".equals(m.getString("type"))
                    && SUBJECTS.get(user).equals(m.getString("user"))
                    && "offline".equals(m.getString("presence")),
            user + " offline",
            WAIT);
      }
    }
  }

  private SignalingClient signIn(String user) {
    var client = SignalingClient.signIn(HTTP, base.toString(), TOKENS.get(user));
    clients.add(client);
    return client;
  }

  private static String id(String user) {
    return SUBJECTS.get(user);
  }

  /** alice calls bob, bob answers: the call's id. */
  private static String twoPartyCall(SignalingClient alice, SignalingClient bob) {
    alice.send(message("call.invite").add("ref", "r-ab").add("to", "bob").add("media", "video"));
    String callId = alice.next("call.ringing").getString("callId");
    bob.next("call.incoming");
    bob.send(message("call.answer").add("callId", callId));
    alice.next("call.answered");
    return callId;
  }

  private static void add(SignalingClient from, String callId, String to, String ref) {
    from.send(message("call.add").add("callId", callId).add("ref", ref).add("to", to));
  }

  private static JsonObject next(SignalingClient client, String type, String callId) {
    return client.next(
        m -> type.equals(m.getString("type")) && callId.equals(m.getString("callId", "")),
        type + " of " + callId,
        WAIT);
  }

  private static JsonObject addEnded(SignalingClient client, String callId, String userId) {
    return client.next(
        m ->
            "call.add.ended".equals(m.getString("type"))
                && callId.equals(m.getString("callId"))
                && userId.equals(m.getString("userId")),
        "call.add.ended of " + userId,
        WAIT);
  }

  /** The next call.parties, as "user:state" in order (user names, not ids). */
  private static List<String> parties(SignalingClient client, String callId) {
    JsonArray list = next(client, "call.parties", callId).getJsonArray("parties");
    List<String> states = new ArrayList<>();
    for (JsonValue value : list) {
      JsonObject party = value.asJsonObject();
      states.add(nameOf(party.getString("userId")) + ":" + party.getString("state"));
    }
    return states;
  }

  private static String nameOf(String subject) {
    return SUBJECTS.entrySet().stream()
        .filter(e -> e.getValue().equals(subject))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse(subject);
  }

  private static void assertError(SignalingClient client, String code) {
    JsonObject error = client.next("error");
    assertEquals(code, error.getString("code"), error.toString());
    assertFalse(error.toString().contains("Exception"), "no stack traces to clients: " + error);
  }

  private static void assertRelayed(SignalingClient from, SignalingClient to, String callId) {
    String sdp = "v=0\r\no=- 7 2 IN IP4 127.0.0.1\r\ns=-\r\n";
    from.send(message("sdp").add("callId", callId).add("kind", "offer").add("sdp", sdp));
    assertEquals(sdp, next(to, "sdp", callId).getString("sdp"));
  }

  @Test
  void anAddedColleagueIsRungAndEndingTheInviteEndsOnlyThat() {
    var alice = signIn("alice");
    var bob = signIn("bob");
    var carol = signIn("carol");
    var dave = signIn("dave");
    var frank = signIn("frank");
    String callId = twoPartyCall(alice, bob);

    add(alice, callId, "carol@acme-bank.example", "add-1");
    JsonObject incoming = next(carol, "call.incoming", callId);
    assertEquals(id("alice"), incoming.getString("peer"));
    List<String> already =
        incoming.getJsonArray("parties").stream()
            .map(p -> nameOf(p.asJsonObject().getString("userId")))
            .toList();
    assertEquals(List.of("alice", "bob"), already);
    assertEquals(List.of("alice:joined", "bob:joined", "carol:ringing"), parties(alice, callId));
    assertEquals(List.of("alice:joined", "bob:joined", "carol:ringing"), parties(bob, callId));

    carol.send(message("call.decline").add("callId", callId));
    assertEquals("declined", next(carol, "call.ended", callId).getString("reason"));
    JsonObject toInviter = addEnded(alice, callId, id("carol"));
    assertEquals("declined", toInviter.getString("reason"));
    assertEquals("add-1", toInviter.getString("ref"));
    assertFalse(addEnded(bob, callId, id("carol")).containsKey("ref"), "ref only to the inviter");
    assertRelayed(alice, bob, callId);

    add(bob, callId, "carol", "add-2");
    next(carol, "call.incoming", callId);
    bob.send(message("call.add.cancel").add("callId", callId).add("userId", id("carol")));
    assertEquals("cancelled", next(carol, "call.ended", callId).getString("reason"));
    assertEquals("add-2", addEnded(bob, callId, id("carol")).getString("ref"));
    assertEquals("cancelled", addEnded(alice, callId, id("carol")).getString("reason"));

    add(alice, callId, "erin", "add-offline"); // erin has no connection now
    assertEquals("offline", addEnded(alice, callId, id("erin")).getString("reason"));

    dave.send(message("call.invite").add("ref", "r-df").add("to", "frank").add("media", "audio"));
    String other = dave.next("call.ringing").getString("callId");
    frank.next("call.incoming");
    add(bob, callId, "frank", "add-busy");
    assertEquals("busy", addEnded(bob, callId, id("frank")).getString("reason"));
    dave.send(message("call.cancel").add("callId", other));
    next(frank, "call.ended", other);

    add(alice, callId, "carol", "add-late");
    next(carol, "call.incoming", callId);
    JsonObject late = addEnded(alice, callId, id("carol"));
    assertEquals("no-answer", late.getString("reason"));
    assertEquals("no-answer", next(carol, "call.ended", callId).getString("reason"));

    assertRelayed(bob, alice, callId);
    alice.send(message("call.hangup").add("callId", callId));
    assertEquals("hangup", next(bob, "call.ended", callId).getString("reason"));

    // One call log entry with everyone who was rung into it, with their times.
    JsonObject logged = ownCall("alice", callId);
    List<String> participants =
        logged.getJsonArray("participants").stream()
            .map(JsonValue::asJsonObject)
            .map(p -> nameOf(p.getString("id")) + ":" + p.getString("reason", "-"))
            .toList();
    assertEquals(
        List.of(
            "alice:hangup", "bob:hangup", "carol:declined", "carol:cancelled", "carol:no-answer"),
        participants);
    JsonObject bobRow = logged.getJsonArray("participants").getJsonObject(1);
    assertFalse(bobRow.isNull("joinedAt"));
    assertFalse(bobRow.isNull("leftAt"));
    assertTrue(logged.getJsonArray("participants").getJsonObject(2).isNull("joinedAt"));
    JsonObject carols = ownCall("carol", callId);
    assertEquals("incoming", carols.getString("direction"));
    assertEquals(SUBJECTS.get("alice"), carols.getJsonObject("peer").getString("id"));
  }

  private JsonObject ownCall(String user, String callId) {
    return get("api/calls?limit=100", user).asJsonArray().stream()
        .map(JsonValue::asJsonObject)
        .filter(c -> c.getString("callId").equals(callId))
        .findFirst()
        .orElseThrow(() -> new AssertionError(user + "'s call log has no " + callId));
  }

  @Test
  void theLimitAndOnlyInvitedUsersInTheCall() {
    var alice = signIn("alice");
    var bob = signIn("bob");
    var bobOtherTab = signIn("bob");
    var carol = signIn("carol");
    var dave = signIn("dave");
    var frank = signIn("frank");

    alice.send(message("call.invite").add("ref", "r-1").add("to", "bob").add("media", "video"));
    String callId = alice.next("call.ringing").getString("callId");
    add(alice, callId, "carol", "too-early");
    assertError(alice, "wrong-state");
    bob.next("call.incoming");
    bobOtherTab.next("call.incoming");
    bob.send(message("call.answer").add("callId", callId));
    alice.next("call.answered");

    add(bobOtherTab, callId, "carol", "wrong-tab");
    assertError(bobOtherTab, "not-in-call");
    add(frank, callId, "carol", "stranger");
    assertError(frank, "not-in-call");
    for (var stranger : List.of(frank, bobOtherTab)) {
      stranger.send(message("conference.publish").add("callId", callId).add("sdp", "v=0\r\n"));
      assertError(stranger, "not-in-call");
    }
    frank.send(message("call.leave").add("callId", callId));
    assertError(frank, "not-in-call");
    add(alice, callId, "bob", "twice");
    assertError(alice, "invalid");

    add(alice, callId, "carol", "third");
    next(carol, "call.incoming", callId);
    add(bob, callId, "dave", "fourth");
    next(dave, "call.incoming", callId);
    add(bob, callId, "frank", "fifth");
    assertError(bob, "call-full");
    frank.send(message("ping"));
    frank.next("pong");
    assertTrue(
        frank.pending().stream().noneMatch(m -> "call.incoming".equals(m.getString("type"))),
        frank.pending().toString());

    // A ringing invitee is no party yet: carol cannot publish or add.
    carol.send(message("conference.publish").add("callId", callId).add("sdp", "v=0\r\n"));
    assertError(carol, "not-in-call");
    alice.send(message("call.hangup").add("callId", callId));
    for (var party : List.of(bob, carol, dave)) {
      next(party, "call.ended", callId);
    }
  }

  @Test
  void aCallWithSeveralPeopleAtOnce() {
    var alice = signIn("alice");
    var bob = signIn("bob");
    var carol = signIn("carol");
    alice.send(
        message("call.invite")
            .add("ref", "r-many")
            .add("to", Json.createArrayBuilder().add("bob").add("carol").add("erin"))
            .add("media", "audio"));
    String callId = alice.next("call.ringing").getString("callId");
    assertEquals("offline", addEnded(alice, callId, id("erin")).getString("reason"));
    assertEquals(List.of("alice:joined", "bob:ringing", "carol:ringing"), parties(alice, callId));
    for (var invitee : List.of(bob, carol)) {
      JsonObject incoming = next(invitee, "call.incoming", callId);
      assertEquals("audio", incoming.getString("media"));
      assertEquals(1, incoming.getJsonArray("parties").size());
    }
    bob.send(message("call.decline").add("callId", callId));
    assertEquals("declined", addEnded(alice, callId, id("bob")).getString("reason"));
    carol.send(message("call.answer").add("callId", callId));
    next(alice, "call.answered", callId);
    assertRelayed(carol, alice, callId);
    carol.send(message("call.leave").add("callId", callId));
    assertEquals("hangup", next(alice, "call.ended", callId).getString("reason"));
    assertEquals("hangup", next(carol, "call.ended", callId).getString("reason"));
  }

  /**
   * Several people called at once from the directory: beyond the limit nothing rings; a busy one is
   * told apart and not rung; the first answer makes the two-party call, the second takes it onto
   * the media server for everyone; one entry in the call log with each person's times. Someone who
   * lets it ring is told apart as no-answer while the others go on.
   */
  @Test
  void severalPeopleCalledAtOnceBecomeAConferenceWhenTwoAnswer() {
    var alice = signIn("alice");
    var bob = signIn("bob");
    var carol = signIn("carol");
    var dave = signIn("dave");
    var frank = signIn("frank");

    assertEquals(
        4, get("api/client-config", "alice").asJsonObject().getInt("maxParties"), "for the app");
    alice.send(invite("r-full", "bob", "carol", "dave", "frank"));
    assertError(alice, "call-full");
    bob.send(message("ping"));
    bob.next("pong");
    assertTrue(
        bob.pending().stream().noneMatch(m -> "call.incoming".equals(m.getString("type"))),
        "nobody rung beyond the limit: " + bob.pending());

    dave.send(message("call.invite").add("ref", "r-df").add("to", "frank").add("media", "audio"));
    String other = dave.next("call.ringing").getString("callId");
    frank.next("call.incoming");

    alice.send(invite("r-three", "bob", "carol", "dave"));
    String callId = alice.next("call.ringing").getString("callId");
    assertEquals("busy", addEnded(alice, callId, id("dave")).getString("reason"));
    next(bob, "call.incoming", callId);
    next(carol, "call.incoming", callId);
    bob.send(message("call.answer").add("callId", callId));
    next(alice, "call.answered", callId);
    assertEquals(
        List.of("alice:joined", "bob:joined", "carol:ringing"),
        lastParties(alice, callId, List.of("alice:joined", "bob:joined", "carol:ringing")));
    assertRelayed(alice, bob, callId);

    carol.send(message("call.answer").add("callId", callId));
    for (var party : List.of(alice, bob, carol)) {
      JsonObject join =
          party.next(
              m -> callId.equals(m.getString("callId", "")) && isJoinOrEnd(m),
              "conference.join or call.ended",
              Duration.ofSeconds(30));
      assertEquals("conference.join", join.getString("type"), join.toString());
      assertEquals(3, join.getJsonArray("parties").size(), join.toString());
    }
    dave.send(message("call.cancel").add("callId", other));
    next(frank, "call.ended", other);
    for (var party : List.of(bob, carol)) {
      party.send(message("call.leave").add("callId", callId));
      next(party, "call.ended", callId);
    }
    assertEquals("hangup", next(alice, "call.ended", callId).getString("reason"));

    JsonObject logged = ownCall("alice", callId);
    List<String> participants =
        logged.getJsonArray("participants").stream()
            .map(JsonValue::asJsonObject)
            .map(p -> nameOf(p.getString("id")) + ":" + p.getString("reason", "-"))
            .toList();
    assertEquals(
        List.of("alice:hangup", "bob:hangup", "carol:hangup", "dave:busy"),
        participants,
        "one entry with everyone called: " + logged);
    for (int joined = 0; joined < 3; joined++) {
      JsonObject row = logged.getJsonArray("participants").getJsonObject(joined);
      assertFalse(row.isNull("joinedAt"), row.toString());
      assertFalse(row.isNull("leftAt"), row.toString());
    }
    assertTrue(logged.getJsonArray("participants").getJsonObject(3).isNull("joinedAt"));

    alice.send(invite("r-two", "bob", "carol"));
    String second = alice.next("call.ringing").getString("callId");
    next(carol, "call.incoming", second);
    next(bob, "call.incoming", second);
    bob.send(message("call.answer").add("callId", second));
    next(alice, "call.answered", second);
    assertEquals("no-answer", addEnded(alice, second, id("carol")).getString("reason"));
    assertEquals("no-answer", next(carol, "call.ended", second).getString("reason"));
    assertRelayed(bob, alice, second);
    alice.send(message("call.hangup").add("callId", second));
    assertEquals("hangup", next(bob, "call.ended", second).getString("reason"));
  }

  private static boolean isJoinOrEnd(JsonObject message) {
    return List.of("conference.join", "call.ended").contains(message.getString("type"));
  }

  private static JsonObjectBuilder invite(String ref, String... to) {
    var people = Json.createArrayBuilder();
    for (String person : to) {
      people.add(person);
    }
    return message("call.invite").add("ref", ref).add("to", people).add("media", "video");
  }

  /**
   * Only invited users take part: knowing a live conference's id gives nothing. A stranger, an
   * invitee who declined and a party who left send every message that names a call; each is refused
   * with {@code not-in-call}, changes nothing, and none of them hears anything of the call.
   */
  @Test
  void aConferenceIdIsNotAKey() {
    var alice = signIn("alice");
    var bob = signIn("bob");
    var carol = signIn("carol");
    var dave = signIn("dave");
    var frank = signIn("frank");
    String callId = twoPartyCall(alice, bob);
    add(alice, callId, "carol", "add-c");
    next(carol, "call.incoming", callId);
    carol.send(message("call.answer").add("callId", callId));
    for (var party : List.of(alice, bob, carol)) {
      JsonObject join =
          party.next(
              m -> callId.equals(m.getString("callId", "")) && isJoinOrEnd(m),
              "conference.join or call.ended",
              Duration.ofSeconds(30));
      assertEquals("conference.join", join.getString("type"), join.toString());
    }
    add(bob, callId, "dave", "add-d");
    next(dave, "call.incoming", callId);
    dave.send(message("call.decline").add("callId", callId));
    next(dave, "call.ended", callId);
    addEnded(alice, callId, id("dave"));

    Map<SignalingClient, Integer> heard = new HashMap<>();
    for (var outsider : List.of(frank, dave)) {
      heard.put(outsider, heardOf(outsider, callId));
      attemptEverything(outsider, callId);
    }
    // Three joined: bob leaves, the call goes on for alice and carol; bob's id of it is no key now.
    bob.send(message("call.leave").add("callId", callId));
    next(bob, "call.ended", callId);
    List<String> afterBob = List.of("alice:joined", "bob:left", "carol:joined");
    assertEquals(afterBob, lastParties(alice, callId, afterBob));
    heard.put(bob, heardOf(bob, callId));
    attemptEverything(bob, callId);

    // Nothing changed: alice and carol are the call, and nobody else was told anything of it.
    alice.send(message("ping"));
    alice.next("pong");
    assertTrue(
        alice.pending().stream().noneMatch(m -> "call.parties".equals(m.getString("type"))),
        "no change of the parties: " + alice.pending());
    for (var outsider : List.of(frank, dave, bob)) {
      assertEquals(
          heard.get(outsider),
          heardOf(outsider, callId),
          "an outsider hears nothing more of the call: " + outsider.pending());
    }
    carol.send(message("call.leave").add("callId", callId));
    assertEquals("hangup", next(alice, "call.ended", callId).getString("reason"));
    JsonArray logged = ownCall("alice", callId).getJsonArray("participants");
    assertTrue(
        logged.stream().noneMatch(p -> id("frank").equals(p.asJsonObject().getString("id"))),
        "frank is in no record of the call: " + logged);
  }

  /** How many messages naming the call wait at {@code client}, once all it was sent arrived. */
  private static int heardOf(SignalingClient client, String callId) {
    client.send(message("ping"));
    client.next("pong");
    return (int)
        client.pending().stream().filter(m -> callId.equals(m.getString("callId", ""))).count();
  }

  /** Every message that names a call, from someone who is not in it: each refused, nothing else. */
  private static void attemptEverything(SignalingClient outsider, String callId) {
    String sdp = "v=0\r\no=- 7 2 IN IP4 127.0.0.1\r\ns=-\r\n";
    String candidate = "candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host";
    List<JsonObjectBuilder> attempts =
        List.of(
            message("call.answer").add("callId", callId),
            message("call.decline").add("callId", callId),
            message("call.cancel").add("callId", callId),
            message("call.hangup").add("callId", callId),
            message("call.leave").add("callId", callId),
            message("call.resume").add("callId", callId),
            message("call.add").add("callId", callId).add("ref", "x").add("to", "erin"),
            message("call.add.cancel").add("callId", callId).add("userId", id("alice")),
            message("call.media").add("callId", callId).add("path", "direct"),
            message("sdp").add("callId", callId).add("kind", "offer").add("sdp", sdp),
            message("candidate")
                .add("callId", callId)
                .add("candidate", candidate)
                .add("sdpMid", "0")
                .add("sdpMLineIndex", 0),
            message("conference.publish").add("callId", callId).add("sdp", sdp),
            message("conference.answer")
                .add("callId", callId)
                .add("sessionId", "s-1")
                .add("sdp", sdp),
            message("conference.candidate")
                .add("callId", callId)
                .add("sessionId", "s-1")
                .add("candidate", candidate)
                .add("sdpMid", "0")
                .add("sdpMLineIndex", 0));
    for (var builder : attempts) {
      JsonObject attempt = builder.build();
      String type = attempt.getString("type");
      outsider.sendText(attempt.toString());
      JsonObject error = outsider.next("error");
      assertEquals("not-in-call", error.getString("code"), type + ": " + error);
      assertFalse(error.toString().contains("Exception"), "no stack traces to clients: " + error);
    }
  }

  /**
   * The third answer takes the call to the media server. Until the configured adapter hosts
   * conferences, the media server cannot open the room: the invitee hears {@code media-unavailable}
   * and the two-party call goes on. Once it can, everyone is told to join and anyone may leave
   * while the rest go on.
   */
  @Test
  void theThirdAnswerEscalatesOrTheTwoPartyCallGoesOn() {
    var alice = signIn("alice");
    var bob = signIn("bob");
    var carol = signIn("carol");
    var frank = signIn("frank");
    String callId = twoPartyCall(alice, bob);
    add(bob, callId, "carol", "add-c");
    next(carol, "call.incoming", callId);
    parties(alice, callId);
    carol.send(message("call.answer").add("callId", callId));

    JsonObject outcome =
        carol.next(
            m ->
                callId.equals(m.getString("callId", ""))
                    && List.of("conference.join", "call.ended").contains(m.getString("type")),
            "conference.join or call.ended",
            Duration.ofSeconds(30));
    if ("call.ended".equals(outcome.getString("type"))) {
      assertEquals("media-unavailable", outcome.getString("reason"), outcome.toString());
      JsonObject toBob = addEnded(bob, callId, id("carol"));
      assertEquals("media-unavailable", toBob.getString("reason"));
      assertEquals("add-c", toBob.getString("ref"));
      assertEquals("media-unavailable", addEnded(alice, callId, id("carol")).getString("reason"));
      assertRelayed(alice, bob, callId);
      assertRelayed(bob, alice, callId);
      alice.send(message("call.hangup").add("callId", callId));
      next(bob, "call.ended", callId);
      return;
    }
    for (var party : List.of(alice, bob)) {
      JsonObject join = next(party, "conference.join", callId);
      assertEquals(3, join.getJsonArray("parties").size());
    }
    // Publishing reaches the real media server: Chromium's canned offer gets its answer (no
    // browser behind it, so no media flows and no receive sessions are offered here).
    String offer = cannedOffer();
    for (var party : List.of(alice, carol)) {
      party.send(message("conference.publish").add("callId", callId).add("sdp", offer));
      String answer = next(party, "conference.published", callId).getString("sdp");
      assertTrue(answer.startsWith("v=0"), answer);
    }
    // Make before break: alice and bob still relay their peer-to-peer media; carol has none.
    assertRelayed(alice, bob, callId);
    carol.send(message("sdp").add("callId", callId).add("kind", "offer").add("sdp", "v=0\r\n"));
    assertError(carol, "not-in-call");
    frank.send(message("conference.publish").add("callId", callId).add("sdp", "v=0\r\n"));
    assertError(frank, "not-in-call");

    bob.send(message("call.leave").add("callId", callId));
    assertEquals("hangup", next(bob, "call.ended", callId).getString("reason"));
    List<String> afterBob = List.of("alice:joined", "bob:left", "carol:joined");
    assertEquals(afterBob, lastParties(alice, callId, afterBob));
    carol.send(message("call.leave").add("callId", callId));
    assertEquals("hangup", next(alice, "call.ended", callId).getString("reason"));
  }

  /** Skips earlier call.parties until one equals {@code expected} (or none comes). */
  private static List<String> lastParties(
      SignalingClient client, String callId, List<String> expected) {
    while (true) {
      List<String> states = parties(client, callId);
      if (states.equals(expected)) {
        return states;
      }
    }
  }

  /** The canned Chromium offer (audio and video) of the Janus adapter's tests. */
  private static String cannedOffer() {
    try {
      return Files.readString(Path.of(System.getProperty("vclick.it.sdp"), "chromium-offer.sdp"))
          .replaceAll("\r?\n", "\r\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // --- REST --------------------------------------------------------------------------------------

  JsonValue get(String path, String user) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + TOKENS.get(user))
            .build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), path + ": " + response.body());
      try (var reader = Json.createReader(new StringReader(response.body()))) {
        return reader.readValue();
      }
    } catch (Exception e) {
      throw new AssertionError("GET " + path + " failed", e);
    }
  }
}
