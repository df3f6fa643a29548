package com.vclick.core.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OriginPatternTest {

  @ParameterizedTest(name = "{0} vs {1} → {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # exact origins: scheme, host and port, normalised
          https://meet.example.com   | https://meet.example.com                  | true
          https://meet.example.com   | https://MEET.Example.COM                  | true
          https://meet.example.com   | HTTPS://meet.example.com                  | true
          https://meet.example.com   | https://meet.example.com:443              | true
          https://meet.example.com   | https://meet.example.com/                 | true
          https://meet.example.com   | http://meet.example.com                   | false
          https://meet.example.com   | https://meet.example.com:8443             | false
          https://meet.example.com   | https://example.com                       | false
          https://meet.example.com   | https://a.meet.example.com                | false
          https://meet.example.com   | https://meet.example.com.evil.net         | false
          https://meet.example.com   | https://meet.example.com.                 | false
          https://meet.example.com   | https://meet.example.com//                | false
          https://meet.example.com   | https://meet.example.com/path             | false
          https://meet.example.com   | https://meet.example.com?x=1              | false
          https://meet.example.com   | https://meet.example.com#top              | false
          https://meet.example.com   | https://evil.net/?https://meet.example.com | false
          https://meet.example.com   | https://meet.example.com@evil.net         | false
          https://meet.example.com   | https://evil.net@meet.example.com         | false
          https://example.com        | https://EXAMPLE.com:443                   | true
          https://example.com:443    | https://example.com                       | true
          http://example.com:80      | http://example.com                        | true
          http://example.com         | http://example.com:80                     | true
          http://example.com         | http://example.com:8080                   | false
          http://example.com:8080    | http://example.com:8080                   | true
          http://example.com:8080    | http://example.com                        | false
          https://example.com:80     | https://example.com                       | false
          https://b.com              | https://a@b.com                           | false
          https://b.com              | https://a:secret@b.com                    | false
          # subdomain wildcards
          https://*.example.com      | https://a.example.com                     | true
          https://*.example.com      | https://a.b.example.com                   | true
          https://*.example.com      | https://A.Example.com:443                 | true
          https://*.example.com      | https://example.com                       | false
          https://*.example.com      | https://evil-example.com                  | false
          https://*.example.com      | https://aexample.com                      | false
          https://*.example.com      | https://example.com.evil.net              | false
          https://*.example.com      | https://a.example.com.evil.net            | false
          https://*.example.com      | http://a.example.com                      | false
          https://*.example.com      | https://a.example.com:8443                | false
          https://*.example.com      | https://x@a.example.com                   | false
          https://*.example.com:8443 | https://a.example.com:8443                | true
          https://*.example.com:8443 | https://a.example.com                     | false
          https://*.example.com:*    | https://a.example.com:8443                | true
          https://*.example.com:*    | https://a.example.com                     | true
          https://*.example.com:*    | http://a.example.com:8443                 | false
          https://*.example.com:*    | https://example.com:8443                  | false
          # IP literals match exactly
          http://[::1]:8080          | http://[::1]:8080                         | true
          http://[::1]:8080          | http://[0:0:0:0:0:0:0:1]:8080             | true
          http://[::1]:8080          | http://[::1]                              | false
          http://[::1]:8080          | http://127.0.0.1:8080                     | false
          http://[2001:db8::1]       | http://[2001:DB8:0:0:0:0:0:1]:80          | true
          http://127.0.0.1:8080      | http://127.0.0.1:8080                     | true
          http://127.0.0.1:8080      | http://127.0.0.01:8080                    | false
          http://127.0.0.1:8080      | http://0x7f.0.0.1:8080                    | false
          http://127.0.0.1:8080      | http://2130706433:8080                    | false
          # every http(s) origin, nothing else
          *                          | https://anything.example                  | true
          *                          | http://10.0.0.1:3000                      | true
          *                          | http://[::1]:8080                         | true
          *                          | data:text/html,<script>1</script>         | false
          *                          | file:///etc/passwd                        | false
          *                          | file://                                   | false
          *                          | chrome-extension://jafpjpcekaheefipgmmjkbjeohlphimo | false
          *                          | moz-extension://0a1b2c                    | false
          *                          | ws://example.com                          | false
          *                          | blob:https://example.com/1234             | false
          *                          | about:blank                               | false
          *                          | null                                      | false
          *                          | ''                                        | false
          *                          | https://                                  | false
          *                          | https://exa mple.com                      | false
          # international names compare in punycode
          https://bücher.de          | https://xn--bcher-kva.de                  | true
          https://*.xn--bcher-kva.de | https://shop.bücher.de                    | true
          https://xn--bcher-kva.de   | https://bucher.de                         | false
          """)
  void matches(String pattern, String origin, boolean expected) {
    assertEquals(expected, OriginPattern.parse(pattern).matches(origin));
  }

  @Test
  void aMissingOriginNeverMatches() {
    assertFalse(OriginPattern.ANY.matches((String) null));
    assertFalse(OriginPattern.parse("https://example.com").matches((String) null));
    assertFalse(OriginPattern.ANY.matches(" https://example.com"));
    assertFalse(OriginPattern.ANY.matches("https://example.com\n"));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          HTTPS://Meet.Example.COM:443/     | https://meet.example.com
          http://example.com:80             | http://example.com
          http://example.com:8080           | http://example.com:8080
          https://example.com:80            | https://example.com:80
          https://*.Example.com             | https://*.example.com
          https://*.example.com:443         | https://*.example.com
          https://*.example.com:*           | https://*.example.com:*
          http://[0:0:0:0:0:0:0:1]:8080     | http://[::1]:8080
          http://[2001:DB8:0:0:1:0:0:1]     | http://[2001:db8::1:0:0:1]
          https://bücher.de                 | https://xn--bcher-kva.de
          https://EXAMPLE。com               | https://example.com
          https://my_host.example.com       | https://my_host.example.com
          '  https://a.com  '               | https://a.com
          *                                 | *
          ' * '                             | *
          """)
  void parsingNormalises(String pattern, String canonical) {
    OriginPattern parsed = OriginPattern.parse(pattern);
    assertEquals(canonical, parsed.toString());
    assertEquals(parsed, OriginPattern.parse(parsed.toString()), "the canonical text reads back");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "example.com",
        "*.example.com",
        "//example.com",
        "https:example.com",
        "ftp://example.com",
        "ws://example.com",
        "data:text/html,hi",
        "file:///etc/passwd",
        "chrome-extension://jafpjpcekaheefipgmmjkbjeohlphimo",
        "null",
        "https://example.com/path",
        "https://example.com//",
        "https://example.com/?q=1",
        "https://example.com?q=1",
        "https://example.com#f",
        "https://user@example.com",
        "https://user:pw@example.com",
        "https://a\\b.com",
        "https://",
        "https://:443",
        "https://example.com:",
        "https://example.com:0",
        "https://example.com:65536",
        "https://example.com:08080",
        "https://example.com:+80",
        "https://example.com:abc",
        "https://example.com:443:443",
        "https://ex ample.com",
        "https://ex\tample.com",
        "https://example..com",
        "https://.example.com",
        "https://example.com.",
        "https://*example.com",
        "https://a*.example.com",
        "https://a.*.example.com",
        "https://*.*.example.com",
        "https://*",
        "https://*:8080",
        "https://*.1.2.3.4",
        "https://*.[::1]",
        "https://[::1",
        "https://[not-ipv6]",
        "https://[::1]x",
        "https://[::1]:x",
        "https://[fe80::1%25eth0]",
        "https://[1.2.3.4]",
        "https://::1",
        "https://999.1.1.1",
        "https://1.2.3",
        "https://010.0.0.1",
        "https://0x7f.0.0.1",
        "https://2130706433",
        "https://example.123",
        "https://straße.de",
        "https://xn--",
        "https://a.xn--.com",
        "https://exa$mple.com",
        "https://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com",
        "https://example.com:*"
      })
  void malformedPatternsAreRefusedWithTheField(String pattern) {
    if (pattern.equals("https://example.com:*")) {
      // a port wildcard is fine on a pattern...
      OriginPattern.parse(pattern);
      // ...but no page has one
      assertThrows(PolicyValidationException.class, () -> PageOrigin.parse(pattern));
      return;
    }
    PolicyValidationException e =
        assertThrows(PolicyValidationException.class, () -> OriginPattern.parse(pattern));
    assertEquals("origin", e.field());
    assertFalse(e.getMessage().isBlank());
  }

  @Test
  void aNullPatternIsRefused() {
    assertThrows(PolicyValidationException.class, () -> OriginPattern.parse(null));
  }

  @Test
  void errorsSayWhatIsWrong() {
    assertEquals(
        "\"ftp://example.com\" is not a valid origin: only http and https origins can be matched.",
        assertThrows(
                PolicyValidationException.class, () -> OriginPattern.parse("ftp://example.com"))
            .getMessage());
    assertTrue(
        assertThrows(PolicyValidationException.class, () -> OriginPattern.parse("https://a@b.com"))
            .getMessage()
            .contains("no path, query, fragment or user name"));
    assertTrue(
        assertThrows(
                PolicyValidationException.class, () -> OriginPattern.parse("https://straße.de"))
            .getMessage()
            .contains("xn--"));
  }

  @Test
  void aVeryLongOrHostileOriginIsShortenedAndCleanedInTheMessage() {
    String hostile = "https://a.com/" + "x".repeat(500) + "\u0007";
    String message =
        assertThrows(PolicyValidationException.class, () -> PageOrigin.parse(hostile)).getMessage();
    assertTrue(message.length() < 200, message);
    assertFalse(message.contains("\u0007"));
    assertThrows(
        PolicyValidationException.class,
        () -> PageOrigin.parse("https://a.com" + "a".repeat(3000)));
  }

  @Test
  void equalityFollowsTheCanonicalForm() {
    assertEquals(
        OriginPattern.parse("https://Example.com:443/"),
        OriginPattern.parse("https://example.com"));
    assertNotEquals(
        OriginPattern.parse("https://example.com"), OriginPattern.parse("https://*.example.com"));
    assertNotEquals(
        OriginPattern.parse("https://*.example.com"),
        OriginPattern.parse("https://*.example.com:*"));
    assertSame(OriginPattern.ANY, OriginPattern.parse("*"));
    assertTrue(OriginPattern.ANY.matchesEverything());
    assertFalse(OriginPattern.parse("https://*.example.com").matchesEverything());
  }
}
