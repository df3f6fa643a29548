package com.vclick.core.edge.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CandidateGrammarTest {

  @Test
  void chromiumsCandidatesParse() throws Exception {
    Candidate host =
        CandidateGrammar.parse(
            "candidate:842163049 1 udp 1677729535 198.51.100.7 61710 typ srflx raddr 10.0.0.2"
                + " rport 61710 generation 0 ufrag J1bs network-id 1 network-cost 10");
    assertEquals(new Candidate("UDP", "198.51.100.7", 61710, "srflx"), host);
    Candidate tcp =
        CandidateGrammar.parse(
            "candidate:1 1 tcp 1518280447 2001:db8::5 9 typ host tcptype active generation 0");
    assertEquals("TCP", tcp.transport());
    assertTrue(tcp.ipLiteral().isPresent());
    Candidate mdns =
        CandidateGrammar.parse(
            "candidate:2 1 udp 2113937151 3f1a2b3c-1111-2222-3333-444455556666.local 51234 typ host");
    assertTrue(mdns.ipLiteral().isEmpty(), "a name is no address (never looked up)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a=candidate:1 1 udp 1 1.2.3.4 5 typ host",
        "candidate:1 1 udp 1 1.2.3.4 5 host",
        "candidate:1 1 udp 1 1.2.3.4 5 typ",
        "candidate:1 0 udp 1 1.2.3.4 5 typ host",
        "candidate:1 999 udp 1 1.2.3.4 5 typ host",
        "candidate:1 1 udp 99999999999 1.2.3.4 5 typ host",
        "candidate:1 1 udp 4294967296 1.2.3.4 5 typ host",
        "candidate:1 1 udp 1 1.2.3.4 65536 typ host",
        "candidate:1 1 udp 1 1.2.3.4;id 5 typ host",
        "candidate:1 1 udp 1 -bad-.example 5 typ host",
        "candidate:1 1 udp 1 1.2.3.4 5 typ host raddr",
        "candidate:1 1 udp 1 1.2.3.4 5 typ host generation",
        "candidate:1 1 udp 1 1.2.3.4 5 typ host rport 70000",
        "candidate:1  1 udp 1 1.2.3.4 5 typ host",
        "candidate:1 1 udp 1 1.2.3.4 5 typ host\u0000",
        "candidate:1 1 udp 1 1.2.3.4 5 typ host\r\na=candidate:2 1 udp 1 10.0.0.1 5 typ host",
        "candidate:123456789012345678901234567890123 1 udp 1 1.2.3.4 5 typ host",
      })
  void malformedCandidatesAreRefused(String text) {
    var e =
        assertThrows(InvalidSessionDescriptionException.class, () -> CandidateGrammar.parse(text));
    assertTrue(e.getMessage().startsWith("candidate "), e.getMessage());
    assertTrue(e.getMessage().contains("RFC 8839"), e.getMessage());
  }

  @Test
  void overlongCandidatesAreRefused() {
    String text = "candidate:1 1 udp 1 1.2.3.4 5 typ host" + " x y".repeat(400);
    var e =
        assertThrows(InvalidSessionDescriptionException.class, () -> CandidateGrammar.parse(text));
    assertTrue(e.getMessage().contains("longer than"), e.getMessage());
  }
}
