package com.vclick.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Hands out TOTP codes of the demo users that Keycloak accepts and no earlier sign-in took. The
 * realm does not accept a code twice (otpPolicyCodeReusable false) and accepts the codes of one
 * period either side of now (otpPolicyLookAheadWindow 1): the steps taken are remembered in a file
 * per Keycloak and user under {@code $TMPDIR/vclick-otp/}, locked by a directory, in the same
 * format as e2e/lib/otp.js, so every test process on this machine (ITs, e2e specs, benchmarks)
 * shares them.
 */
public final class OtpCodes {

  private static final long PERIOD_MS = Totp.PERIOD_SECONDS * 1000L;
  private static final long LOCK_STALE_MS = 10_000;

  private final Path file;
  private final Path lock;
  private final String username;

  /**
   * @param keycloakBase Keycloak's base URL as the sign-in uses it (no trailing slash)
   */
  public OtpCodes(String keycloakBase, String username) {
    if (!DemoUsers.hasOtp(username)) {
      throw new IllegalArgumentException(username + " has no demo OTP device");
    }
    String tmp =
        Optional.ofNullable(System.getenv("TMPDIR"))
            .filter(s -> !s.isBlank())
            .orElse(System.getProperty("java.io.tmpdir"));
    Path dir = Path.of(tmp.replaceAll("/+$", ""), "vclick-otp");
    this.file = dir.resolve(keycloakBase.replaceAll("[^A-Za-z0-9]+", "-") + "-" + username);
    this.lock = dir.resolve(file.getFileName() + ".lock");
    this.username = username;
  }

  /** The file that remembers the steps taken. */
  Path file() {
    return file;
  }

  /** The next code nobody took; waits for the next period when the acceptable ones are taken. */
  public String next() {
    for (; ; ) {
      Optional<Long> step = locked(this::takeStep);
      if (step.isPresent()) {
        return Totp.code(DemoUsers.otpSecret(username), step.get());
      }
      long now = System.currentTimeMillis();
      pause((Totp.step(now) + 1) * PERIOD_MS - now + 50); // the next period brings a new code
    }
  }

  private Optional<Long> takeStep() throws IOException {
    long millis = System.currentTimeMillis();
    long now = Totp.step(millis);
    List<Long> taken = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          taken.add(Long.parseLong(line.strip()));
        }
      }
    } catch (NoSuchFileException e) {
      // no code taken yet
    }
    // The previous period's code only while it has long enough to reach Keycloak.
    boolean previousStillGood = (now + 1) * PERIOD_MS - millis > PERIOD_MS / 3;
    List<Long> candidates =
        previousStillGood ? List.of(now, now + 1, now - 1) : List.of(now, now + 1);
    Optional<Long> free = candidates.stream().filter(s -> !taken.contains(s)).findFirst();
    if (free.isPresent()) {
      List<Long> kept = taken.stream().filter(s -> s >= now - 1).collect(Collectors.toList());
      kept.add(free.get());
      Files.writeString(
          file,
          kept.stream().map(String::valueOf).collect(Collectors.joining("\n", "", "\n")),
          StandardCharsets.UTF_8);
    }
    return free;
  }

  private interface IoAction<T> {
    T run() throws IOException;
  }

  private <T> T locked(IoAction<T> action) {
    try {
      Files.createDirectories(lock.getParent());
      long deadline = System.currentTimeMillis() + 3 * LOCK_STALE_MS;
      for (; ; ) {
        try {
          Files.createDirectory(lock);
          break;
        } catch (FileAlreadyExistsException e) {
          try {
            long age = System.currentTimeMillis() - Files.getLastModifiedTime(lock).toMillis();
            if (age > LOCK_STALE_MS) {
              Files.deleteIfExists(lock); // its holder died
            }
          } catch (NoSuchFileException released) {
            // released meanwhile
          }
          if (System.currentTimeMillis() > deadline) {
            throw new IllegalStateException("the one-time-code lock " + lock + " is still held");
          }
          pause(50);
        }
      }
      try {
        return action.run();
      } finally {
        Files.deleteIfExists(lock);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(Math.max(1, millis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a one-time code", e);
    }
  }
}
