package com.vclick.core.edge.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.core.directory.Directory;
import com.vclick.core.directory.DirectoryEntry;
import com.vclick.core.directory.DirectoryUnavailableException;
import com.vclick.core.edge.EdgeDecisionKind;
import com.vclick.core.edge.EdgeOutcome;
import com.vclick.core.edge.EdgePolicy;
import com.vclick.core.edge.EdgeRule;
import com.vclick.core.edge.LocalSettings;
import com.vclick.core.edge.OriginPattern;
import com.vclick.core.edge.store.EdgePolicyStore;
import com.vclick.core.edge.store.VersionedPolicy;
import com.vclick.core.identity.Caller;
import com.vclick.core.turn.MintRateLimitedException;
import com.vclick.core.turn.TurnCredentials;
import com.vclick.core.turn.TurnService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The service around the domain: groups, credentials, recording; with fakes, no container. */
class EdgeDecisionsTest {

  private static final Instant NOW = Instant.parse("2026-11-24T10:15:30.123456Z");
  private static final Caller ALICE =
      new Caller("u-alice", "alice", "Alice", "", "", Set.of("caller", "regulated"));

  /** Traders get no WebRTC on trading sites; everything else is relayed. */
  private static final EdgePolicy POLICY =
      new EdgePolicy(
          List.of(
              new EdgeRule(
                  "traders-deny",
                  "Traders: no trading sites",
                  true,
                  Set.of(),
                  Set.of("traders"),
                  List.of(OriginPattern.parse("https://*.trading.example")),
                  List.of(),
                  new EdgeOutcome(EdgeDecisionKind.DENY, LocalSettings.lockedDown()))),
          EdgeOutcome.shippedDefault());

  private final List<EdgeDecisionRecord> recorded = new ArrayList<>();
  private final List<String> minted = new ArrayList<>();
  private final List<String> rateChecked = new ArrayList<>();
  private boolean overLimit;

  private EdgeDecisions decisions(Directory directory) {
    var decisions = new EdgeDecisions();
    decisions.directory = directory;
    decisions.clock = Clock.fixed(NOW, ZoneOffset.UTC);
    decisions.policies =
        new EdgePolicyStore() {
          @Override
          public VersionedPolicy current() {
            return new VersionedPolicy(POLICY, 4);
          }
        };
    decisions.log =
        new EdgeDecisionLog() {
          @Override
          public void record(EdgeDecisionRecord record) {
            recorded.add(record);
          }
        };
    decisions.turn =
        new TurnService() {
          @Override
          public void checkRate(String userId) {
            rateChecked.add(userId);
            if (overLimit) {
              throw new MintRateLimitedException(Duration.ofSeconds(3));
            }
          }

          @Override
          public TurnCredentials mintForOrigin(String userId, String originTag) {
            String username = "1764000600:" + userId + ":" + originTag;
            minted.add(username);
            return new TurnCredentials(
                username, "hmac", 600, Instant.ofEpochSecond(1_764_000_600L), List.of("turn:x"));
          }
        };
    return decisions;
  }

  private static Directory listing(String... groups) {
    return new Directory() {
      @Override
      public Optional<DirectoryEntry> find(String id) {
        return Optional.of(new DirectoryEntry(id, "alice", "Alice", "", "", Set.of(groups)));
      }
    };
  }

  private static Directory down() {
    return new Directory() {
      @Override
      public Optional<DirectoryEntry> find(String id) {
        throw new DirectoryUnavailableException("Keycloak is down");
      }
    };
  }

  @Test
  void groupsFromTheDirectoryDecideAndTheDecisionIsRecorded() {
    IssuedDecision issued =
        decisions(listing("traders")).decide(ALICE, "https://desk.trading.example");

    assertEquals(EdgeDecisionKind.DENY, issued.decision().kind());
    assertEquals("traders-deny", issued.decision().ruleId());
    assertTrue(issued.turn().isEmpty());
    assertEquals(Instant.parse("2026-11-24T10:15:30.123Z"), issued.decidedAt());
    assertEquals(1, recorded.size());
    EdgeDecisionRecord record = recorded.get(0);
    assertEquals(issued.decisionId(), record.decisionId());
    assertEquals("u-alice", record.userId());
    assertEquals("https://desk.trading.example", record.origin());
    assertEquals(Optional.of("traders-deny"), record.ruleId());
    assertEquals(4, record.policyVersion());
    assertTrue(record.turnUsername().isEmpty());
  }

  @Test
  void anUnavailableDirectoryDecidesWithNoGroupsAndSaysSo() {
    IssuedDecision issued = decisions(down()).decide(ALICE, "https://desk.trading.example");

    assertEquals(EdgeDecisionKind.RELAY, issued.decision().kind(), "the group rule cannot match");
    assertTrue(
        issued.explanation().get(0).startsWith("The directory is unavailable"),
        issued.explanation().toString());
    assertEquals(1, recorded.size());
  }

  @Test
  void aRelayCarriesCredentialsBoundToTheUserAndTheNormalisedOrigin() {
    IssuedDecision issued =
        decisions(listing("staff")).decide(ALICE, "HTTPS://Meet.Example.com:443/");

    assertEquals("https://meet.example.com", issued.decision().origin());
    assertEquals(List.of("1764000600:u-alice:b269ef44cce90c0e"), minted);
    assertEquals("1764000600:u-alice:b269ef44cce90c0e", issued.turn().orElseThrow().username());
    assertEquals(
        Optional.of("1764000600:u-alice:b269ef44cce90c0e"), recorded.get(0).turnUsername());
    assertEquals(Optional.of("default"), recorded.get(0).ruleId());
  }

  @Test
  void aCallerOverTheMintLimitGetsNoDecisionAndNothingIsRecorded() {
    overLimit = true;
    var decisions = decisions(listing("staff"));
    assertThrows(
        MintRateLimitedException.class, () -> decisions.decide(ALICE, "https://meet.example.com"));
    assertEquals(List.of("u-alice"), rateChecked);
    assertTrue(recorded.isEmpty());
    assertTrue(minted.isEmpty());
  }

  @Test
  void aMalformedOriginIsDeniedAndRecordedAsSent() {
    IssuedDecision issued = decisions(listing()).decide(ALICE, "file:///etc/passwd");

    assertEquals(EdgeDecisionKind.DENY, issued.decision().kind());
    assertNull(issued.decision().ruleId());
    assertTrue(minted.isEmpty());
    assertEquals("file:///etc/passwd", recorded.get(0).origin());
    assertTrue(recorded.get(0).ruleId().isEmpty());
    assertEquals("Malformed origin", recorded.get(0).ruleName());
  }
}
