package com.vclick.core.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.vclick.core.config.TurnConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnCredentialMinterTest {

  private static final String USER = "6f1c2a9e-0000-4000-8000-000000000001";
  private static final Clock NOW =
      Clock.fixed(Instant.ofEpochSecond(1_764_000_000L), ZoneOffset.UTC);
  private static final List<String> URIS = List.of("turn:127.0.0.1:3478?transport=udp");

  private final TurnConfig config =
      new TurnConfig("north-relay-secret", URIS, Duration.ofMinutes(10));

  @Test
  void usernameIsExpiryColonUserAndCredentialIsTheCoturnHmac() {
    TurnCredentials credentials = new TurnCredentialMinter(config, NOW).mint(USER);

    assertEquals("1764000600:" + USER, credentials.username());
    // Computed independently (Python hmac/sha1/base64) for this secret and username.
    assertEquals("L37jt2cZ8NjIg2qhKOCRgNZ6Ps4=", credentials.credential());
    assertEquals(600, credentials.ttlSeconds());
    assertEquals(Instant.ofEpochSecond(1_764_000_600L), credentials.expiresAt());
    assertEquals(URIS, credentials.uris());
  }

  @Test
  void anOriginBoundUsernameCarriesExpiryUserAndTagUnderOneHmac() {
    var minter = new TurnCredentialMinter(config, NOW);
    TurnCredentials bound = minter.mint(USER, "0123456789abcdef");

    assertEquals("1764000600:" + USER + ":0123456789abcdef", bound.username());
    // Computed independently (Python hmac/sha1/base64) for this secret and username.
    assertEquals("9zrCl+ycQbIeRwn6XuHueq5IVFM=", bound.credential());
    assertFalse(bound.credential().equals(minter.mint(USER).credential()));
    assertFalse(bound.credential().equals(minter.mint(USER, "fedcba9876543210").credential()));
  }

  @Test
  void originTagsThatWouldForgeTheUsernameAreRefused() {
    var minter = new TurnCredentialMinter(config, NOW);
    assertThrows(IllegalArgumentException.class, () -> minter.mint(USER, "a:b"));
    assertThrows(IllegalArgumentException.class, () -> minter.mint(USER, ""));
    assertThrows(IllegalArgumentException.class, () -> minter.mint("1:admin", "tag"));
  }

  @Test
  void aDifferentSecretGivesADifferentCredential() {
    var other = new TurnConfig("another-secret", URIS, Duration.ofMinutes(10));
    assertFalse(
        new TurnCredentialMinter(other, NOW)
            .mint(USER)
            .credential()
            .equals(new TurnCredentialMinter(config, NOW).mint(USER).credential()));
  }

  @Test
  void userIdsThatWouldForgeTheUsernameAreRefused() {
    var minter = new TurnCredentialMinter(config, NOW);
    assertThrows(IllegalArgumentException.class, () -> minter.mint("1:admin"));
    assertThrows(IllegalArgumentException.class, () -> minter.mint(""));
  }

  @Test
  void noSecretNoMinter() {
    var unset = new TurnConfig("", URIS, Duration.ofMinutes(5));
    assertThrows(IllegalStateException.class, () -> new TurnCredentialMinter(unset, NOW));
  }

  @Test
  void credentialsNeverPrintTheirPassword() {
    TurnCredentials credentials = new TurnCredentialMinter(config, NOW).mint(USER);
    assertFalse(credentials.toString().contains(credentials.credential()));
    assertFalse(config.toString().contains("north-relay-secret"));
  }
}
