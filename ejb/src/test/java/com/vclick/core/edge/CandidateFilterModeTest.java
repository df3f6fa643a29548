package com.vclick.core.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class CandidateFilterModeTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # mode       | wire        | host  | srflx | prflx | relay | relay policy | TCP only | hides | rewrites hosts | every raddr
          MODE_1       | mode-1      | true  | true  | true  | true  | false        | false    | false | false          | false
          MODE_2       | mode-2      | true  | true  | true  | true  | false        | false    | true  | true           | false
          MODE_3       | mode-3      | false | true  | true  | true  | false        | false    | true  | false          | false
          MODE_4       | mode-4      | false | false | false | true  | true         | true     | true  | false          | true
          RELAY_ONLY   | relay-only  | false | false | false | true  | true         | false    | true  | false          | true
          """)
  void whatEachModeLetsThrough(
      CandidateFilterMode mode,
      String wireName,
      boolean host,
      boolean srflx,
      boolean prflx,
      boolean relay,
      boolean relayPolicy,
      boolean tcpOnly,
      boolean hides,
      boolean rewritesHosts,
      boolean everyRaddr) {
    assertEquals(wireName, mode.wireName());
    assertEquals(host, mode.survives(CandidateType.HOST));
    assertEquals(srflx, mode.survives(CandidateType.SRFLX));
    assertEquals(prflx, mode.survives(CandidateType.PRFLX));
    assertEquals(relay, mode.survives(CandidateType.RELAY));
    assertEquals(relayPolicy, mode.forcesRelayTransport());
    assertEquals(tcpOnly, mode.relayOverTcpOnly());
    assertEquals(hides, mode.hidesAddresses());
    assertEquals(rewritesHosts, mode.rewritesHiddenHostCandidates());
    assertEquals(everyRaddr, mode.hidesEveryRelatedAddress());
  }

  @ParameterizedTest
  @EnumSource(CandidateFilterMode.class)
  void wireNamesReadBack(CandidateFilterMode mode) {
    assertEquals(mode, CandidateFilterMode.fromWireName(mode.wireName()));
    assertEquals(mode, CandidateFilterMode.fromWireName(" " + mode.wireName().toUpperCase() + " "));
    assertThrows(UnsupportedOperationException.class, () -> mode.survivingTypes().clear());
  }

  @Test
  void unknownWireNamesAreRefusedWithTheField() {
    for (String name : Arrays.asList("mode-5", "MODE_1", "relay", "", null)) {
      PolicyValidationException e =
          assertThrows(
              PolicyValidationException.class, () -> CandidateFilterMode.fromWireName(name));
      assertEquals("candidateFilterMode", e.field());
      assertTrue(e.getMessage().contains("mode-1, mode-2, mode-3, mode-4, relay-only"));
    }
  }

  @Test
  void wireNamesAreUniqueAndStable() {
    assertEquals(
        Set.of("mode-1", "mode-2", "mode-3", "mode-4", "relay-only"),
        Set.copyOf(
            Arrays.stream(CandidateFilterMode.values())
                .map(CandidateFilterMode::wireName)
                .toList()));
    assertEquals(
        Set.of("host", "srflx", "prflx", "relay"),
        Set.copyOf(Arrays.stream(CandidateType.values()).map(CandidateType::wireName).toList()));
  }

  @Test
  void decisionKindsHaveWireNamesToo() {
    for (EdgeDecisionKind kind : EdgeDecisionKind.values()) {
      assertEquals(kind, EdgeDecisionKind.fromWireName(kind.wireName().toUpperCase()));
    }
    assertEquals("deny", EdgeDecisionKind.DENY.wireName());
    assertEquals("relay", EdgeDecisionKind.RELAY.wireName());
    assertEquals("allow", EdgeDecisionKind.ALLOW.wireName());
    assertEquals("record", EdgeDecisionKind.RECORD.wireName());
    assertTrue(EdgeDecisionKind.RELAY.requiresRelay());
    assertTrue(EdgeDecisionKind.RECORD.requiresRelay());
    assertFalse(EdgeDecisionKind.ALLOW.requiresRelay());
    assertFalse(EdgeDecisionKind.DENY.requiresRelay());
    PolicyValidationException e =
        assertThrows(PolicyValidationException.class, () -> EdgeDecisionKind.fromWireName("block"));
    assertEquals("kind", e.field());
    assertEquals("The decision must be one of deny, relay, allow, record.", e.getMessage());
  }
}
