package com.vclick.core.edge.connections;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.core.edge.CandidateType;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ConnectionReportJsonTest {

  private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
  private static final String CONNECTION = "3b241101-e2bb-4255-8caf-4136c566a962";
  private static final String PAGE = "9a6f2c1e-5d4b-4c3a-9b2a-1f0e9d8c7b6a";

  private static JsonObjectBuilder event(String kind) {
    JsonObjectBuilder event =
        Json.createObjectBuilder()
            .add("connectionId", CONNECTION)
            .add("pageId", PAGE)
            .addNull("decisionId")
            .add("origin", "https://meet.example.com")
            .add("event", kind)
            .add("at", "2026-11-24T09:59:58.123456Z");
    switch (kind) {
      case "connected" ->
          event
              .add("localFingerprint", "sha-256 ab:cd")
              .add("remoteFingerprint", "sha-256 EF:01")
              .add("localCandidateType", "relay")
              .add("remoteCandidateType", "srflx")
              .add("protocol", "udp");
      case "closed" ->
          event.add("bytesSent", 10).add("bytesReceived", 0).add("endReason", "failed");
      case "sample" -> event.add("bytesSent", 7).add("bytesReceived", 9);
      default -> {}
    }
    return event;
  }

  private static JsonObject body(JsonObjectBuilder... events) {
    JsonArrayBuilder array = Json.createArrayBuilder();
    for (JsonObjectBuilder event : events) {
      array.add(event);
    }
    return Json.createObjectBuilder().add("events", array).build();
  }

  private static List<ConnectionEvent> read(JsonObject body) {
    return ConnectionReportJson.events(body, NOW);
  }

  @Test
  void readsTheThreeKindsAndNormalises() {
    List<ConnectionEvent> events =
        read(
            body(
                event("created")
                    .add("connectionId", CONNECTION.toUpperCase())
                    .add("origin", "HTTPS://Meet.Example.com:443"),
                event("connected"),
                event("closed").add("decisionId", "0B9F7E52-1C2D-3E4F-8A9B-0C1D2E3F4A5B")));

    var created = (ConnectionEvent.Created) events.get(0);
    assertEquals(CONNECTION, created.connectionId(), "lower case");
    assertEquals("https://meet.example.com", created.origin());
    assertEquals(Instant.parse("2026-11-24T09:59:58.123Z"), created.at(), "milliseconds");
    assertNull(created.decisionId());

    var connected = (ConnectionEvent.Connected) events.get(1);
    assertEquals("sha-256 AB:CD", connected.localFingerprint().toString());
    assertEquals(CandidateType.RELAY, connected.localCandidateType());
    assertEquals(CandidateType.SRFLX, connected.remoteCandidateType());
    assertEquals(TransportProtocol.UDP, connected.protocol());

    var closed = (ConnectionEvent.Closed) events.get(2);
    assertEquals("0b9f7e52-1c2d-3e4f-8a9b-0c1d2e3f4a5b", closed.decisionId());
    assertEquals(10, closed.bytesSent());
    assertEquals(ConnectionEndReason.FAILED, closed.endReason());
  }

  @Test
  void anOriginThatIsNoHttpOriginIsKeptAsSent() {
    var event = read(body(event("created").add("origin", "null"))).get(0);
    assertEquals("null", event.origin());
  }

  @Test
  void theDecisionIdMayBeLeftOut() {
    JsonObject event = event("created").build();
    JsonObjectBuilder without = Json.createObjectBuilder(event).remove("decisionId");
    assertNull(read(body(without)).get(0).decisionId());
  }

  @Test
  void everyInvalidFieldIsNamed() {
    String longOrigin = "https://" + "a".repeat(2040) + ".example";
    List<Executable> checks = new ArrayList<>();
    checks.add(refused(Json.createObjectBuilder().build(), "events", "required"));
    checks.add(refused(json("{\"events\":[]}"), "events", "1 to 50"));
    checks.add(refused(json("{\"events\":{}}"), "events", "1 to 50"));
    checks.add(refused(json("{\"events\":[1]}"), "events[0]", "object"));
    checks.add(refused(json("{\"events\":[{}],\"user\":\"x\"}"), "user", "unknown"));
    JsonObjectBuilder[] many = new JsonObjectBuilder[51];
    for (int i = 0; i < many.length; i++) {
      many[i] = event("created");
    }
    checks.add(refused(body(many), "events", "1 to 50"));
    checks.add(refused(body(event("created"), event("opened")), "events[1].event", "created"));
    checks.add(refused(body(event("created").remove("event")), "events[0].event", "required"));
    checks.add(refused(body(event("created").add("userId", "u-x")), "events[0].userId", "unknown"));
    checks.add(refused(body(event("created").add("a b", 1)), "events[0].\"a b\"", "unknown"));
    checks.add(
        refused(body(event("created").add("bytesSent", 1)), "events[0].bytesSent", "closed"));
    checks.add(
        refused(body(event("closed").add("protocol", "udp")), "events[0].protocol", "connected"));
    checks.add(
        refused(body(event("created").add("connectionId", "x")), "events[0].connectionId", "v4"));
    checks.add(
        refused(
            body(event("created").add("pageId", "3b241101-e2bb-1255-8caf-4136c566a962")),
            "events[0].pageId",
            "v4"));
    checks.add(refused(body(event("created").add("pageId", 42)), "events[0].pageId", "string"));
    checks.add(
        refused(body(event("created").add("decisionId", "nope")), "events[0].decisionId", "UUID"));
    checks.add(refused(body(event("created").add("origin", "")), "events[0].origin", "origin"));
    checks.add(
        refused(body(event("created").add("origin", longOrigin)), "events[0].origin", "2048"));
    checks.add(refused(body(event("created").addNull("origin")), "events[0].origin", "string"));
    checks.add(refused(body(event("created").add("at", "yesterday")), "events[0].at", "ISO"));
    checks.add(
        refused(body(event("created").add("at", "2026-11-24T10:10:01Z")), "events[0].at", "ahead"));
    checks.add(
        refused(body(event("created").add("at", "2026-11-23T09:59:59Z")), "events[0].at", "24"));
    checks.add(
        refused(
            body(event("connected").add("localFingerprint", "AB:CD")),
            "events[0].localFingerprint",
            "sha-256"));
    checks.add(
        refused(
            body(event("connected").remove("remoteFingerprint")),
            "events[0].remoteFingerprint",
            "required"));
    checks.add(
        refused(
            body(event("connected").add("localCandidateType", "RELAY")),
            "events[0].localCandidateType",
            "host"));
    checks.add(
        refused(body(event("connected").add("protocol", "sctp")), "events[0].protocol", "udp"));
    checks.add(
        refused(body(event("closed").add("bytesSent", -1)), "events[0].bytesSent", "at least 0"));
    checks.add(
        refused(
            body(event("closed").add("bytesReceived", 1.5)), "events[0].bytesReceived", "whole"));
    checks.add(
        refused(
            body(event("closed").add("bytesReceived", "7")), "events[0].bytesReceived", "whole"));
    checks.add(
        refused(
            body(event("closed").add("endReason", "gone")),
            "events[0].endReason",
            "closed-by-page"));
    assertAll(checks);
  }

  @Test
  void theBoundsOfAtAreIncluded() {
    assertEquals(
        NOW.plusSeconds(600),
        read(body(event("created").add("at", "2026-11-24T10:10:00Z"))).get(0).at());
    assertEquals(
        NOW.minusSeconds(86_400),
        read(body(event("created").add("at", "2026-11-23T10:00:00Z"))).get(0).at());
  }

  private static Executable refused(JsonObject body, String field, String hint) {
    return () -> {
      var e = assertThrows(InvalidReportException.class, () -> read(body), field);
      assertEquals(field, e.field(), e.getMessage());
      assertTrue(
          e.getMessage().toLowerCase().contains(hint.toLowerCase()), field + ": " + e.getMessage());
    };
  }

  private static JsonObject json(String text) {
    try (var reader = Json.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }

  @Test
  void aSampleCarriesTheFiguresSoFar() {
    ConnectionEvent.Sample sample = (ConnectionEvent.Sample) read(body(event("sample"))).get(0);
    assertEquals(7, sample.bytesSent());
    assertEquals(9, sample.bytesReceived());
  }

  @Test
  void lostIsTheServersVerdictAndSamplesCarryOnlyFigures() {
    assertAll(
        refused(
            body(event("closed").add("endReason", "lost")),
            "events[0].endReason",
            "closed-by-page"),
        refused(
            body(event("sample").add("endReason", "failed")), "events[0].endReason", "Only closed"),
        refused(
            body(event("created").add("bytesSent", 1)),
            "events[0].bytesSent",
            "Only sample and closed"),
        refused(body(event("sample").remove("bytesSent")), "events[0].bytesSent", "required"));
  }
}
