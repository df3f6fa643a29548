package com.vclick.core.health;

import com.vclick.core.config.KeycloakConfig;
import com.vclick.core.directory.Directory;
import com.vclick.core.edge.recording.RecordedCallJournal;
import com.vclick.core.media.MediaServerHolder;
import com.vclick.core.persistence.Database;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks every dependency whether it answers; each check is bounded by a short timeout. Only {@link
 * HealthService}'s timer calls it, never a request: a flood of health requests probes nothing.
 */
@ApplicationScoped
public class HealthProbe {

  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  @Inject Database database;
  @Inject KeycloakConfig keycloak;
  @Inject MediaServerHolder media;
  @Inject Directory directory;
  @Inject RecordedCallJournal recordings;
  @Inject Clock clock;

  private HttpClient http;

  @PostConstruct
  void init() {
    http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  public HealthReport run() {
    Map<String, Boolean> checks = new LinkedHashMap<>();
    checks.put("database", passes(database::isHealthy));
    checks.put("identity", passes(this::identityProviderAnswers));
    checks.put("media", passes(() -> media.server().probe().reachable()));
    checks.put("directory", passes(directory::isLoaded));
    List<String> degraded = new ArrayList<>();
    if (passes(() -> recordings.behind() > 0)) {
      degraded.add("recordings-ingest");
    }
    return HealthReport.of(checks, clock.instant(), degraded);
  }

  /** A check that throws has failed; one failing check never hides the others. */
  private static boolean passes(Check check) {
    try {
      return check.passes();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private boolean identityProviderAnswers() {
    HttpRequest request =
        HttpRequest.newBuilder(keycloak.jwksEndpoint()).timeout(TIMEOUT).GET().build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @FunctionalInterface
  private interface Check {
    boolean passes();
  }
}
