package com.vclick.media.kurento;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.vclick.media.api.IceCandidate;
import java.util.List;
import org.junit.jupiter.api.Test;

class MidMapTest {

  private static final String KMS_OFFER =
      String.join(
          "\r\n",
          "v=0",
          "a=group:BUNDLE audio0 video0",
          "m=audio 9 UDP/TLS/RTP/SAVPF 111",
          "a=mid:audio0",
          "m=video 9 UDP/TLS/RTP/SAVPF 96",
          "a=mid:video0",
          "");

  private static List<SdpSummary.Section> peer(String... kindAndMid) {
    return java.util.Arrays.stream(kindAndMid)
        .map(s -> new SdpSummary.Section(s.split(":")[0], true, s.split(":")[1]))
        .toList();
  }

  @Test
  void kmsSectionsTakeThePeersIdsAndTheAnswerGetsKmsOnesBack() {
    MidMap map = MidMap.between(SdpSummary.of(KMS_OFFER), peer("audio:0", "video:1"));
    String offer = map.toPeer(KMS_OFFER);
    assertEquals(
        String.join(
            "\r\n",
            "v=0",
            "a=group:BUNDLE 0 1",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111",
            "a=mid:0",
            "m=video 9 UDP/TLS/RTP/SAVPF 96",
            "a=mid:1",
            ""),
        offer);
    String answer =
        offer.replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0 1\r\na=msid-semantic: WMS");
    assertEquals(
        KMS_OFFER.replace(
            "a=group:BUNDLE audio0 video0", "a=group:BUNDLE audio0 video0\r\na=msid-semantic: WMS"),
        map.toKms(answer));
    assertEquals(
        new IceCandidate("candidate:1 1 udp 1 192.0.2.1 9 typ host", "video0", 1),
        map.toKms(new IceCandidate("candidate:1 1 udp 1 192.0.2.1 9 typ host", "1", 1)));
    assertEquals("1", map.peerMid("video0"));
  }

  @Test
  void theMidHeaderExtensionGoesWithTheRenaming() {
    String withExtension =
        KMS_OFFER.replace(
            "a=mid:video0",
            "a=mid:video0\r\na=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\na=extmap:5 urn:3gpp:video-orientation");
    MidMap map = MidMap.between(SdpSummary.of(withExtension), peer("audio:0", "video:1"));
    String offer = map.toPeer(withExtension);
    assertEquals(false, offer.contains("sdes:mid"));
    assertEquals(true, offer.contains("a=mid:1\r\na=extmap:5 urn:3gpp:video-orientation\r\n"));
    assertEquals(withExtension, MidMap.NONE.toPeer(withExtension));
  }

  @Test
  void aPeerThatKnowsKmsIdsAlreadyNeedsNothing() {
    assertSame(
        MidMap.NONE,
        MidMap.between(SdpSummary.of(KMS_OFFER), peer("audio:audio0", "video:video0")));
    assertEquals(KMS_OFFER, MidMap.NONE.toPeer(KMS_OFFER));
  }

  @Test
  void mediaAddedInTheRoundKeepsKmsIdAndDifferentKindsAreNotRenamed() {
    MidMap added = MidMap.between(SdpSummary.of(KMS_OFFER), peer("audio:0"));
    assertEquals("0", added.peerMid("audio0"));
    assertEquals("video0", added.peerMid("video0"));
    MidMap swapped = MidMap.between(SdpSummary.of(KMS_OFFER), peer("video:0", "audio:1"));
    assertSame(MidMap.NONE, swapped);
  }

  @Test
  void twoSectionsThatWouldCarryOneIdRenameNothing() {
    String offer = KMS_OFFER.replace("a=mid:video0", "a=mid:0");
    assertSame(MidMap.NONE, MidMap.between(SdpSummary.of(offer), peer("audio:0", "application:9")));
    assertSame(
        MidMap.NONE,
        MidMap.between(SdpSummary.of(KMS_OFFER.replace("video0", "v")), peer("audio:v")));
  }
}
