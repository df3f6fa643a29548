package com.vclick.core.edge.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeerAddressRangesTest {

  private final PeerAddressRanges production = PeerAddressRanges.deniedExcept(List.of());

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.1.2.3",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "127.0.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "192.0.2.1",
        "255.255.255.255",
        "::1",
        "fe80::1",
        "fd00::1",
        "fc00::5",
        "::ffff:10.0.0.1",
        "64:ff9b::10.0.0.1",
        "2001:db8::1",
        "2002:a00:1::1"
      })
  void internalAndSpecialPurposeAddressesAreDenied(String address) throws Exception {
    assertFalse(production.permits(InetAddress.getByName(address)), address);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"8.8.4.4", "1.1.1.1", "172.32.0.1", "2a00:1450:4001::1", "::ffff:8.8.8.8"})
  void publicAddressesArePermitted(String address) throws Exception {
    assertTrue(production.permits(InetAddress.getByName(address)), address);
  }

  @Test
  void anAllowedExceptionWinsOverTheDeniedList() throws Exception {
    var lab =
        PeerAddressRanges.deniedExcept(List.of("10.66.2.0-10.66.2.255", "192.0.2.1", "fd00::/64"));
    assertTrue(lab.permits(InetAddress.getByName("10.66.2.2")));
    assertFalse(lab.permits(InetAddress.getByName("10.66.1.2")));
    assertTrue(lab.permits(InetAddress.getByName("192.0.2.1")));
    assertFalse(lab.permits(InetAddress.getByName("192.0.2.2")));
    assertTrue(lab.permits(InetAddress.getByName("fd00::abcd")));
    assertFalse(lab.permits(InetAddress.getByName("fd00:0:0:1::1")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"intranet.example", "10.0.0.0/33", "10.0.0.1-::1", "abc", "10.0.0", "x/8"})
  void allowedEntriesMustBeLiteralRanges(String entry) {
    assertThrows(
        IllegalArgumentException.class, () -> PeerAddressRanges.deniedExcept(List.of(entry)));
  }

  @Test
  void theDeniedListIsTheRelaysList() throws Exception {
    String coturn = Files.readString(Path.of("..", "scripts", "coturn.sh"));
    Matcher block =
        Pattern.compile("local -a denied=\\(\\n(.*?)\\n\\s*\\)", Pattern.DOTALL).matcher(coturn);
    assertTrue(block.find(), "scripts/coturn.sh has its denied list");
    List<String> relay = List.of(block.group(1).trim().split("\\s+"));
    assertEquals(relay, PeerAddressRanges.DENIED, "one list for the relay and the media server");
  }
}
