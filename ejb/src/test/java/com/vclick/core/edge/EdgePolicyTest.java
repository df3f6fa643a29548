package com.vclick.core.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.core.identity.Caller;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EdgePolicyTest {

  static final Instant MONDAY_10_LONDON = Instant.parse("2026-03-02T10:00:00Z");
  static final Instant SATURDAY_10_LONDON = Instant.parse("2026-03-07T10:00:00Z");

  static final EdgeSubject ALICE =
      new EdgeSubject("u-alice", "alice", Set.of("caller", "regulated"), Set.of("/traders"));
  static final EdgeSubject BOB = new EdgeSubject("u-bob", "bob", Set.of("caller"), Set.of());
  static final EdgeSubject DAVE =
      new EdgeSubject("u-dave", "dave", Set.of("caller", "contractor"), Set.of("/contractors"));
  static final EdgeSubject FRANK =
      new EdgeSubject("u-frank", "frank", Set.of("caller", "edge-admin"), Set.of("/it-security"));
  static final EdgeSubject EVE = new EdgeSubject("u-eve", "eve", Set.of(), Set.of());

  static final LocalSettings RELAY_NO_SCREEN =
      new LocalSettings(CandidateFilterMode.RELAY_ONLY, null, null, false, false, true, false);
  static final LocalSettings INTRANET_DIRECT =
      new LocalSettings(
          CandidateFilterMode.MODE_2,
          "10.255.255.254",
          List.of(AddressRange.parse("10.20.0.0/16")),
          false,
          false,
          false,
          false);

  static List<OriginPattern> origins(String... patterns) {
    return Arrays.stream(patterns).map(OriginPattern::parse).toList();
  }

  /** A bank's policy, as an administrator would write it. */
  static final EdgePolicy BANK =
      new EdgePolicy(
          List.of(
              new EdgeRule(
                  "no-contractors",
                  "Contractors: no WebRTC",
                  true,
                  Set.of("contractor"),
                  Set.of(),
                  List.of(),
                  List.of(),
                  new EdgeOutcome(EdgeDecisionKind.DENY, LocalSettings.lockedDown())),
              new EdgeRule(
                  "record-regulated",
                  "Regulated users are recorded on Teams",
                  true,
                  Set.of("regulated"),
                  Set.of(),
                  origins("https://teams.microsoft.com", "https://*.teams.microsoft.com"),
                  List.of(),
                  new EdgeOutcome(EdgeDecisionKind.RECORD, LocalSettings.defaults())),
              new EdgeRule(
                  "meet-office-hours",
                  "Meet in office hours",
                  true,
                  Set.of(),
                  Set.of(),
                  origins("https://meet.example.com"),
                  List.of(
                      new TimeWindow(
                          EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                          LocalTime.of(8, 0),
                          LocalTime.of(18, 0),
                          ZoneId.of("Europe/London"))),
                  new EdgeOutcome(EdgeDecisionKind.RELAY, RELAY_NO_SCREEN)),
              new EdgeRule(
                  "intranet-direct",
                  "IT security on the intranet",
                  true,
                  Set.of(),
                  Set.of("/it-security"),
                  origins("https://*.intranet.acme-bank.example"),
                  List.of(),
                  new EdgeOutcome(EdgeDecisionKind.ALLOW, INTRANET_DIRECT)),
              new EdgeRule(
                  "allow-all",
                  "Allow everything (switched off)",
                  false,
                  Set.of(),
                  Set.of(),
                  List.of(),
                  List.of(),
                  new EdgeOutcome(
                      EdgeDecisionKind.ALLOW,
                      LocalSettings.defaults()
                          .withCandidateFilterMode(CandidateFilterMode.MODE_1)))),
          EdgeOutcome.shippedDefault());

  @Test
  void theFirstMatchingRuleDecidesAndTheExplanationSaysWhy() {
    EdgeDecision decision = BANK.decide(ALICE, "https://teams.microsoft.com", MONDAY_10_LONDON);
    assertEquals(EdgeDecisionKind.RECORD, decision.kind());
    assertEquals(LocalSettings.defaults(), decision.settings());
    assertEquals(EdgeDecision.Basis.RULE, decision.basis());
    assertEquals("record-regulated", decision.ruleId());
    assertEquals("Regulated users are recorded on Teams", decision.ruleName());
    assertEquals("https://teams.microsoft.com", decision.origin());
    assertTrue(decision.allowsWebRtc());
    assertEquals(
        List.of(
            "Deciding for alice on https://teams.microsoft.com at 2026-03-02T10:00:00Z.",
            "Rule 1 \"Contractors: no WebRTC\" skipped: role not matched (needs any of:"
                + " contractor; the user has: caller, regulated).",
            "Rule 2 \"Regulated users are recorded on Teams\" matched: record (relay through the"
                + " enterprise TURN server and record), candidate filter relay-only.",
            "3 later rules were not evaluated."),
        decision.explanation());
  }

  @Test
  void aDenyRuleComesFirstForContractorsEverywhere() {
    for (String origin :
        List.of("https://teams.microsoft.com", "https://meet.example.com", "http://[::1]:8080")) {
      EdgeDecision decision = BANK.decide(DAVE, origin, MONDAY_10_LONDON);
      assertEquals(EdgeDecisionKind.DENY, decision.kind(), origin);
      assertEquals("no-contractors", decision.ruleId());
      assertFalse(decision.allowsWebRtc());
      assertEquals(LocalSettings.lockedDown(), decision.settings());
      assertEquals(
          "Rule 1 \"Contractors: no WebRTC\" matched: deny (no WebRTC on this origin), candidate"
              + " filter relay-only; blocked: camera, microphone, screen capture, data channels.",
          decision.explanation().get(1));
    }
  }

  @Test
  void theTimeWindowChangesTheDecision() {
    EdgeDecision inside = BANK.decide(BOB, "https://meet.example.com", MONDAY_10_LONDON);
    assertEquals("meet-office-hours", inside.ruleId());
    assertEquals(RELAY_NO_SCREEN, inside.settings());

    EdgeDecision lastSecond =
        BANK.decide(BOB, "https://meet.example.com", Instant.parse("2026-03-02T17:59:59Z"));
    assertEquals("meet-office-hours", lastSecond.ruleId());

    EdgeDecision after =
        BANK.decide(BOB, "https://meet.example.com", Instant.parse("2026-03-02T18:00:00Z"));
    assertEquals(EdgeDecision.Basis.DEFAULT, after.basis());
    assertEquals(EdgeDecision.DEFAULT_RULE_ID, after.ruleId());

    EdgeDecision weekend = BANK.decide(BOB, "https://meet.example.com", SATURDAY_10_LONDON);
    assertEquals(EdgeDecision.Basis.DEFAULT, weekend.basis());
    assertTrue(
        weekend
            .explanation()
            .contains(
                "Rule 3 \"Meet in office hours\" skipped: outside its time windows (Mon–Fri"
                    + " 08:00–18:00 Europe/London)."),
        weekend.explanation().toString());
  }

  @Test
  void noMatchingRuleGivesTheDefaultAndEveryRuleIsExplained() {
    EdgeDecision decision = BANK.decide(FRANK, "https://www.example.org", MONDAY_10_LONDON);
    assertEquals(EdgeDecisionKind.RELAY, decision.kind());
    assertEquals(LocalSettings.defaults(), decision.settings());
    assertEquals(EdgeDecision.Basis.DEFAULT, decision.basis());
    assertEquals("default", decision.ruleId());
    assertEquals("Default", decision.ruleName());
    assertEquals(
        List.of(
            "Deciding for frank on https://www.example.org at 2026-03-02T10:00:00Z.",
            "Rule 1 \"Contractors: no WebRTC\" skipped: role not matched (needs any of:"
                + " contractor; the user has: caller, edge-admin).",
            "Rule 2 \"Regulated users are recorded on Teams\" skipped: role not matched (needs"
                + " any of: regulated; the user has: caller, edge-admin); origin not matched"
                + " (needs any of: https://teams.microsoft.com, https://*.teams.microsoft.com).",
            "Rule 3 \"Meet in office hours\" skipped: origin not matched (needs any of:"
                + " https://meet.example.com).",
            "Rule 4 \"IT security on the intranet\" skipped: origin not matched (needs any of:"
                + " https://*.intranet.acme-bank.example).",
            "Rule 5 \"Allow everything (switched off)\" skipped: it is disabled.",
            "No rule matched; the default applies: relay through the enterprise TURN server,"
                + " candidate filter relay-only."),
        decision.explanation());
  }

  @Test
  void groupsSelectARuleAndTheOriginIsNormalisedFirst() {
    EdgeDecision decision =
        BANK.decide(FRANK, "HTTPS://Wiki.Intranet.Acme-Bank.example:443/", MONDAY_10_LONDON);
    assertEquals(EdgeDecisionKind.ALLOW, decision.kind());
    assertEquals("intranet-direct", decision.ruleId());
    assertEquals(INTRANET_DIRECT, decision.settings());
    assertEquals("https://wiki.intranet.acme-bank.example", decision.origin());
    assertEquals("1 later rule was not evaluated.", decision.explanation().get(5));

    // same page, not in the group
    assertEquals(
        EdgeDecision.Basis.DEFAULT,
        BANK.decide(BOB, "https://wiki.intranet.acme-bank.example", MONDAY_10_LONDON).basis());
    // the intranet's apex is not one of its subdomains
    assertEquals(
        EdgeDecision.Basis.DEFAULT,
        BANK.decide(FRANK, "https://intranet.acme-bank.example", MONDAY_10_LONDON).basis());
  }

  @Test
  void ruleOrderDecidesBetweenRulesThatBothMatch() {
    EdgeRule deny =
        new EdgeRule(
            "deny-meet",
            "Deny meet",
            true,
            Set.of(),
            Set.of(),
            origins("https://meet.example.com"),
            List.of(),
            new EdgeOutcome(EdgeDecisionKind.DENY, LocalSettings.defaults()));
    EdgeRule allow =
        new EdgeRule(
            "allow-callers",
            "Allow callers",
            true,
            Set.of("caller"),
            Set.of(),
            List.of(),
            List.of(),
            new EdgeOutcome(EdgeDecisionKind.ALLOW, LocalSettings.defaults()));
    EdgeOutcome fallback = EdgeOutcome.shippedDefault();

    assertEquals(
        "deny-meet",
        new EdgePolicy(List.of(deny, allow), fallback)
            .decide(BOB, "https://meet.example.com", MONDAY_10_LONDON)
            .ruleId());
    assertEquals(
        "allow-callers",
        new EdgePolicy(List.of(allow, deny), fallback)
            .decide(BOB, "https://meet.example.com", MONDAY_10_LONDON)
            .ruleId());
  }

  @Test
  void aDisabledRuleIsSkippedEvenWhenItWouldMatch() {
    EdgeRule disabledDeny =
        new EdgeRule(
            "off",
            "Deny all (off)",
            false,
            Set.of(),
            Set.of(),
            List.of(),
            List.of(),
            new EdgeOutcome(EdgeDecisionKind.DENY, LocalSettings.defaults()));
    EdgePolicy policy = new EdgePolicy(List.of(disabledDeny), EdgeOutcome.shippedDefault());
    EdgeDecision decision = policy.decide(BOB, "https://a.com", MONDAY_10_LONDON);
    assertEquals(EdgeDecisionKind.RELAY, decision.kind());
    assertEquals(
        "Rule 1 \"Deny all (off)\" skipped: it is disabled.", decision.explanation().get(1));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "null",
        "",
        " ",
        "data:text/html,<h1>hi</h1>",
        "file:///C:/Users/alice/leak.html",
        "chrome-extension://jafpjpcekaheefipgmmjkbjeohlphimo",
        "about:blank",
        "javascript:alert(1)",
        "https://a@b.com",
        "https://meet.example.com/call?id=1",
        "https://*.example.com",
        "https://meet.example.com.",
        "ftp://meet.example.com"
      })
  void aMalformedOriginIsDeniedWithEverythingBlocked(String origin) {
    // even a policy whose only rule allows every origin
    EdgePolicy allowAll =
        new EdgePolicy(
            List.of(
                new EdgeRule(
                    "all",
                    "All",
                    true,
                    null,
                    null,
                    List.of(OriginPattern.ANY),
                    null,
                    new EdgeOutcome(
                        EdgeDecisionKind.ALLOW,
                        LocalSettings.defaults()
                            .withCandidateFilterMode(CandidateFilterMode.MODE_1)))),
            new EdgeOutcome(
                EdgeDecisionKind.ALLOW,
                LocalSettings.defaults().withCandidateFilterMode(CandidateFilterMode.MODE_1)));
    EdgeDecision decision = allowAll.decide(ALICE, origin, MONDAY_10_LONDON);
    assertDeniedAsMalformed(decision);
  }

  @Test
  void aMissingOriginIsDeniedToo() {
    assertDeniedAsMalformed(EdgePolicy.shipped().decide(ALICE, (String) null, MONDAY_10_LONDON));
  }

  private static void assertDeniedAsMalformed(EdgeDecision decision) {
    assertEquals(EdgeDecisionKind.DENY, decision.kind());
    assertEquals(EdgeDecision.Basis.MALFORMED_ORIGIN, decision.basis());
    assertEquals(LocalSettings.lockedDown(), decision.settings());
    assertNull(decision.ruleId());
    assertNull(decision.origin());
    assertEquals("Malformed origin", decision.ruleName());
    assertEquals(2, decision.explanation().size());
    assertTrue(
        decision.explanation().get(0).contains("not a valid origin")
            || decision.explanation().get(0).contains("origin is required"),
        decision.explanation().get(0));
    assertEquals(
        "WebRTC is denied on a page whose origin cannot be checked (fail closed).",
        decision.explanation().get(1));
  }

  @Test
  void theShippedPolicyRelaysEverything() {
    EdgePolicy shipped = EdgePolicy.shipped();
    assertEquals(List.of(), shipped.rules());
    EdgeDecision decision = shipped.decide(EVE, "https://example.com", MONDAY_10_LONDON);
    assertEquals(EdgeDecisionKind.RELAY, decision.kind());
    assertEquals(CandidateFilterMode.RELAY_ONLY, decision.settings().candidateFilterMode());
    assertEquals(EdgeDecision.Basis.DEFAULT, decision.basis());
    assertEquals(
        List.of(
            "Deciding for eve on https://example.com at 2026-03-02T10:00:00Z.",
            "The policy has no rules; the default applies: relay through the enterprise TURN"
                + " server, candidate filter relay-only."),
        decision.explanation());
  }

  @Test
  void aDenyDefaultKeepsItsOwnSettings() {
    LocalSettings cameraOnly =
        new LocalSettings(CandidateFilterMode.MODE_3, null, null, false, true, true, true);
    EdgePolicy denyByDefault =
        new EdgePolicy(List.of(), new EdgeOutcome(EdgeDecisionKind.DENY, cameraOnly));
    EdgeDecision decision = denyByDefault.decide(BOB, "https://a.com", MONDAY_10_LONDON);
    assertEquals(EdgeDecisionKind.DENY, decision.kind());
    assertEquals(cameraOnly, decision.settings());
    assertEquals(EdgeDecision.Basis.DEFAULT, decision.basis());
  }

  @Test
  void policyValidation() {
    EdgeRule one =
        new EdgeRule("same", "One", true, null, null, null, null, EdgeOutcome.shippedDefault());
    EdgeRule two =
        new EdgeRule("same", "Two", true, null, null, null, null, EdgeOutcome.shippedDefault());
    PolicyValidationException duplicate =
        assertThrows(
            PolicyValidationException.class,
            () -> new EdgePolicy(List.of(one, two), EdgeOutcome.shippedDefault()));
    assertEquals("rules[1].id", duplicate.field());
    assertEquals("The rule id \"same\" is already used by rule 1.", duplicate.getMessage());

    assertEquals(
        "rules[1]",
        assertThrows(
                PolicyValidationException.class,
                () -> new EdgePolicy(Arrays.asList(one, null), EdgeOutcome.shippedDefault()))
            .field());
    assertEquals(
        "defaultOutcome",
        assertThrows(PolicyValidationException.class, () -> new EdgePolicy(List.of(one), null))
            .field());
    assertEquals(List.of(), new EdgePolicy(null, EdgeOutcome.shippedDefault()).rules());
    assertEquals(
        Optional.of(one), new EdgePolicy(List.of(one), EdgeOutcome.shippedDefault()).rule("same"));
    assertEquals(Optional.empty(), BANK.rule("nope"));
    assertThrows(UnsupportedOperationException.class, () -> BANK.rules().clear());
  }

  @Test
  void theSubjectComesFromTheAuthenticatedCaller() {
    Caller caller =
        new Caller(
            "u-alice", "alice", "Alice Smith", "alice@acme-bank.example", "", Set.of("regulated"));
    EdgeSubject subject = EdgeSubject.of(caller, Set.of("/traders"));
    assertEquals("u-alice", subject.userId());
    assertEquals("alice", subject.username());
    assertEquals(Set.of("regulated"), subject.realmRoles());
    assertEquals(Set.of("/traders"), subject.groups());
    assertEquals(
        "record-regulated",
        BANK.decide(subject, "https://x.teams.microsoft.com", SATURDAY_10_LONDON).ruleId());

    EdgeSubject bare = new EdgeSubject("u-1", " ", null, null);
    assertEquals("u-1", bare.username());
    assertEquals(Set.of(), bare.realmRoles());
    assertEquals(Set.of(), bare.groups());
    assertThrows(IllegalArgumentException.class, () -> new EdgeSubject(" ", "x", null, null));
    assertThrows(NullPointerException.class, () -> new EdgeSubject(null, "x", null, null));
  }

  @Test
  void aDecisionIsConsistentAboutItsBasis() {
    LocalSettings settings = LocalSettings.defaults();
    List<String> why = List.of("why");
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new EdgeDecision(
                EdgeDecisionKind.DENY,
                settings,
                EdgeDecision.Basis.MALFORMED_ORIGIN,
                "r",
                "x",
                null,
                why));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new EdgeDecision(
                EdgeDecisionKind.RELAY, settings, EdgeDecision.Basis.RULE, null, "x", "o", why));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new EdgeDecision(
                EdgeDecisionKind.RELAY, settings, EdgeDecision.Basis.RULE, "r", "x", null, why));
  }
}
