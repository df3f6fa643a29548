package com.vclick.core.edge.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.media.api.IceCandidate;
import com.vclick.media.api.Leg;
import java.util.List;
import org.junit.jupiter.api.Test;

class MediaServerInputGuardTest {

  private final MediaServerInputGuard guard =
      new MediaServerInputGuard(PeerAddressRanges.deniedExcept(List.of()));

  private static List<String> candidateLines(String sdp) {
    return sdp.lines().filter(l -> l.startsWith("a=candidate:")).toList();
  }

  @Test
  void theFarEndsDescriptionKeepsOnlyCandidatesOnPublicAddresses() throws Exception {
    String offer = SessionDescriptionGrammarTest.resource("firefox-offer-with-candidates.sdp");
    assertEquals(6, candidateLines(offer).size());

    String passed = guard.description(Leg.FAR_END, offer);

    assertEquals(
        List.of(
            "a=candidate:5 1 UDP 92217087 8.8.4.4 60000 typ relay raddr 203.0.113.9 rport 49203"),
        candidateLines(passed),
        "private, documentation-range and mDNS candidates are left out");
    assertTrue(passed.endsWith("\r\n") && !passed.replace("\r\n", "").contains("\n"), "CRLF");
    assertEquals(
        offer.lines().count() - 5, passed.lines().count(), "nothing else is changed or dropped");
  }

  @Test
  void theEnterpriseLegsDescriptionKeepsEveryCandidate() throws Exception {
    String offer = SessionDescriptionGrammarTest.resource("firefox-offer-with-candidates.sdp");
    assertEquals(6, candidateLines(guard.description(Leg.ENTERPRISE, offer)).size());
  }

  @Test
  void trickledFarEndCandidatesIntoInternalRangesOrNamesAreLeftOut() throws Exception {
    for (String address :
        List.of("10.0.0.5", "127.0.0.1", "169.254.169.254", "fd00::1", "db.corp")) {
      var candidate = new IceCandidate("candidate:1 1 udp 1 " + address + " 5432 typ host", "0", 0);
      assertTrue(guard.candidate(Leg.FAR_END, candidate).isEmpty(), address);
      assertTrue(guard.candidate(Leg.ENTERPRISE, candidate).isPresent(), address);
    }
    var fine =
        new IceCandidate(
            "candidate:1 1 udp 1 8.8.4.4 5432 typ srflx raddr 0.0.0.0 rport 0", "0", 0);
    assertEquals(fine, guard.candidate(Leg.FAR_END, fine).orElseThrow());
    var end = new IceCandidate("", "0", 0);
    assertEquals(end, guard.candidate(Leg.FAR_END, end).orElseThrow());
  }

  @Test
  void anExceptionLetsALabsFarEndThrough() throws Exception {
    var lab = new MediaServerInputGuard(PeerAddressRanges.deniedExcept(List.of("10.66.2.0/24")));
    var candidate = new IceCandidate("candidate:1 1 udp 1 10.66.2.2 5000 typ host", "0", 0);
    assertTrue(lab.candidate(Leg.FAR_END, candidate).isPresent());
  }

  @Test
  void malformedInputIsRefusedForEitherLeg() {
    for (Leg leg : Leg.values()) {
      assertThrows(
          InvalidSessionDescriptionException.class,
          () ->
              guard.candidate(leg, new IceCandidate("candidate:1 1 udp 1 8.8.4.4 5 typ", "0", 0)));
      assertThrows(
          InvalidSessionDescriptionException.class,
          () -> guard.description(leg, "v=0\r\nm=audio 9 RTP/AVP 0\r\n"));
    }
    assertFalse(
        assertThrows(
                InvalidSessionDescriptionException.class,
                () ->
                    guard.description(
                        Leg.FAR_END,
                        SessionDescriptionGrammarTest.MINIMAL
                            + "a=candidate:x 1 udp 1 10.0.0.9 5 typ\r\n"))
            .getMessage()
            .contains("10.0.0.9"));
  }
}
