package com.vclick.core.edge.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class FingerprintTest {

  @Test
  void bothEndsSpellingsOfOneCertificateCompareEqual() {
    Fingerprint firefox = Fingerprint.parse("sha-256 ab:cd:0f").orElseThrow();
    Fingerprint chrome = Fingerprint.parse("  SHA-256\tAB:CD:0F ").orElseThrow();
    assertEquals(firefox, chrome);
    assertEquals("sha-256 AB:CD:0F", chrome.toString());
  }

  @Test
  void aSha512FingerprintFits() {
    String text = "sha-512 " + "AB:".repeat(63) + "AB";
    assertEquals(199, text.length());
    assertEquals(text, Fingerprint.parse(text).orElseThrow().toString());
  }

  @Test
  void anythingElseIsNoFingerprint() {
    for (String text :
        new String[] {
          "",
          "sha-256",
          "AB:CD",
          "sha-256 ABCD",
          "sha-256 AB:CD:",
          "sha-256 AB:C",
          "sha-256 AB:GG",
          "sha_256 AB:CD",
          "sha-256 AB:CD extra",
          "sha-256 " + "AB:".repeat(70) + "AB"
        }) {
      assertEquals(Optional.empty(), Fingerprint.parse(text), text);
    }
    assertTrue(Fingerprint.parse(null).isEmpty());
  }
}
