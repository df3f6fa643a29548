package com.vclick.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TotpTest {

  /** RFC 6238 appendix B (SHA-1), the last six of its eight digits. */
  @Test
  void rfc6238TestVectors() {
    byte[] key = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    assertEquals("287082", Totp.code(key, Totp.step(59_000L)));
    assertEquals("081804", Totp.code(key, Totp.step(1_111_111_109_000L)));
    assertEquals("050471", Totp.code(key, Totp.step(1_111_111_111_000L)));
    assertEquals("005924", Totp.code(key, Totp.step(1_234_567_890_000L)));
    assertEquals("279037", Totp.code(key, Totp.step(2_000_000_000_000L)));
  }

  @Test
  void demoSecretsAreTheOnesDemoOtpMjsImports() {
    assertEquals(Set.of("erin", "frank"), DemoUsers.WITH_OTP);
    assertEquals(
        "frank-demo-otp-secret", new String(DemoUsers.otpSecret("frank"), StandardCharsets.UTF_8));
    assertEquals("frank-Demo-1234", DemoUsers.password("frank"));
  }

  /** Codes handed out for one Keycloak and user are never the same twice (no replay). */
  @Test
  void otpCodesNeverHandOutACodeTwice() throws IOException {
    OtpCodes codes = new OtpCodes("http://test-" + UUID.randomUUID(), "frank");
    Set<String> seen = new HashSet<>();
    try {
      for (int i = 0; i < 2; i++) {
        assertTrue(seen.add(codes.next()), "a code handed out twice: " + seen);
      }
    } finally {
      Files.deleteIfExists(codes.file());
    }
    assertNotEquals(
        Totp.code(DemoUsers.otpSecret("frank"), 1), Totp.code(DemoUsers.otpSecret("erin"), 1));
  }
}
