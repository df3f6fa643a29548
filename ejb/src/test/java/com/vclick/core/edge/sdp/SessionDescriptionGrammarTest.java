package com.vclick.core.edge.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionDescriptionGrammarTest {

  static final String MINIMAL =
      "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
          + "c=IN IP4 0.0.0.0\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\n";

  static String resource(String name) throws IOException {
    try (InputStream in = SessionDescriptionGrammarTest.class.getResourceAsStream("/sdp/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "chromium-offer.sdp",
        "chromium-data-answer.sdp",
        "firefox-offer-with-candidates.sdp"
      })
  void realBrowsersDescriptionsPass(String name) throws Exception {
    String sdp = resource(name);
    var lines = SessionDescriptionGrammar.check(sdp);
    assertEquals("v=0", lines.get(0));
    assertTrue(lines.size() > 20, name);
  }

  @Test
  void theMinimalDescriptionPasses() throws Exception {
    assertEquals(8, SessionDescriptionGrammar.check(MINIMAL).size());
    assertEquals(8, SessionDescriptionGrammar.check(MINIMAL.replace("\r\n", "\n")).size());
  }

  /** Each case: a description breaking one rule, and words the message must hold. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "not v=0 first|V=0\no=- 1 2 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0|line 1",
        "version 1|v=1\no=- 1 2 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0|version",
        "origin short|v=0\no=- 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0|origin",
        "origin letters in id|v=0\no=- x1 2 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0|origin",
        "s= missing|v=0\no=- 1 2 IN IP4 1.2.3.4\nt=0 0\nm=audio 9 RTP/AVP 0|line 3",
        "empty session name|v=0\no=- 1 2 IN IP4 1.2.3.4\ns=\nt=0 0\nm=audio 9 RTP/AVP 0|session name",
        "no t=|v=0\no=- 1 2 IN IP4 1.2.3.4\ns=-\nm=audio 9 RTP/AVP 0|line 4",
        "c= after t=|v=0\no=- 1 2 IN IP4 1.2.3.4\ns=-\nt=0 0\nc=IN IP4 0.0.0.0\nm=audio 9 RTP/AVP 0|out of order",
        "i= after c= in media|"
            + "v=0\no=- 1 2 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\nc=IN IP4 0.0.0.0\ni=x|out of order",
        "a= before b= in media|v=0\no=- 1 2 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\na=mid:0\nb=AS:30|out of order",
        "two s=|v=0\no=- 1 2 IN IP4 1.2.3.4\ns=-\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0|out of order",
        "r= without t=|v=0\no=- 1 2 IN IP4 1.2.3.4\ns=-\nr=7d 1h 0 25h\nt=0 0\nm=audio 9 RTP/AVP 0|must follow t=",
        "k= (obsolete)|v=0\no=- 1 2 IN IP4 1.2.3.4\ns=-\nt=0 0\nk=clear:secret\nm=audio 9 RTP/AVP 0|type WebRTC uses",
        "unknown type|v=0\no=- 1 2 IN IP4 1.2.3.4\ns=-\nt=0 0\nx=1\nm=audio 9 RTP/AVP 0|type WebRTC uses",
        "empty line|v=0\no=- 1 2 IN IP4 1.2.3.4\ns=-\n\nt=0 0\nm=audio 9 RTP/AVP 0|line 4",
        "space before =|v=0\no=- 1 2 IN IP4 1.2.3.4\ns=-\nt =0 0\nm=audio 9 RTP/AVP 0|line 4",
        "no media|v=0\no=- 1 2 IN IP4 1.2.3.4\ns=-\nt=0 0\na=group:BUNDLE 0|no media section",
        "media port too high|v=0\no=- 1 2 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 70000 RTP/AVP 0|media",
        "media without format|v=0\no=- 1 2 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 9 RTP/AVP|media",
        "connection type|v=0\no=- 1 2 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\nc=IN IPX 1.2.3.4|connection",
        "bandwidth|v=0\no=- 1 2 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\nb=AS:lots|bandwidth",
        "attribute name|v=0\no=- 1 2 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\na=mi d:0|attribute",
        "candidate grammar|v=0\no=- 1 2 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\na=candidate:1 1 UDP 1 10.0.0.1 99999 typ host|port",
      })
  void descriptionsBreakingARuleAreRefusedNamingIt(String testCase) {
    String[] parts = testCase.split("\\|");
    var e =
        assertThrows(
            InvalidSessionDescriptionException.class,
            () -> SessionDescriptionGrammar.check(parts[1]),
            parts[0]);
    assertTrue(e.getMessage().contains(parts[2]), parts[0] + ": " + e.getMessage());
  }

  @Test
  void controlCharactersAreRefusedWherever() {
    for (String hostile :
        new String[] {"\u0000", "\r", "\u001b[2J", "\u007f", "\u0085", "\u2028x\ud800"}) {
      String sdp = MINIMAL.replace("a=mid:0", "a=mid:0" + hostile);
      var e =
          assertThrows(
              InvalidSessionDescriptionException.class,
              () -> SessionDescriptionGrammar.check(sdp),
              () -> "accepted " + hostile.codePoints().boxed().toList());
      assertTrue(e.getMessage().contains("line 7"), e.getMessage());
    }
  }

  @Test
  void tooLongLinesTooManyLinesAndTooManyMediaSectionsAreRefused() {
    String longLine = MINIMAL.replace("a=mid:0", "a=x:" + "y".repeat(5000));
    assertTrue(
        assertThrows(
                InvalidSessionDescriptionException.class,
                () -> SessionDescriptionGrammar.check(longLine))
            .getMessage()
            .contains("longer than"));
    String manyLines = MINIMAL + "a=x\r\n".repeat(SessionDescriptionGrammar.MAX_LINES);
    assertThrows(
        InvalidSessionDescriptionException.class, () -> SessionDescriptionGrammar.check(manyLines));
    String manySections =
        MINIMAL
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
                .repeat(SessionDescriptionGrammar.MAX_MEDIA_SECTIONS);
    assertTrue(
        assertThrows(
                InvalidSessionDescriptionException.class,
                () -> SessionDescriptionGrammar.check(manySections))
            .getMessage()
            .contains("at most"));
  }

  @Test
  void messagesNameTheLineButNeverEchoItsContent() {
    String sdp = MINIMAL.replace("c=IN IP4 0.0.0.0", "c=IN IP4 10.9.8.7;rm -rf");
    var e =
        assertThrows(
            InvalidSessionDescriptionException.class, () -> SessionDescriptionGrammar.check(sdp));
    assertTrue(e.getMessage().startsWith("sdp line 6 "), e.getMessage());
    assertFalse(e.getMessage().contains("10.9.8.7"), e.getMessage());
  }
}
