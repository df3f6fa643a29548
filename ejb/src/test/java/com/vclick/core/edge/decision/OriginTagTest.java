package com.vclick.core.edge.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OriginTagTest {

  @Test
  void theTagIsTheFirst64BitsOfTheOriginsSha256InHex() {
    // Computed independently: sha256("https://meet.example.com")[:16] in Python.
    assertEquals("b269ef44cce90c0e", OriginTag.of("https://meet.example.com"));
  }

  @Test
  void tagsAreShortColonFreeAndDifferPerOrigin() {
    String tag = OriginTag.of("https://a.example:8443");
    assertTrue(tag.matches("[0-9a-f]{16}"), tag);
    assertNotEquals(tag, OriginTag.of("https://a.example"));
  }
}
