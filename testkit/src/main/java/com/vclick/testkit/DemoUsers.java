package com.vclick.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * DEMO ONLY: the credentials of the demo users of keycloak-realm/vclick-realm.json. They are public
 * (in this repository) and exist for local runs and tests; keycloak-realm/README.md lists them.
 */
public final class DemoUsers {

  /**
   * The demo users whose roles include {@code requires-otp} and who therefore have a TOTP device,
   * imported by scripts/keycloak.sh from keycloak-realm/demo-otp.mjs (same list, same secrets).
   */
  public static final Set<String> WITH_OTP = Set.of("erin", "frank");

  private DemoUsers() {}

  /** A demo user's password ({@code alice-Demo-1234}): it meets the realm's password policy. */
  public static String password(String username) {
    return username + "-Demo-1234";
  }

  /** True when {@code username} is a demo user with a TOTP device. */
  public static boolean hasOtp(String username) {
    return WITH_OTP.contains(username);
  }

  /** A demo user's TOTP secret: Keycloak keys the HMAC with these bytes as they are. */
  public static byte[] otpSecret(String username) {
    return (username + "-demo-otp-secret").getBytes(StandardCharsets.UTF_8);
  }
}
