package com.vclick.media.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ToolEnvironmentTest {

  @Test
  void aToolStartsWithoutTheServersSecrets() throws Exception {
    ProcessBuilder builder = new ProcessBuilder("/usr/bin/env");
    // What the server's environment holds under ./vclick (names of CONFIG.md's secrets).
    builder.environment().put("VCLICK_TURN_SECRET", "turn-secret-value");
    builder.environment().put("VCLICK_KEYCLOAK_CLIENT_SECRET", "client-secret-value");
    builder.environment().put("VCLICK_DB_PASSWORD", "db-password-value");
    builder.environment().put("VCLICK_MEDIA_JANUS_API_SECRET", "janus-secret-value");
    builder.environment().put("PATH", "/usr/bin:/bin");

    Process process = ToolEnvironment.restrict(builder).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(10, TimeUnit.SECONDS));

    List<String> names = Arrays.stream(output.split("\n")).map(l -> l.split("=", 2)[0]).toList();
    assertTrue(names.contains("PATH"), output);
    assertTrue(ToolEnvironment.KEPT.containsAll(names), "only the kept variables: " + names);
    assertFalse(output.contains("-value"), "no secret value reached the tool");
    assertEquals(0, process.exitValue());
  }
}
