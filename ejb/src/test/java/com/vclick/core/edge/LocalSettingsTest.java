package com.vclick.core.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class LocalSettingsTest {

  static LocalSettings withFakeIp(String fakeIp) {
    return new LocalSettings(
        CandidateFilterMode.MODE_3, fakeIp, List.of(), false, false, false, false);
  }

  @Test
  void defaultsHideEverythingButBlockNothing() {
    LocalSettings defaults = LocalSettings.defaults();
    assertEquals(CandidateFilterMode.RELAY_ONLY, defaults.candidateFilterMode());
    assertEquals("192.0.2.1", defaults.fakeLocalIp());
    assertEquals(List.of(), defaults.allowedLocalRanges());
    assertFalse(defaults.blockCamera());
    assertFalse(defaults.blockMicrophone());
    assertFalse(defaults.blockScreenCapture());
    assertFalse(defaults.blockDataChannels());
    assertEquals("candidate filter relay-only", defaults.describe());
    // the default fake address is neither private nor anyone's real address
    assertFalse(AddressRange.isNonPublic(LocalSettings.DEFAULT_FAKE_LOCAL_IP));
    assertTrue(AddressRange.parse("192.0.2.0/24").contains(LocalSettings.DEFAULT_FAKE_LOCAL_IP));
  }

  @Test
  void lockedDownBlocksEverything() {
    LocalSettings locked = LocalSettings.lockedDown();
    assertEquals(CandidateFilterMode.RELAY_ONLY, locked.candidateFilterMode());
    assertTrue(locked.blockCamera());
    assertTrue(locked.blockMicrophone());
    assertTrue(locked.blockScreenCapture());
    assertTrue(locked.blockDataChannels());
    assertEquals(
        "candidate filter relay-only; blocked: camera, microphone, screen capture, data channels",
        locked.describe());
  }

  @Test
  void aMissingFakeIpIsTheDefault() {
    assertEquals("192.0.2.1", withFakeIp(null).fakeLocalIp());
    assertEquals("192.0.2.1", withFakeIp("  ").fakeLocalIp());
    assertEquals("10.255.255.254", withFakeIp(" 10.255.255.254 ").fakeLocalIp());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "300.1.1.1",
        "10.0.0",
        "010.0.0.1",
        "::1",
        "fd00::1",
        "example.com",
        "localhost",
        "10.0.0.0/8",
        "0.0.0.0",
        "0.1.2.3",
        "127.0.0.1",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255"
      })
  void unusableFakeIpsAreRefused(String fakeIp) {
    PolicyValidationException e =
        assertThrows(PolicyValidationException.class, () -> withFakeIp(fakeIp));
    assertEquals("fakeLocalIp", e.field());
  }

  @Test
  void aModeIsRequired() {
    PolicyValidationException e =
        assertThrows(
            PolicyValidationException.class,
            () -> new LocalSettings(null, null, null, false, false, false, false));
    assertEquals("candidateFilterMode", e.field());
  }

  @Test
  void allowedRangesAreACheckedCopy() {
    List<AddressRange> ranges = new ArrayList<>(List.of(AddressRange.parse("10.20.0.0/16")));
    LocalSettings settings =
        new LocalSettings(CandidateFilterMode.MODE_2, null, ranges, false, false, false, false);
    ranges.add(AddressRange.parse("0.0.0.0/0"));
    assertEquals(List.of(AddressRange.parse("10.20.0.0/16")), settings.allowedLocalRanges());
    assertTrue(settings.isAllowedLocalAddress("10.20.3.4"));
    assertFalse(settings.isAllowedLocalAddress("10.21.3.4"));
    assertFalse(settings.isAllowedLocalAddress("desk-42.local"));

    assertEquals(
        List.of(),
        new LocalSettings(CandidateFilterMode.MODE_2, null, null, false, false, false, false)
            .allowedLocalRanges());

    PolicyValidationException missing =
        assertThrows(
            PolicyValidationException.class,
            () ->
                new LocalSettings(
                    CandidateFilterMode.MODE_2,
                    null,
                    Arrays.asList(AddressRange.parse("10.0.0.0/8"), null),
                    false,
                    false,
                    false,
                    false));
    assertEquals("allowedLocalRanges[1]", missing.field());

    List<AddressRange> tooMany =
        Collections.nCopies(LocalSettings.MAX_ALLOWED_RANGES + 1, AddressRange.parse("10.0.0.0/8"));
    assertEquals(
        "allowedLocalRanges",
        assertThrows(
                PolicyValidationException.class,
                () ->
                    new LocalSettings(
                        CandidateFilterMode.MODE_2, null, tooMany, false, false, false, false))
            .field());
  }

  @Test
  void describesWhatIsBlocked() {
    LocalSettings settings =
        new LocalSettings(CandidateFilterMode.MODE_3, null, null, true, false, false, true);
    assertEquals("candidate filter mode-3; blocked: camera, data channels", settings.describe());
    assertEquals(
        CandidateFilterMode.MODE_4,
        settings.withCandidateFilterMode(CandidateFilterMode.MODE_4).candidateFilterMode());
    assertTrue(settings.withCandidateFilterMode(CandidateFilterMode.MODE_4).blockCamera());
  }

  @ParameterizedTest
  @EnumSource(
      value = CandidateFilterMode.class,
      names = {"MODE_4", "RELAY_ONLY"})
  void relayAndRecordOutcomesNeedARelayMode(CandidateFilterMode mode) {
    LocalSettings settings = LocalSettings.defaults().withCandidateFilterMode(mode);
    new EdgeOutcome(EdgeDecisionKind.RELAY, settings);
    new EdgeOutcome(EdgeDecisionKind.RECORD, settings);
  }

  @ParameterizedTest
  @EnumSource(
      value = CandidateFilterMode.class,
      names = {"MODE_1", "MODE_2", "MODE_3"})
  void relayAndRecordOutcomesRefuseModesThatBypassTheRelay(CandidateFilterMode mode) {
    LocalSettings settings = LocalSettings.defaults().withCandidateFilterMode(mode);
    for (EdgeDecisionKind kind : List.of(EdgeDecisionKind.RELAY, EdgeDecisionKind.RECORD)) {
      PolicyValidationException e =
          assertThrows(PolicyValidationException.class, () -> new EdgeOutcome(kind, settings));
      assertEquals("settings.candidateFilterMode", e.field());
      assertTrue(e.getMessage().contains("relay-only or mode-4"), e.getMessage());
    }
    // allow and deny take any mode
    new EdgeOutcome(EdgeDecisionKind.ALLOW, settings);
    new EdgeOutcome(EdgeDecisionKind.DENY, settings);
  }

  @Test
  void anOutcomeNeedsKindAndSettings() {
    assertEquals(
        "kind",
        assertThrows(
                PolicyValidationException.class,
                () -> new EdgeOutcome(null, LocalSettings.defaults()))
            .field());
    assertEquals(
        "settings",
        assertThrows(
                PolicyValidationException.class,
                () -> new EdgeOutcome(EdgeDecisionKind.ALLOW, null))
            .field());
    assertEquals(
        "relay through the enterprise TURN server, candidate filter relay-only",
        EdgeOutcome.shippedDefault().describe());
  }

  @Test
  void validationErrorsCanBePlacedInTheirParent() {
    PolicyValidationException e = new PolicyValidationException("origins[0]", "Bad.");
    assertEquals("rules[2].origins[0]", e.in("rules[2]").field());
    assertEquals("Bad.", e.in("rules[2]").getMessage());
    assertEquals("rules[2]", new PolicyValidationException("", "Bad.").in("rules[2]").field());
    assertTrue(e instanceof IllegalArgumentException);
  }
}
