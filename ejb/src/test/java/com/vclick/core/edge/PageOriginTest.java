package com.vclick.core.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PageOriginTest {

  @Test
  void parsingGivesTheBrowsersSerialisation() {
    PageOrigin origin = PageOrigin.parse("HTTPS://Meet.Example.com:443/");
    assertEquals("https", origin.scheme());
    assertEquals("meet.example.com", origin.host());
    assertEquals(443, origin.port());
    assertTrue(origin.hasDefaultPort());
    assertEquals("https://meet.example.com", origin.toString());

    PageOrigin local = PageOrigin.parse("http://[0:0::1]:8080");
    assertEquals("[::1]", local.host());
    assertEquals(8080, local.port());
    assertTrue(local.isIpLiteral());
    assertEquals("http://[::1]:8080", local.toString());

    assertTrue(PageOrigin.parse("http://10.0.0.1").isIpLiteral());
    assertFalse(PageOrigin.parse("http://example.com").isIpLiteral());
  }

  @Test
  void theConstructorNormalisesAndValidatesToo() {
    assertEquals(
        PageOrigin.parse("https://example.com"), new PageOrigin("HTTPS", "Example.COM", 443));
    assertEquals("http://[::1]", new PageOrigin("http", "[0::1]", 80).toString());
    assertThrows(PolicyValidationException.class, () -> new PageOrigin("ftp", "example.com", 21));
    assertThrows(PolicyValidationException.class, () -> new PageOrigin("https", "a/b", 443));
    assertThrows(PolicyValidationException.class, () -> new PageOrigin("https", "a.com", 0));
    assertThrows(PolicyValidationException.class, () -> new PageOrigin("https", "a.com", 70000));
    assertThrows(PolicyValidationException.class, () -> new PageOrigin("https", "*.a.com", 443));
    assertThrows(NullPointerException.class, () -> new PageOrigin("https", null, 443));
  }

  @Test
  void tryParseIsEmptyForAnythingThatIsNotAnHttpOrigin() {
    assertEquals(Optional.empty(), PageOrigin.tryParse(null));
    assertEquals(Optional.empty(), PageOrigin.tryParse("null"));
    assertEquals(Optional.empty(), PageOrigin.tryParse("data:text/html,x"));
    assertEquals(Optional.empty(), PageOrigin.tryParse("https://*.example.com"));
    assertEquals(
        Optional.of(PageOrigin.parse("https://a.com")), PageOrigin.tryParse("https://a.com/"));
  }
}
