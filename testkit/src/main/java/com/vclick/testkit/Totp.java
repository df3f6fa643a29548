package com.vclick.testkit;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** RFC 6238 time-based one-time codes with HMAC-SHA1, as Keycloak's OTP form checks them. */
public final class Totp {

  /** The realm's otpPolicyPeriod, in seconds. */
  public static final int PERIOD_SECONDS = 30;

  /** The realm's otpPolicyDigits. */
  public static final int DIGITS = 6;

  private Totp() {}

  /** The time step of {@code epochMillis}: the number of whole periods since the Unix epoch. */
  public static long step(long epochMillis) {
    return Math.floorDiv(epochMillis, PERIOD_SECONDS * 1000L);
  }

  /** The code of {@code key} (the HMAC key, Keycloak's stored secret as bytes) for {@code step}. */
  public static String code(byte[] key, long step) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key, "HmacSHA1"));
      byte[] hash = mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(step).array());
      int offset = hash[hash.length - 1] & 0x0f;
      int binary = ByteBuffer.wrap(hash, offset, Integer.BYTES).getInt() & 0x7fffffff;
      int modulus = (int) Math.pow(10, DIGITS);
      return String.format("%0" + DIGITS + "d", binary % modulus);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is not available", e);
    }
  }
}
