package com.vclick.core.edge.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.core.edge.AddressRange;
import com.vclick.core.edge.CandidateFilterMode;
import com.vclick.core.edge.EdgeDecisionKind;
import com.vclick.core.edge.EdgeOutcome;
import com.vclick.core.edge.EdgePolicy;
import com.vclick.core.edge.EdgeRule;
import com.vclick.core.edge.LocalSettings;
import com.vclick.core.edge.OriginPattern;
import com.vclick.core.edge.PolicyValidationException;
import com.vclick.core.edge.TimeWindow;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EdgePolicyJsonTest {

  static final EdgePolicy BANK =
      new EdgePolicy(
          List.of(
              new EdgeRule(
                  "traders-no-trading-sites",
                  "Traders: no WebRTC on trading sites",
                  true,
                  Set.of(),
                  Set.of("traders"),
                  List.of(OriginPattern.parse("https://*.trading.example")),
                  List.of(),
                  new EdgeOutcome(EdgeDecisionKind.DENY, LocalSettings.lockedDown())),
              new EdgeRule(
                  "meet-office-hours",
                  "Meet in office hours",
                  false,
                  Set.of("caller", "contractor"),
                  Set.of(),
                  List.of(
                      OriginPattern.parse("https://meet.example.com"),
                      OriginPattern.parse("http://10.0.0.5:8080")),
                  List.of(
                      new TimeWindow(
                          EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                          LocalTime.of(8, 0),
                          LocalTime.of(18, 30),
                          ZoneId.of("Europe/London")),
                      new TimeWindow(
                          EnumSet.of(DayOfWeek.SATURDAY),
                          LocalTime.of(22, 0),
                          LocalTime.of(6, 0),
                          ZoneId.of("UTC"))),
                  new EdgeOutcome(
                      EdgeDecisionKind.ALLOW,
                      new LocalSettings(
                          CandidateFilterMode.MODE_3,
                          "198.51.100.7",
                          List.of(
                              AddressRange.parse("10.20.0.0/16"), AddressRange.parse("fd00::/8")),
                          false,
                          true,
                          true,
                          false))),
              new EdgeRule(
                  "record-regulated",
                  "Regulated users are recorded",
                  true,
                  Set.of("regulated"),
                  Set.of(),
                  List.of(OriginPattern.ANY),
                  List.of(),
                  new EdgeOutcome(EdgeDecisionKind.RECORD, LocalSettings.defaults()))),
          new EdgeOutcome(
              EdgeDecisionKind.RELAY,
              LocalSettings.defaults().withCandidateFilterMode(CandidateFilterMode.MODE_4)));

  // --- round trip -------------------------------------------------------------------------------

  @Test
  void aPolicyRoundTripsThroughItsDocument() {
    JsonObject document = EdgePolicyJson.document(BANK, 7);

    assertEquals(7, EdgePolicyJson.version(document));
    assertEquals(BANK, EdgePolicyJson.policy(document));
    assertEquals(document, EdgePolicyJson.document(EdgePolicyJson.policy(document), 7));
  }

  @Test
  void theDocumentReadsAsTheApiDescribesIt() {
    JsonObject document = EdgePolicyJson.document(BANK, 3);
    JsonObject meet = document.getJsonArray("rules").getJsonObject(1);

    assertEquals("relay", document.getJsonObject("default").getString("decision"));
    assertEquals(
        "mode-4",
        document.getJsonObject("default").getJsonObject("settings").getString("candidateFilter"));
    assertEquals("meet-office-hours", meet.getString("id"));
    assertEquals(false, meet.getBoolean("enabled"));
    assertEquals("[\"caller\",\"contractor\"]", meet.getJsonArray("roles").toString());
    assertEquals(
        "[\"https://meet.example.com\",\"http://10.0.0.5:8080\"]",
        meet.getJsonArray("origins").toString());
    assertEquals(
        "{\"days\":[\"MON\",\"TUE\",\"WED\",\"THU\",\"FRI\"],\"from\":\"08:00\",\"to\":\"18:30\","
            + "\"zone\":\"Europe/London\"}",
        meet.getJsonArray("timeWindows").getJsonObject(0).toString());
    assertEquals("allow", meet.getString("decision"));
    assertEquals(
        "{\"candidateFilter\":\"mode-3\",\"fakeLocalIp\":\"198.51.100.7\","
            + "\"allowedLocalRanges\":[\"10.20.0.0/16\",\"fd00::/8\"],\"blockCamera\":false,"
            + "\"blockMicrophone\":true,\"blockScreenCapture\":true,\"blockDataChannels\":false}",
        meet.getJsonObject("settings").toString());
  }

  @Test
  void aRuleNeedsOnlyIdNameAndDecision() {
    EdgeRule rule =
        EdgePolicyJson.rule(
            json("{\"id\":\"r\",\"name\":\"R\",\"decision\":\"allow\"}"), "rules[0]");

    assertTrue(rule.enabled());
    assertTrue(rule.roles().isEmpty() && rule.groups().isEmpty());
    assertTrue(rule.origins().isEmpty() && rule.timeWindows().isEmpty());
    assertEquals(LocalSettings.defaults(), rule.outcome().settings());
  }

  @Test
  void weekdaysMayBeWrittenInFullOrShortInAnyCase() {
    EdgeRule rule =
        EdgePolicyJson.rule(
            json(
                "{\"id\":\"r\",\"name\":\"R\",\"decision\":\"allow\",\"timeWindows\":[{\"days\":"
                    + "[\"monday\",\"Tue\"],\"from\":\"09:00\",\"to\":\"17:00\",\"zone\":\"UTC\"}]}"),
            "rules[0]");
    assertEquals(EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY), rule.timeWindows().get(0).days());
  }

  @Test
  void aStoredRuleReadsBackAsTheRuleThatWasStored() {
    for (EdgeRule rule : BANK.rules()) {
      String definition = EdgePolicyJson.definition(rule).toString();
      assertEquals(
          rule,
          EdgePolicyJson.storedRule(
              rule.id(),
              rule.name(),
              rule.enabled(),
              rule.outcome().kind().wireName(),
              definition,
              "rules[0]"));
    }
    EdgeOutcome fallback = BANK.defaultOutcome();
    assertEquals(
        fallback,
        EdgePolicyJson.storedOutcome(
            fallback.kind().wireName(),
            EdgePolicyJson.settings(fallback.settings()).toString(),
            "default"));
  }

  @Test
  void aStoredRuleThatNoLongerValidatesSaysWhere() {
    String edited =
        "{\"roles\":[],\"groups\":[],\"origins\":[\"ftp://x.example\"],\"timeWindows\":[],"
            + "\"settings\":{\"candidateFilter\":\"relay-only\"}}";
    assertField(
        "rules[4].origins[0]",
        () -> EdgePolicyJson.storedRule("r", "R", true, "deny", edited, "rules[4]"));
    assertField(
        "rules[4]",
        () -> EdgePolicyJson.storedRule("r", "R", true, "deny", "{not json", "rules[4]"));
    assertField(
        "rules[4].colour",
        () -> EdgePolicyJson.storedRule("r", "R", true, "deny", "{\"colour\":1}", "rules[4]"));
  }

  // --- errors name the JSON field ---------------------------------------------------------------

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // a bad origin pattern
        "rules[0].origins[1]|{\"id\":\"a\",\"name\":\"A\",\"decision\":\"deny\",\"origins\":"
            + "[\"https://ok.example\",\"https://exa mple.com/path\"]}",
        // relay with a candidate filter that does not force the relay
        "rules[0].settings.candidateFilter|{\"id\":\"a\",\"name\":\"A\",\"decision\":\"relay\","
            + "\"settings\":{\"candidateFilter\":\"mode-1\"}}",
        "rules[0].settings.candidateFilter|{\"id\":\"a\",\"name\":\"A\",\"decision\":\"allow\","
            + "\"settings\":{\"candidateFilter\":\"mode-9\"}}",
        "rules[0].colour|{\"id\":\"a\",\"name\":\"A\",\"decision\":\"deny\",\"colour\":\"red\"}",
        "rules[0].settings.blockCamera|{\"id\":\"a\",\"name\":\"A\",\"decision\":\"deny\","
            + "\"settings\":{\"blockCamera\":\"yes\"}}",
        "rules[0].settings.allowedLocalRanges[0]|{\"id\":\"a\",\"name\":\"A\",\"decision\":"
            + "\"allow\",\"settings\":{\"allowedLocalRanges\":[\"10.1.2.3/8\"]}}",
        "rules[0].settings.fakeLocalIp|{\"id\":\"a\",\"name\":\"A\",\"decision\":\"allow\","
            + "\"settings\":{\"fakeLocalIp\":\"127.0.0.1\"}}",
        "rules[0].timeWindows[0].zone|{\"id\":\"a\",\"name\":\"A\",\"decision\":\"deny\","
            + "\"timeWindows\":[{\"days\":[\"MON\"],\"from\":\"08:00\",\"to\":\"18:00\","
            + "\"zone\":\"Mars/Olympus\"}]}",
        "rules[0].timeWindows[0].days|{\"id\":\"a\",\"name\":\"A\",\"decision\":\"deny\","
            + "\"timeWindows\":[{\"days\":[\"FUNDAY\"],\"from\":\"08:00\",\"to\":\"18:00\","
            + "\"zone\":\"UTC\"}]}",
        "rules[0].timeWindows[0].to|{\"id\":\"a\",\"name\":\"A\",\"decision\":\"deny\","
            + "\"timeWindows\":[{\"days\":[\"MON\"],\"from\":\"08:00\",\"zone\":\"UTC\"}]}",
        "rules[0].decision|{\"id\":\"a\",\"name\":\"A\",\"decision\":\"maybe\"}",
        "rules[0].decision|{\"id\":\"a\",\"name\":\"A\"}",
        "rules[0].id|{\"id\":\"default\",\"name\":\"A\",\"decision\":\"deny\"}",
        "rules[0].id|{\"id\":\"a b\",\"name\":\"A\",\"decision\":\"deny\"}",
        "rules[0].name|{\"id\":\"a\",\"name\":\"  \",\"decision\":\"deny\"}",
        "rules[0].enabled|{\"id\":\"a\",\"name\":\"A\",\"decision\":\"deny\",\"enabled\":null}",
        "rules[0].roles[0]|{\"id\":\"a\",\"name\":\"A\",\"decision\":\"deny\",\"roles\":[7]}",
        "rules[0].groups|{\"id\":\"a\",\"name\":\"A\",\"decision\":\"deny\",\"groups\":\"x\"}",
        "rules[0]|[]",
      })
  void aBadRuleIsRefusedNamingTheField(String field, String rule) {
    String document =
        "{\"version\":1,\"default\":{\"decision\":\"relay\"},\"rules\":[" + rule + "]}";
    assertField(field, () -> EdgePolicyJson.policy(json(document)));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "version|{\"default\":{\"decision\":\"relay\"},\"rules\":[]}",
        "version|{\"version\":-1,\"default\":{\"decision\":\"relay\"},\"rules\":[]}",
        "version|{\"version\":1.5,\"default\":{\"decision\":\"relay\"},\"rules\":[]}",
        "version|{\"version\":\"3\",\"default\":{\"decision\":\"relay\"},\"rules\":[]}",
        "version|{\"version\":99999999999999999999,\"default\":{\"decision\":\"relay\"},"
            + "\"rules\":[]}",
      })
  void aBadVersionIsRefused(String field, String document) {
    assertField(field, () -> EdgePolicyJson.version(json(document)));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "default|{\"version\":1,\"rules\":[]}",
        "rules|{\"version\":1,\"default\":{\"decision\":\"relay\"}}",
        "rules|{\"version\":1,\"default\":{\"decision\":\"relay\"},\"rules\":{}}",
        "default.settings.candidateFilter|{\"version\":1,\"default\":{\"decision\":\"record\","
            + "\"settings\":{\"candidateFilter\":\"mode-2\"}},\"rules\":[]}",
        "default.colour|{\"version\":1,\"default\":{\"decision\":\"relay\",\"colour\":1},"
            + "\"rules\":[]}",
        "owner|{\"version\":1,\"default\":{\"decision\":\"relay\"},\"rules\":[],\"owner\":\"x\"}",
        "rules[1].id|{\"version\":1,\"default\":{\"decision\":\"relay\"},\"rules\":["
            + "{\"id\":\"a\",\"name\":\"A\",\"decision\":\"deny\"},"
            + "{\"id\":\"a\",\"name\":\"B\",\"decision\":\"deny\"}]}",
      })
  void aBadDocumentIsRefusedNamingTheField(String field, String document) {
    assertField(field, () -> EdgePolicyJson.policy(json(document)));
  }

  @Test
  void listsHaveLimits() {
    var rules = Json.createArrayBuilder();
    for (int i = 0; i <= EdgePolicyJson.MAX_RULES; i++) {
      rules.add(
          Json.createObjectBuilder().add("id", "r" + i).add("name", "R").add("decision", "deny"));
    }
    JsonObject tooMany =
        Json.createObjectBuilder()
            .add("version", 1)
            .add("default", Json.createObjectBuilder().add("decision", "relay"))
            .add("rules", rules)
            .build();
    assertField("rules", () -> EdgePolicyJson.policy(tooMany));

    var origins = Json.createArrayBuilder();
    for (int i = 0; i <= EdgePolicyJson.MAX_CONDITIONS; i++) {
      origins.add("https://o" + i + ".example");
    }
    JsonObject rule =
        Json.createObjectBuilder()
            .add("id", "r")
            .add("name", "R")
            .add("decision", "deny")
            .add("origins", origins)
            .build();
    assertField("rules[3].origins", () -> EdgePolicyJson.rule(rule, "rules[3]"));
    assertField(
        "rules[0].groups[0]",
        () ->
            EdgePolicyJson.rule(
                json(
                    "{\"id\":\"r\",\"name\":\"R\",\"decision\":\"deny\",\"groups\":[\""
                        + "g".repeat(EdgePolicyJson.MAX_NAME_LENGTH + 1)
                        + "\"]}"),
                "rules[0]"));
  }

  @Test
  void domainFieldNamesBecomeJsonFieldNames() {
    assertEquals(
        "settings.candidateFilter", EdgePolicyJson.jsonPath("settings.candidateFilterMode"));
    assertEquals("default", EdgePolicyJson.jsonPath("defaultOutcome"));
    assertEquals("rules[2].id", EdgePolicyJson.jsonPath("rules[2].id"));
    assertEquals("decision", EdgePolicyJson.jsonPath("kind"));
  }

  // --- size -------------------------------------------------------------------------------------

  /**
   * A hundred realistic rules, pretty-printed as an administrator's tools would save them, exceed
   * the API's general 64 KiB body limit: why PUT /api/edge/policy has its own.
   */
  @Test
  void aHundredRealisticRulesNeedMoreThanTheGeneralBodyLimitButFitThePolicyLimit() {
    var rules = new java.util.ArrayList<EdgeRule>();
    for (int i = 0; i < 100; i++) {
      rules.add(
          new EdgeRule(
              "rule-" + i,
              "Desk " + i + ": conferencing sites in office hours",
              true,
              Set.of("caller"),
              Set.of("traders", "staff"),
              List.of(
                  OriginPattern.parse("https://*.desk" + i + ".example.com"),
                  OriginPattern.parse("https://meet" + i + ".example.com"),
                  OriginPattern.parse("https://teams.microsoft.com")),
              List.of(
                  new TimeWindow(
                      EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                      LocalTime.of(7, 30),
                      LocalTime.of(19, 0),
                      ZoneId.of("Europe/London"))),
              new EdgeOutcome(EdgeDecisionKind.RELAY, LocalSettings.defaults())));
    }
    JsonObject document =
        EdgePolicyJson.document(new EdgePolicy(rules, EdgeOutcome.shippedDefault()), 12);
    int compact = document.toString().getBytes(StandardCharsets.UTF_8).length;
    int pretty = pretty(document).getBytes(StandardCharsets.UTF_8).length;

    assertTrue(compact < 64 * 1024, "compact: " + compact);
    assertTrue(pretty > 64 * 1024, "pretty: " + pretty);
    assertTrue(pretty < 256 * 1024, "pretty: " + pretty);
  }

  private static String pretty(JsonObject document) {
    StringWriter out = new StringWriter();
    try (var writer =
        Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true)).createWriter(out)) {
      writer.write(document);
    }
    return out.toString();
  }

  // --- plumbing ---------------------------------------------------------------------------------

  private static void assertField(String field, Runnable read) {
    PolicyValidationException e = assertThrows(PolicyValidationException.class, read::run);
    assertEquals(field, e.field(), e.getMessage());
  }

  private static JsonValue json(String text) {
    try (var reader = Json.createReader(new StringReader(text))) {
      return reader.readValue();
    }
  }
}
